import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { getOrder, roleNames } from '$lib/server/services/orders';

export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		const [order, roles] = await Promise.all([getOrder(ctx, event.params.id), roleNames(ctx)]);
		return { order, roles };
	});
