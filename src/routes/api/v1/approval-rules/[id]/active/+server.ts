import { endpoint, readJson } from '$lib/server/route';
import { setRuleActive } from '$lib/server/services/approval-policy-admin';

/** {version, active}: the rule switched on or off. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	setRuleActive(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
