import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { listOrders } from '$lib/server/services/orders';

export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => ({ list: await listOrders(ctx, paramsOf(event.url)) }));
