import type { PageServerLoad } from './$types';
import { listPage, serve } from '$lib/server/route';
import { approvalQueue } from '$lib/server/services/approvals';
import { listSavedFilters } from '$lib/server/services/saved-filters';

const list = listPage(approvalQueue);

export const load: PageServerLoad = async (event) => {
	// The user's saved filters of this list, read again when one is saved or deleted.
	event.depends('app:saved-filters');
	// Read again when a live event changes the queue (see +page.svelte).
	event.depends('app:approvals');
	const [page, savedFilters] = await Promise.all([
		list(event),
		serve(event, (ctx) => listSavedFilters(ctx, 'approvals'))
	]);
	return { ...page, savedFilters };
};
