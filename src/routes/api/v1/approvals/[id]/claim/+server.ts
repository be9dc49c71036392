import { endpoint, readJson } from '$lib/server/route';
import { claimStep } from '$lib/server/services/approval-actions';

/** {version}: takes the item; of two claims at the same moment one wins, the other gets a 409. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	claimStep(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
