import { listEndpoint } from '$lib/server/route';
import { listServiceTickets } from '$lib/server/services/service';

export const GET = listEndpoint(listServiceTickets);
