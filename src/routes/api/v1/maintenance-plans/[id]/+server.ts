import { endpoint, readJson } from '$lib/server/route';
import { updateMaintenancePlan } from '$lib/server/services/maintenance-plans';

/** {version, intervalDays?, active?}: changes the plan at the version read. */
export const PATCH = endpoint(async (ctx, { params, request, locals }) =>
	updateMaintenancePlan(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
