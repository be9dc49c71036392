import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { listStockItems } from '$lib/server/services/stock';

export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => ({ list: await listStockItems(ctx, paramsOf(event.url)) }));
