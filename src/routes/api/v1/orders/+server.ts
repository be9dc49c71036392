import { endpoint, listEndpoint, readJson } from '$lib/server/route';
import { listOrders } from '$lib/server/services/orders';
import { createOrder } from '$lib/server/services/order-entry';

export const GET = listEndpoint(listOrders);

/** A new draft order: the body is the order as `orderInput` describes it; answers {id, number}. */
export const POST = endpoint(async (ctx, { request, locals }) =>
	createOrder(ctx, await readJson(request, locals.locale, 200_000))
);
