import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { streamPosition } from '$lib/server/services/live';
import { listRoutings } from '$lib/server/services/routings';

export const load: PageServerLoad = (event) => {
	// Read again after each save and when another planner's change arrives live.
	event.depends('app:routings');
	return serve(event, async (ctx) => {
		const [cursor, list] = await Promise.all([streamPosition(ctx), listRoutings(ctx, paramsOf(event.url))]);
		return { ...list, cursor };
	});
};
