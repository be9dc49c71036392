import { endpoint, readJson } from '$lib/server/route';
import { releasePart } from '$lib/server/services/tickets-parts';

/** {version}: drops a part not issued yet; its reservation is released. */
export const DELETE = endpoint(async (ctx, { params, request, locals }) =>
	releasePart(ctx, params.id, params.partId, await readJson(request, locals.locale, 10_000))
);
