import { fail } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { serve } from '$lib/server/route';
import { issueApiToken, listApiTokens, listSessions, revokeToken } from '$lib/server/services/auth';
import { AppError } from '$lib/server/errors';
import { messageFor } from '$lib/server/messages';

export const load: PageServerLoad = (event) =>
	serve(event, async ({ db, actor }) => {
		const [sessions, tokens] = await Promise.all([listSessions(db, actor), listApiTokens(db, actor)]);
		// Session ids are hashes of the cookie tokens: say which one is this browser, send no ids.
		const current = event.locals.session?.id;
		return {
			sessions: sessions.map(({ id, ...s }, i) => ({ ...s, key: i, current: id === current })),
			tokens
		};
	});

export const actions: Actions = {
	createToken: (event) =>
		serve(event, async ({ db, actor }) => {
			const form = await event.request.formData();
			try {
				const created = await issueApiToken(db, actor, {
					name: form.get('name'),
					expiresInDays: form.get('expiresInDays') || undefined
				});
				return { created: { name: created.name, token: created.token } };
			} catch (e) {
				if (e instanceof AppError && e.status === 400)
					return fail(400, { tokenError: messageFor(e, event.locals.locale) });
				throw e;
			}
		}),
	revokeToken: (event) =>
		serve(event, async ({ db, actor }) => {
			const form = await event.request.formData();
			await revokeToken(db, actor, form.get('id'));
			return { revoked: true };
		})
};
