import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { streamPosition } from '$lib/server/services/live';
import { crewDirectory } from '$lib/server/services/crews';

export const load: PageServerLoad = (event) => {
	// Read again after each save and when another dispatcher's change arrives live.
	event.depends('app:crews');
	return serve(event, async (ctx) => {
		const [cursor, directory] = await Promise.all([streamPosition(ctx), crewDirectory(ctx)]);
		return { ...directory, cursor };
	});
};
