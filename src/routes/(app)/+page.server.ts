import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { homeSummary } from '$lib/server/services/home';

export const load: PageServerLoad = (event) =>
	serve(event, async (ctx) => ({ summary: await homeSummary(ctx) }));
