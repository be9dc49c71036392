import { json, type RequestHandler } from '@sveltejs/kit';
import { runtime } from '$lib/server/app';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { terminalSignOut } from '$lib/server/services/terminal-auth';

/** The worker at this terminal signs out; the terminal stays enrolled. */
export const POST: RequestHandler = async ({ cookies, locals }) => {
	const { database } = await runtime();
	const result = await terminalSignOut(database.db, locals.device, locals.actor, locals.session);
	cookies.delete(SESSION_COOKIE, { path: '/' });
	return json(result);
};
