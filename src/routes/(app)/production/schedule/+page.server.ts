import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { getSchedule } from '$lib/server/services/schedule-view';

/** The planner's Gantt: ?companyId&workCentreId&from&days pick the centre and the window. */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		// Read again on schedule and work-order events (see +page.svelte).
		event.depends('app:schedule');
		return { schedule: await getSchedule(ctx, paramsOf(event.url)) };
	});
