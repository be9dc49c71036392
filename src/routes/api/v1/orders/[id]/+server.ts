import { endpoint, readJson } from '$lib/server/route';
import { getOrder } from '$lib/server/services/orders';
import { updateOrder } from '$lib/server/services/order-entry';

export const GET = endpoint((ctx, { params }) => getOrder(ctx, params.id));

/** The rep's edit: the whole order plus the `version` they read; a stale one is a 409. */
export const PUT = endpoint(async (ctx, { params, request, locals }) =>
	updateOrder(ctx, params.id, await readJson(request, locals.locale, 200_000))
);
