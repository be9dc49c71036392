import { endpoint, readJson } from '$lib/server/route';
import { requestChange } from '$lib/server/services/order-changes';

/**
 * {kind: 'change'|'cancel', reason, version, order?}: a change (the whole order as it should be)
 * or a cancellation of an approved order, sent through approval.
 */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	requestChange(ctx, params.id, await readJson(request, locals.locale, 200_000))
);
