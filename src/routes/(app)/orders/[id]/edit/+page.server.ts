import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { entryOptions, orderForEdit } from '$lib/server/services/order-entry';

/** The entry form with a saved order (draft, submitted, in approval or rejected) in it. */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		const [options, order] = await Promise.all([entryOptions(ctx), orderForEdit(ctx, event.params.id)]);
		return { ...options, order };
	});
