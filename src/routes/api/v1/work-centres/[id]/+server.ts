import { endpoint, readJson } from '$lib/server/route';
import { updateWorkCentre } from '$lib/server/services/work-centres';

/**
 * An edit with the version read (production.plan): the centre as saved; a stale version is a 409
 * with the centre as it is now. Schedules already made are not changed: the planner re-plans.
 */
export const PUT = endpoint(async (ctx, { params, request, locals }) =>
	updateWorkCentre(ctx, params.id, await readJson(request, locals.locale, 50_000))
);
