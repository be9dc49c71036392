import { json, type RequestHandler } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { runtime } from '$lib/server/app';
import { errorResponse, jsonError } from '$lib/server/http';
import { readJson } from '$lib/server/route';
import { setSessionCookie } from '$lib/server/hooks/auth';
import { InvalidCredentialsError } from '$lib/server/errors';
import { terminalSignIn } from '$lib/server/services/terminal-auth';

/** {scan: 'EOB:<badge>'} or {badge, pin}: a worker signs in at this terminal (session cookie bound to it). */
export const POST: RequestHandler = async ({ request, cookies, url, getClientAddress, locals }) => {
	try {
		const { database } = await runtime();
		const body = await readJson(request, locals.locale, 2_000);
		const { token, session, worker } = await terminalSignIn(database.db, locals.device, body, {
			ip: getClientAddress(),
			userAgent: request.headers.get('user-agent'),
			locale: locals.locale
		});
		setSessionCookie(cookies, token, session.expiresAt, url.protocol === 'https:');
		return json({ worker, expiresAt: session.expiresAt });
	} catch (e) {
		// One message for an unknown badge or a wrong PIN, in the terminal's words.
		if (e instanceof InvalidCredentialsError)
			return jsonError(401, e.code, m.term_signin_failed({}, { locale: locals.locale }));
		return errorResponse(e, locals.locale);
	}
};
