import { endpoint, readJson } from '$lib/server/route';
import { assignTicket } from '$lib/server/services/tickets-assign';

/** {technicianId, version}: (re)assigns the ticket to an eligible technician of the company. */
export const POST = endpoint(async (ctx, { params, request, locals }) =>
	assignTicket(ctx, params.id, await readJson(request, locals.locale, 10_000))
);
