import { endpoint, readJson } from '$lib/server/route';
import { createRule, listRules } from '$lib/server/services/approval-policy-admin';

/** The approval policy: rules in priority order with steps, approver roles, catch-all gaps. */
export const GET = endpoint((ctx) => listRules(ctx));

/** A new rule (amounts in yuan, discount in %): the rule as saved. */
export const POST = endpoint(async (ctx, { request, locals }) =>
	createRule(ctx, await readJson(request, locals.locale, 100_000))
);
