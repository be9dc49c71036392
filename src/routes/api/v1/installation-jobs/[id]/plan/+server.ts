import { endpoint, readJson } from '$lib/server/route';
import { planInstallationJob } from '$lib/server/services/job-plan';

/** {version, plannedStart?, plannedEnd?, lat?, lng?, priority?}: corrects the job's days, position or priority. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	planInstallationJob(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
