import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { listWorkOrders } from '$lib/server/services/production';

export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => ({ list: await listWorkOrders(ctx, paramsOf(event.url)) }));
