import type { PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { listRules } from '$lib/server/services/approval-policy-admin';

export const load: PageServerLoad = (event) => {
	// Reloaded after each save and when another admin's change arrives as a live event.
	event.depends('app:approval-rules');
	return serve(event, (ctx) => listRules(ctx));
};
