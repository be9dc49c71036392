import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { roleNames } from '$lib/server/services/orders';
import { orderPage } from '$lib/server/services/order-approval-view';
import { chinaToday } from '$lib/server/services/order-common';

export const load: PageServerLoad = (event) => {
	// The page reloads its data when a live event says the order changed (see +page.svelte).
	event.depends('app:order');
	return serve(event, async (ctx) => {
		const [page, roles] = await Promise.all([orderPage(ctx, event.params.id), roleNames(ctx)]);
		return { ...page, roles, today: chinaToday() };
	});
};
