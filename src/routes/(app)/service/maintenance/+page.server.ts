import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { listMaintenancePlans, upcomingVisits } from '$lib/server/services/maintenance-plans';
import { streamPosition } from '$lib/server/services/live';

/** Maintenance plans (the list's query) and the coming visits (`day` picks the day listed). */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		event.depends('app:maintenance');
		const { day, ...query } = paramsOf(event.url);
		const [cursor, list, upcoming] = await Promise.all([
			streamPosition(ctx),
			listMaintenancePlans(ctx, query),
			upcomingVisits(ctx, { day, companyId: query.companyId })
		]);
		return { list, upcoming, cursor };
	});
