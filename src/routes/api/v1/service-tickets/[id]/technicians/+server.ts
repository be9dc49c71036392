import { endpoint } from '$lib/server/route';
import { ticketCandidates } from '$lib/server/services/tickets-assign';

/** The company's technicians ranked for this ticket, with the reasons. */
export const GET = endpoint((ctx, { params }) => ticketCandidates(ctx, params.id));
