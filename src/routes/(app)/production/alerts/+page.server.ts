import type { PageServerLoad } from './$types';
import { listPage } from '$lib/server/route';
import { alertCentre } from '$lib/server/services/alerts';

const list = listPage(alertCentre);

export const load: PageServerLoad = (event) => {
	// Read again when a live alert event changes the list (see +page.svelte) or an action answers.
	event.depends('app:alerts');
	return list(event);
};
