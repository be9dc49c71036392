import { endpoint, readJson } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { addPart, partOptions } from '$lib/server/services/tickets-parts';

/** ?q=: items of the ticket's company with their free stock, to pick a part from. */
export const GET = endpoint((ctx, { params, url }) => partOptions(ctx, params.id, paramsOf(url)));

/** {itemId, qty, warehouseId?, version}: reserves the part for the ticket. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	addPart(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
