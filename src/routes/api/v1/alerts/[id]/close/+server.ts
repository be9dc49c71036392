import { endpoint, readJson } from '$lib/server/route';
import { closeAlert } from '$lib/server/services/alerts';

/** {version, note}: closes the alert with a note (required); closing an andon releases its blocked step. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	closeAlert(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
