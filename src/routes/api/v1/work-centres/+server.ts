import { endpoint, readJson } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { createWorkCentre, listWorkCentres } from '$lib/server/services/work-centres';

/** The work centres of the user's companies (`?companyId=` for one): {rows, canEdit}. */
export const GET = endpoint((ctx, { url }) => listWorkCentres(ctx, paramsOf(url)));

/** A new work centre (production.plan): the centre as saved. */
export const POST = endpoint(async (ctx, { request, locals }) =>
	createWorkCentre(ctx, await readJson(request, locals.locale, 50_000))
);
