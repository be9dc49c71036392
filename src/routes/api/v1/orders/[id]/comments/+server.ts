import { endpoint, readJson } from '$lib/server/route';
import { addComment } from '$lib/server/services/approval-actions';

/** {body}: a comment in the order's live thread. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	addComment(ctx, params.id, await readJson(request, locals.locale, 20_000))
);
