import { endpoint, readJson } from '$lib/server/route';
import { shipUnits } from '$lib/server/services/shipping';

/** {version, unitIds, shippedOn?}: ships produced units to the order's site and opens its installation job. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	shipUnits(ctx, params.id, await readJson(request, locals.locale, 50_000))
);
