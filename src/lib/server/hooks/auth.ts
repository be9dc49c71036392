import type { Handle, Cookies } from '@sveltejs/kit';
import { runtime } from '../app';
import { SESSION_COOKIE, validateSessionToken } from '../auth/session';
import { actorForApiToken } from '../auth/api-tokens';

/** Sets locals.actor from the session cookie, or from an `Authorization: Bearer` API token. */
export const authenticate: Handle = async ({ event, resolve }) => {
	const { database, sessions } = await runtime();
	event.locals.actor = null;
	event.locals.session = null;
	const bearer = event.request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
	if (bearer && event.url.pathname.startsWith('/api/')) {
		event.locals.actor = await actorForApiToken(database.db, bearer);
	} else {
		const token = event.cookies.get(SESSION_COOKIE);
		if (token) {
			const result = await validateSessionToken(database.db, token, sessions);
			if (result) {
				event.locals.actor = result.actor;
				event.locals.session = result.session;
				setSessionCookie(event.cookies, token, result.session.expiresAt, event.url.protocol === 'https:');
			} else {
				event.cookies.delete(SESSION_COOKIE, { path: '/' });
			}
		}
	}
	return resolve(event);
};

export function setSessionCookie(cookies: Cookies, token: string, expiresAt: Date, secure: boolean): void {
	cookies.set(SESSION_COOKIE, token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure,
		expires: expiresAt
	});
}
