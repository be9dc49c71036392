import { listEndpoint } from '$lib/server/route';
import { listOrders } from '$lib/server/services/orders';

export const GET = listEndpoint(listOrders);
