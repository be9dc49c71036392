import { endpoint, readJson } from '$lib/server/route';
import { assignJob } from '$lib/server/services/dispatch';

/**
 * {crewId, version, plannedStart?, plannedEnd?}: books the crew for the job's days. A stale
 * version is a 409; a crew that is full on a day of the job or lacks a certificate is a 400.
 */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	assignJob(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
