import type { Handle, Cookies } from '@sveltejs/kit';
import { runtime } from '../app';
import { SESSION_COOKIE, validateSessionToken } from '../auth/session';
import { actorForApiToken } from '../auth/api-tokens';
import { DEVICE_COOKIE, deviceForToken } from '../auth/device';

/**
 * Sets locals.actor from the session cookie, or from an `Authorization: Bearer` API token.
 * A registered terminal or wall display also has a device cookie: locals.device, and, while no
 * person is signed in at it, the device's own read-only actor.
 */
export const authenticate: Handle = async ({ event, resolve }) => {
	const { database, sessions } = await runtime();
	event.locals.actor = null;
	event.locals.session = null;
	event.locals.device = null;
	const deviceToken = event.cookies.get(DEVICE_COOKIE);
	if (deviceToken) {
		const found = await deviceForToken(database.db, deviceToken);
		if (found) {
			event.locals.device = found.device;
			event.locals.actor = found.actor;
		} else event.cookies.delete(DEVICE_COOKIE, { path: '/' });
	}
	const bearer = event.request.headers.get('authorization')?.match(/^Bearer\s+(\S+)$/i)?.[1];
	if (bearer && event.url.pathname.startsWith('/api/')) {
		event.locals.actor = await actorForApiToken(database.db, bearer);
	} else {
		const token = event.cookies.get(SESSION_COOKIE);
		if (token) {
			const result = await validateSessionToken(database.db, token, sessions);
			if (result) {
				// A worker's terminal session is only good at the terminal it was opened on.
				const elsewhere = result.session.deviceId !== null && result.session.deviceId !== event.locals.device?.id;
				if (elsewhere) {
					event.cookies.delete(SESSION_COOKIE, { path: '/' });
					return resolve(event);
				}
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
