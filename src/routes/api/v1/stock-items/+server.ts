import { listEndpoint } from '$lib/server/route';
import { listStockItems } from '$lib/server/services/stock';

export const GET = listEndpoint(listStockItems);
