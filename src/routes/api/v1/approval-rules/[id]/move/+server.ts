import { endpoint, readJson } from '$lib/server/route';
import { moveRule } from '$lib/server/services/approval-policy-admin';

/** {version, direction: up|down}: the rules whose priority changed. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	moveRule(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
