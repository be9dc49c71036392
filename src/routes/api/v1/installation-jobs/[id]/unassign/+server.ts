import { endpoint, readJson } from '$lib/server/route';
import { unassignJob } from '$lib/server/services/dispatch';

/** {version}: takes the crew off a job that has not started. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	unassignJob(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
