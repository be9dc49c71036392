import { listPage } from '$lib/server/route';
import { listWorkOrders } from '$lib/server/services/production';

export const load = listPage(listWorkOrders);
