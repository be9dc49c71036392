import { json } from '@sveltejs/kit';
import type { RequestHandler } from './$types';
import { runtime } from '$lib/server/app';
import { logoutEverywhere } from '$lib/server/services/auth';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { errorResponse } from '$lib/server/http';

export const POST: RequestHandler = async ({ locals, cookies }) => {
	try {
		const { database } = await runtime();
		await logoutEverywhere(database.db, locals.actor);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		return json({ ok: true });
	} catch (e) {
		return errorResponse(e, locals.locale);
	}
};
