import { listEndpoint } from '$lib/server/route';
import { listWorkOrders } from '$lib/server/services/production';

export const GET = listEndpoint(listWorkOrders);
