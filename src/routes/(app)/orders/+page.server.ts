import { listPage } from '$lib/server/route';
import { listOrders } from '$lib/server/services/orders';

export const load = listPage(listOrders);
