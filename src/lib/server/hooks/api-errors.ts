import type { Handle } from '@sveltejs/kit';
import { isApiPath } from '../authz/routes';
import { jsonError } from '../http';
import { m } from '$lib/paraglide/messages';

/**
 * API clients always get JSON: an error SvelteKit itself answers under /api (an unknown path,
 * a malformed URL) is rewritten to {error: {code, message}}.
 */
export const apiErrors: Handle = async ({ event, resolve }) => {
	const response = await resolve(event);
	if (!isApiPath(event.url.pathname) || response.status < 400) return response;
	if (response.headers.get('content-type')?.includes('application/json')) return response;
	const o = { locale: event.locals.locale };
	if (response.status === 404) return jsonError(404, 'not_found', m.error_not_found({}, o));
	if (response.status < 500) return jsonError(response.status, 'invalid', m.error_invalid({}, o));
	return jsonError(response.status, 'internal', m.error_internal({ id: '-' }, o));
};
