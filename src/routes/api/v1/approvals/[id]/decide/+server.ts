import { endpoint, readJson } from '$lib/server/route';
import { decideStep } from '$lib/server/services/approval-actions';

/** {decision: approve|reject|return, reason?, version}: the step as decided; a stale version is a 409. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	decideStep(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
