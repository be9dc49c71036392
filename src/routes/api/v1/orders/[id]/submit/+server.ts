import { endpoint, readJson } from '$lib/server/route';
import { submitOrder } from '$lib/server/services/approval-actions';

/** {version}: submits a draft on the route the policy picks; answers {status, auto, ruleName}. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	submitOrder(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
