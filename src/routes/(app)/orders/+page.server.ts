import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf, type Page } from '$lib/server/services/list';
import { listOrders, type OrderRow } from '$lib/server/services/orders';
import { salesRepOptions } from '$lib/server/services/order-filters';
import { listSavedFilters } from '$lib/server/services/saved-filters';
import { ordersPageInput } from '$lib/server/order-page-query';
import { streamPosition } from '$lib/server/services/live';

/**
 * The orders list: the URL's filters (amounts in yuan, converted here), the rep choices and the
 * user's saved filters. A bad amount range shows its message in the form and lists nothing,
 * rather than the error page or a list that ignores what the user typed.
 */
export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => {
		event.depends('app:saved-filters');
		// Read again when a live event changes an order (see +page.svelte).
		event.depends('app:orders');
		const { input, amountProblem } = ordersPageInput(paramsOf(event.url), event.locals.locale);
		const [cursor, list, reps, savedFilters] = await Promise.all([
			streamPosition(ctx),
			amountProblem ? nothing(input) : listOrders(ctx, input),
			salesRepOptions(ctx),
			listSavedFilters(ctx, 'orders')
		]);
		return { list, reps, savedFilters, amountProblem, cursor };
	});

async function nothing(input: Record<string, string>): Promise<Page<OrderRow>> {
	return {
		rows: [],
		total: 0,
		page: 1,
		pageSize: Number(input.pageSize) || 25,
		sort: input.sort || 'createdAt',
		dir: input.dir === 'asc' ? 'asc' : 'desc'
	};
}
