import { fail, redirect } from '@sveltejs/kit';
import type { Actions, PageServerLoad } from './$types';
import { runtime } from '$lib/server/app';
import { AppError } from '$lib/server/errors';
import { messageFor } from '$lib/server/messages';
import { describeDevice } from '$lib/server/services/devices';
import { enrolThisBrowser, forgetThisBrowser } from '$lib/server/device-cookie';

/** Which device this browser is, if any; enrolling with a one-time code; forgetting it. */
export const load: PageServerLoad = async ({ locals, url }) => {
	const { database } = await runtime();
	const device = locals.device ? await describeDevice(database.db, locals.device) : null;
	return { device, next: url.searchParams.get('next') };
};

export const actions: Actions = {
	enrol: async (event) => {
		const form = await event.request.formData();
		const code = String(form.get('code') ?? '');
		let to: string;
		try {
			const next = event.url.searchParams.get('next');
			to = (await enrolThisBrowser(event, { code, ...(next ? { next } : {}) })).redirect;
		} catch (e) {
			if (!(e instanceof AppError)) throw e;
			return fail(e.status, { code, message: messageFor(e, event.locals.locale) });
		}
		redirect(303, to);
	},
	forget: async (event) => {
		await forgetThisBrowser(event);
		return { forgotten: true };
	}
};
