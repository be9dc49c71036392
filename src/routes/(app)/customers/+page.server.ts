import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { listCustomers } from '$lib/server/services/customers';

export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => ({ list: await listCustomers(ctx, paramsOf(event.url)) }));
