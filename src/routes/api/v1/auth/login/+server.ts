import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { runtime } from '$lib/server/app';
import { login } from '$lib/server/services/auth';
import { loadActor } from '$lib/server/auth/session';
import { actorSummary } from '$lib/server/auth/actor-summary';
import { setSessionCookie } from '$lib/server/hooks/auth';
import { errorResponse } from '$lib/server/http';
import { readJson } from '$lib/server/route';

/** Scripts sign in here and get the same session cookie as the pages. */
export const POST: RequestHandler = async ({ request, cookies, url, getClientAddress, locals }) => {
	try {
		const { database, sessions } = await runtime();
		const body = await readJson(request, locals.locale, 10_000);
		const { token, session, user } = await login(database.db, sessions, body, {
			ip: getClientAddress(),
			userAgent: request.headers.get('user-agent'),
			locale: locals.locale
		});
		setSessionCookie(cookies, token, session.expiresAt, url.protocol === 'https:');
		const actor = await loadActor(database.db, user.id);
		return json({ user: actor && actorSummary(actor), expiresAt: session.expiresAt });
	} catch (e) {
		return errorResponse(e, locals.locale);
	}
};
