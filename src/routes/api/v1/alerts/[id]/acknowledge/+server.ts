import { endpoint, readJson } from '$lib/server/route';
import { acknowledgeAlert } from '$lib/server/services/alerts';

/** {version}: an open alert becomes acknowledged; a stale version or a closed alert is a 409 with the alert as it is now. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	acknowledgeAlert(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
