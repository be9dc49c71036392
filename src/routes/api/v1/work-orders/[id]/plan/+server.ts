import { endpoint, readJson } from '$lib/server/route';
import { planWorkOrder } from '$lib/server/services/production-plan';

/**
 * {version, notBefore?, planRank?, locked?, place?: {before: id} | {after: id | null}}: moves,
 * resequences, locks or unlocks the work order, then re-plans its company. A stale version is a 409.
 */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	planWorkOrder(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
