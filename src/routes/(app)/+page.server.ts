import { redirect } from '@sveltejs/kit';
import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { homeSummary } from '$lib/server/services/home';

/**
 * The home page's figures. People who report from site but do not dispatch (installers and
 * technicians) land on their phone app instead: their jobs are their home.
 */
export const load: PageServerLoad = (event) => {
	const p = event.locals.actor?.permissions;
	if (p?.has('installation.report') && !p.has('installation.dispatch')) redirect(303, '/field');
	return serve(event, async (ctx) => ({ summary: await homeSummary(ctx) }));
};
