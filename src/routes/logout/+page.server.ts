import { redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { runtime } from '$lib/server/app';
import { SESSION_COOKIE } from '$lib/server/auth/session';
import { logout, logoutEverywhere } from '$lib/server/services/auth';

export const load: PageServerLoad = () => redirect(303, '/');

export const actions: Actions = {
	signout: async ({ locals, cookies }) => {
		const { database } = await runtime();
		await logout(database.db, locals.session);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	},
	everywhere: async ({ locals, cookies }) => {
		const { database } = await runtime();
		await logoutEverywhere(database.db, locals.actor);
		cookies.delete(SESSION_COOKIE, { path: '/' });
		redirect(303, '/login');
	}
};
