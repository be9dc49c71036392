import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { streamPosition } from '$lib/server/services/live';
import { listWorkCentres } from '$lib/server/services/work-centres';

export const load: PageServerLoad = (event) => {
	// Read again after each save and when another planner's change arrives live.
	event.depends('app:work-centres');
	return serve(event, async (ctx) => {
		const [cursor, list] = await Promise.all([streamPosition(ctx), listWorkCentres(ctx, paramsOf(event.url))]);
		return { ...list, cursor };
	});
};
