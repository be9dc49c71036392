import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { runtime } from '$lib/server/app';
import { login, needsSetup, setupFirstAdmin } from '$lib/server/services/auth';
import { setSessionCookie } from '$lib/server/hooks/auth';
import { AppError, ValidationError } from '$lib/server/errors';
import { messageFor } from '$lib/server/messages';

/** A real deployment starts empty and asks for its first administrator; afterwards this is gone. */
export const load: PageServerLoad = async () => {
	const { database } = await runtime();
	if (!(await needsSetup(database.db))) redirect(303, '/login');
	return {};
};

export const actions: Actions = {
	default: async ({ request, cookies, url, getClientAddress, locals }) => {
		const values = Object.fromEntries(
			['companyName', 'companyCode', 'username', 'displayName', 'password', 'confirm'].map((k) => [
				k,
				''
			]) as [string, string][]
		);
		const form = await request.formData();
		for (const k of Object.keys(values)) values[k] = String(form.get(k) ?? '');
		const { database, sessions } = await runtime();
		try {
			await setupFirstAdmin(database.db, values, locals.locale);
			const { token, session } = await login(
				database.db,
				sessions,
				{ username: values.username, password: values.password },
				{ ip: getClientAddress(), userAgent: request.headers.get('user-agent'), locale: locals.locale }
			);
			setSessionCookie(cookies, token, session.expiresAt, url.protocol === 'https:');
		} catch (e) {
			if (!(e instanceof AppError)) throw e;
			const { password: _p, confirm: _c, ...keep } = values;
			const issues = e instanceof ValidationError ? e.issues : [];
			return fail(e.status, { values: keep, issues, message: messageFor(e, locals.locale) });
		}
		redirect(303, '/');
	}
};
