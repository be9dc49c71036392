import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { paramsOf } from '$lib/server/services/list';
import { listInstallationJobs } from '$lib/server/services/installation';

export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => ({ list: await listInstallationJobs(ctx, paramsOf(event.url)) }));
