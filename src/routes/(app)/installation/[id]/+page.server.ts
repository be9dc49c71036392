import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { installationJob } from '$lib/server/services/installation-job';

export const load: PageServerLoad = (event) => {
	// Read again when a live event says the job changed (see +page.svelte).
	event.depends('app:installation-job');
	return serve(event, async (ctx) => ({ job: await installationJob(ctx, event.params.id) }));
};
