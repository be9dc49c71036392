import { error, redirect, type Handle } from '@sveltejs/kit';
import { ROUTE_ACCESS, isApiPath } from '../authz/routes';
import { jsonError } from '../http';
import { messageFor } from '../messages';
import { ForbiddenError, UnauthenticatedError } from '../errors';

/**
 * Checks ROUTE_ACCESS for every request before the route's load, action or handler runs.
 * Signed out: pages go to /login, the API answers 401. Lacking the permission: 403 (for a
 * page view through the root layout, so the user sees the app's error page, not a bare one).
 */
export const guard: Handle = async ({ event, resolve }) => {
	const id = event.route.id;
	if (id === null) return resolve(event); // no such route: SvelteKit answers 404
	const access = ROUTE_ACCESS[id];
	if (access === 'public') return resolve(event);
	const { actor, locale } = event.locals;
	const api = isApiPath(event.url.pathname);
	const reading = event.request.method === 'GET' || event.request.method === 'HEAD';
	if (!actor) {
		const e = new UnauthenticatedError();
		if (api) return jsonError(401, e.code, messageFor(e, locale));
		if (!reading) error(401, messageFor(e, locale));
		const next = event.url.pathname + event.url.search;
		// Terminals and wall displays enrol with a device code; a person may still sign in there.
		const signIn = /^\/(terminal|wall)\//.test(event.url.pathname) ? '/device' : '/login';
		redirect(303, next === '/' ? '/login' : `${signIn}?next=${encodeURIComponent(next)}`);
	}
	if (access === undefined || (access !== 'signed-in' && !actor.permissions.has(access))) {
		const e = new ForbiddenError();
		if (api) return jsonError(403, e.code, messageFor(e, locale));
		if (!reading) error(403, messageFor(e, locale));
		event.locals.denied = { status: 403, message: messageFor(e, locale) };
	}
	return resolve(event);
};
