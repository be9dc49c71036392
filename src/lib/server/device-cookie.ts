import { z } from 'zod';
import type { RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages';
import { runtime } from './app';
import { parseInput } from './validate';
import { NotFoundError, ValidationError } from './errors';
import { DEVICE_COOKIE, DEVICE_COOKIE_DAYS } from './auth/device';
import { SESSION_COOKIE } from './auth/session';
import { assertNotThrottled, recordFailure } from './auth/throttle';
import { safeNext } from './auth/next-url';
import { enrolDevice } from './services/devices';
import { logout } from './services/auth';

/**
 * The browser's side of enrolment, shared by the /device page and POST /api/v1/devices/enrol:
 * a right code becomes the device cookie (HttpOnly, SameSite=Lax, Secure over https, a year).
 * Wrong codes are throttled per address like sign-ins, so codes cannot be guessed.
 */
type Event = Pick<RequestEvent, 'cookies' | 'url' | 'getClientAddress' | 'locals'>;

const enrolInput = z.object({ code: z.string().trim().min(1).max(40), next: z.string().max(500).optional() }).strict();

export async function enrolThisBrowser(event: Event, input: unknown) {
	const { database } = await runtime();
	const locale = event.locals.locale;
	const v = parseInput(enrolInput, input, locale);
	const ip = event.getClientAddress();
	const key = `enrol:${ip}`;
	await assertNotThrottled(database.db, key, ip);
	let enrolled: Awaited<ReturnType<typeof enrolDevice>>;
	try {
		enrolled = await enrolDevice(database.db, { code: v.code }, locale);
	} catch (e) {
		if (!(e instanceof NotFoundError)) throw e;
		await recordFailure(database.db, key, ip);
		const message = m.device_err_code({}, { locale });
		throw new ValidationError(message, [{ path: 'code', message }]);
	}
	event.cookies.set(DEVICE_COOKIE, enrolled.token, {
		path: '/',
		httpOnly: true,
		sameSite: 'lax',
		secure: event.url.protocol === 'https:',
		maxAge: DEVICE_COOKIE_DAYS * 86_400
	});
	const { device } = enrolled;
	const home = device.kind === 'terminal' ? `/terminal/${device.workCentreId}` : '/wall/production';
	const next = v.next ? safeNext(v.next) : '/';
	return { device, redirect: next !== '/' ? next : home };
}

/**
 * "Forget this device": this browser stops being the device (the registration stays until a
 * planner revokes it), and a worker signed in at it is signed out.
 */
export async function forgetThisBrowser(event: Event): Promise<void> {
	const { database } = await runtime();
	const { device, session } = event.locals;
	if (device && session?.deviceId === device.id) {
		await logout(database.db, session);
		event.cookies.delete(SESSION_COOKIE, { path: '/' });
	}
	event.cookies.delete(DEVICE_COOKIE, { path: '/' });
}
