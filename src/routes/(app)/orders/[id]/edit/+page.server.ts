import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { entryOptions, orderForEdit } from '$lib/server/services/order-entry';

/**
 * The entry form with a saved order (draft, submitted, in approval or rejected) in it; with
 * `?change=1`, an approved order whose edit is sent as a change request.
 */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		const change = event.url.searchParams.get('change') === '1';
		const [options, order] = await Promise.all([
			entryOptions(ctx),
			orderForEdit(ctx, event.params.id, change)
		]);
		return { ...options, order, change };
	});
