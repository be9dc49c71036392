import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { runtime } from '$lib/server/app';
import { invalidateSession, SESSION_COOKIE } from '$lib/server/auth/session';

export const POST: RequestHandler = async ({ locals, cookies }) => {
	const { database } = await runtime();
	if (locals.session) await invalidateSession(database.db, locals.session.id);
	cookies.delete(SESSION_COOKIE, { path: '/' });
	return json({ ok: true });
};
