import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { listShortages } from '$lib/server/services/shortages';

/** Parts missing for work orders not yet started: ?companyId narrows it to one company. */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		event.depends('app:shortages');
		return { shortages: await listShortages(ctx, paramsOf(event.url)) };
	});
