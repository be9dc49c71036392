import { listPage } from '$lib/server/route';
import { listStockItems } from '$lib/server/services/stock';

export const load = listPage(listStockItems);
