import { endpoint } from '$lib/server/route';
import { getTicket } from '$lib/server/services/tickets';

/** The ticket with its unit, site, parts and history. */
export const GET = endpoint((ctx, { params }) => getTicket(ctx, params.id));
