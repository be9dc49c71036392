import { endpoint, readJson } from '$lib/server/route';
import { updateCrew } from '$lib/server/services/crews';

/** {version, name?, baseCity?, baseLat?, baseLng?, capacity?, active?}: edits a crew on the version seen. */
export const PATCH = endpoint(async (ctx, { params, request, locals }) =>
	updateCrew(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
