import { endpoint, readJson } from '$lib/server/route';
import { releaseStep } from '$lib/server/services/approval-actions';

/** {version}: gives a claimed item back to the queue. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	releaseStep(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
