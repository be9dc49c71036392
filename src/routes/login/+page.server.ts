import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { runtime } from '$lib/server/app';
import { login, needsSetup } from '$lib/server/services/auth';
import { setSessionCookie } from '$lib/server/hooks/auth';
import { safeNext } from '$lib/server/auth/next-url';
import { AppError } from '$lib/server/errors';
import { messageFor } from '$lib/server/messages';

export const load: PageServerLoad = async ({ locals, url }) => {
	// At a terminal or wall display the device's own actor is no person: they may still sign in.
	if (locals.actor && locals.actor.id !== locals.device?.userId) redirect(303, safeNext(url.searchParams.get('next')));
	const { database, config } = await runtime();
	if (await needsSetup(database.db)) redirect(303, '/setup');
	return { demo: config.demoData };
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, locals }) => {
		const form = await request.formData();
		const username = String(form.get('username') ?? '');
		const { database, sessions } = await runtime();
		try {
			const { token, session } = await login(
				database.db,
				sessions,
				{ username, password: String(form.get('password') ?? '') },
				{ ip: getClientAddress(), userAgent: request.headers.get('user-agent'), locale: locals.locale }
			);
			setSessionCookie(cookies, token, session.expiresAt, url.protocol === 'https:');
		} catch (e) {
			if (!(e instanceof AppError)) throw e;
			// One message for every wrong credential: it never tells which part was wrong.
			const message =
				e.code === 'unauthenticated' || e.code === 'invalid' ? null : messageFor(e, locals.locale);
			return fail(e.status, { username, failed: true, message });
		}
		redirect(303, safeNext(url.searchParams.get('next')));
	}
};
