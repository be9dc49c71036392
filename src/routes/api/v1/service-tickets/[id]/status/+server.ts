import { endpoint, readJson } from '$lib/server/route';
import { moveTicket } from '$lib/server/services/tickets-flow';

/** {to, version, resolution?, rating?, ratingComment?}: the next step of the ticket's status flow. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	moveTicket(ctx, params.id, await readJson(request, locals.locale, 20_000))
);
