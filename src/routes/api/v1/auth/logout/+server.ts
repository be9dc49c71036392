import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { runtime } from '$lib/server/app';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { logout } from '$lib/server/services/auth';

export const POST: RequestHandler = async ({ locals, cookies }) => {
	const { database } = await runtime();
	await logout(database.db, locals.session);
	cookies.delete(SESSION_COOKIE, { path: '/' });
	return json({ ok: true });
};
