import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { listApprovals } from '$lib/server/services/approvals';

export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => ({ list: await listApprovals(ctx, paramsOf(event.url)) }));
