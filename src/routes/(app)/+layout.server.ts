import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { myCompanies } from '$lib/server/services/auth';
import { openAlertCount } from '$lib/server/services/alerts';
import { UnauthenticatedError } from '$lib/server/errors';

/**
 * The signed-in shell: the companies the user may see (for filters and the header) and, for
 * users who see production, the open alerts for the header bell (read again on alert events).
 */
export const load: LayoutServerLoad = (event) =>
	serve(event, async (ctx) => {
		const { db, actor } = ctx;
		if (!actor) throw new UnauthenticatedError();
		if (event.locals.denied)
			error(event.locals.denied.status, { message: event.locals.denied.message, code: 'forbidden' });
		event.depends('app:alert-count');
		const [companies, alertCount] = await Promise.all([myCompanies(db, actor), openAlertCount(ctx)]);
		return { companies, alertCount };
	});
