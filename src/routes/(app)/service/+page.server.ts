import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { listServiceTickets } from '$lib/server/services/service';

export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => ({ list: await listServiceTickets(ctx, paramsOf(event.url)) }));
