import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { myCompanies } from '$lib/server/services/auth';
import { UnauthenticatedError } from '$lib/server/errors';

/** The signed-in shell: the companies the user may see (for filters and the header). */
export const load: LayoutServerLoad = (event) =>
	serve(event, async ({ db, actor }) => {
		if (!actor) throw new UnauthenticatedError();
		if (event.locals.denied)
			error(event.locals.denied.status, { message: event.locals.denied.message, code: 'forbidden' });
		return { companies: await myCompanies(db, actor) };
	});
