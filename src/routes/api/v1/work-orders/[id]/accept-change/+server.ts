import { endpoint, readJson } from '$lib/server/route';
import { acceptChange } from '$lib/server/services/production-plan';

/** {version, note}: accepts the order change that flagged the work order, then re-plans its company. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	acceptChange(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
