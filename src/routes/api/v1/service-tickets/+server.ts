import { endpoint, listEndpoint, readJson } from '$lib/server/route';
import { listServiceTickets } from '$lib/server/services/service';
import { openTicket } from '$lib/server/services/tickets';

export const GET = listEndpoint(listServiceTickets);

/** {unitId, kind, priority, description, reportedBy?, reporterPhone}: opens a ticket, auto-assigned at once. */
export const POST = endpoint(async (ctx, { request, locals }) =>
	openTicket(ctx, await readJson(request, locals.locale, 20_000))
);
