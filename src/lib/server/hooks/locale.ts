import type { Handle } from '@sveltejs/kit';
import { paraglideMiddleware } from '$lib/paraglide/server';
import { cookieName, cookieMaxAge, defineCustomServerStrategy, isLocale } from '$lib/paraglide/runtime';

/**
 * The language is remembered per user: a signed-in user's saved locale wins (the 'custom-user'
 * strategy), and the locale cookie is kept in step so the browser's runtime agrees.
 */
const userLocale = new WeakMap<Request, string>();
defineCustomServerStrategy('custom-user', {
	getLocale: (request) => (request ? userLocale.get(request) : undefined)
});

export const localize: Handle = ({ event, resolve }) => {
	const saved = event.locals.actor?.locale;
	if (saved) {
		userLocale.set(event.request, saved);
		if (event.cookies.get(cookieName) !== saved)
			event.cookies.set(cookieName, saved, {
				path: '/',
				maxAge: cookieMaxAge,
				httpOnly: false,
				sameSite: 'lax',
				secure: event.url.protocol === 'https:'
			});
	}
	return paraglideMiddleware(event.request, ({ request, locale }) => {
		event.request = request;
		event.locals.locale = isLocale(locale) ? locale : 'zh-CN';
		return resolve(event, { transformPageChunk: ({ html }) => html.replace('%lang%', locale) });
	});
};
