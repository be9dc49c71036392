import type { Handle } from '@sveltejs/kit';
import { jsonError } from '../http';
import { m } from '$lib/paraglide/messages';

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * SvelteKit checks the Origin of form posts only; JSON endpoints get the same check here.
 * A browser always sends Origin on a cross-origin write, so a foreign Origin (or
 * Sec-Fetch-Site: cross-site) is refused; scripts without Origin authenticate by token or
 * by the session cookie they obtained themselves.
 */
export const originGuard: Handle = ({ event, resolve }) => {
	const { request, url } = event;
	if (!SAFE.has(request.method) && (url.pathname.startsWith('/api/') || url.pathname === '/healthz')) {
		const origin = request.headers.get('origin');
		const site = request.headers.get('sec-fetch-site');
		if ((origin && origin !== url.origin) || site === 'cross-site') {
			return jsonError(403, 'bad_origin', m.error_bad_origin({}, { locale: event.locals.locale }));
		}
	}
	return resolve(event);
};
