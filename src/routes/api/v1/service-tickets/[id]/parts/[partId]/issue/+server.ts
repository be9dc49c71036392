import { endpoint, readJson } from '$lib/server/route';
import { issuePart } from '$lib/server/services/tickets-parts';

/** {version}: issues the reserved part from stock. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	issuePart(ctx, params.id, params.partId, await readJson(request, locals.locale, 10_000))
);
