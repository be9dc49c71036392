import { listPage } from '$lib/server/route';
import { listServiceTickets } from '$lib/server/services/service';

export const load = listPage(listServiceTickets);
