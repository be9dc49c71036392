import { error } from '@sveltejs/kit';
import type { LayoutServerLoad } from './$types';
import { actorSummary } from '$lib/server/auth/actor-summary';

/** Every page: who is signed in and their language. A page view the guard refused stops here. */
export const load: LayoutServerLoad = ({ locals, route }) => {
	// Pages of the app shell show the denial from (app)/+layout.server.ts, inside the app's error page;
	// here only routes outside it, so an unlisted route stays refused.
	if (locals.denied && !route.id?.startsWith('/(app)'))
		error(locals.denied.status, { message: locals.denied.message, code: 'forbidden' });
	return { user: locals.actor ? actorSummary(locals.actor) : null, locale: locals.locale };
};
