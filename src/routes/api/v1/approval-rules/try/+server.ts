import { endpoint, readJson } from '$lib/server/route';
import { tryOrder } from '$lib/server/services/approval-policy-admin';

/** An example order (and optionally the unsaved draft rule): the rule that fires and why earlier ones did not. */
export const POST = endpoint(async (ctx, { request, locals }) =>
	tryOrder(ctx, await readJson(request, locals.locale, 100_000))
);
