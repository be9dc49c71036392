import { endpoint, readJson } from '$lib/server/route';
import { updateRouting } from '$lib/server/services/routings';

/**
 * {version, name?, stages?, active?}: replaces the whole stage list and/or switches the routing
 * on or off, in one transaction. Only work orders created afterwards follow it. A stale version
 * is a 409 with the routing as it is now.
 */
export const PUT = endpoint(async (ctx, { params, request, locals }) =>
	updateRouting(ctx, params.id, await readJson(request, locals.locale, 100_000))
);
