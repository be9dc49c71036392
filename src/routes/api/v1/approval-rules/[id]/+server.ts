import { endpoint, readJson } from '$lib/server/route';
import { removeRule, updateRule } from '$lib/server/services/approval-policy-admin';

/** An edit with the version read: the rule as saved; a stale version is a 409 with the rule as it is now. */
export const PUT = endpoint(async (ctx, { params, request, locals }) =>
	updateRule(ctx, params.id, await readJson(request, locals.locale, 100_000))
);

/** {version}: deletes the rule, or deactivates it when orders have used it ({outcome, rule}). */
export const DELETE = endpoint(async (ctx, { params, request, locals }) =>
	removeRule(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
