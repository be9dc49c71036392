import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Db } from '../db';
import type { Actor } from '../authz';
import { parseInput, type Locale } from '../validate';
import { ForbiddenError, InvalidCredentialsError, ValidationError } from '../errors';
import { hashPassword, verifyPassword } from '../auth/password';
import { assertNotThrottled, clearFailures, recordFailure } from '../auth/throttle';
import { createSession, invalidateSession, loadActor, type Session } from '../auth/session';
import type { Device } from '../auth/device';
import { appendEvent } from '../events/append';
import { disconnectSession } from '../realtime/hub';
import { endDeviceSessions } from './devices';
import { parseScan } from '../../domain/scan';

/**
 * Workers sign in at a shop-floor terminal with their badge: scanned (the card is the proof,
 * as at a time clock) or its number typed with their PIN. The session is bound to the terminal
 * (valid only with its device cookie), lasts one shift at most, and replaces whoever was signed
 * in there before. Failures are throttled per badge and per address like the password login.
 */
export const SHIFT_HOURS = 12;
const SHIFT_POLICY = { idleMs: SHIFT_HOURS * 3_600_000, absoluteMs: SHIFT_HOURS * 3_600_000 };

const signInInput = z.union([
	z.object({ scan: z.string().min(1).max(100) }).strict(),
	z
		.object({
			badge: z
				.string()
				.trim()
				.toUpperCase()
				.regex(/^[A-Z0-9-]{3,32}$/),
			pin: z.string().regex(/^\d{4,8}$/)
		})
		.strict()
]);

// A real hash, so an unknown badge costs the same time as a wrong PIN.
const DUMMY_HASH = hashPassword('0000-timing');

/** The registered terminal this request comes from; anything else may not act as one. */
export function requireTerminal(device: Device | null, locale: Locale): Device & { workCentreId: number } {
	if (!device || device.kind !== 'terminal' || device.workCentreId === null)
		throw new ForbiddenError(m.term_err_not_terminal({}, { locale }));
	return device as Device & { workCentreId: number };
}

export interface TerminalSignIn {
	token: string;
	session: Session;
	worker: { id: number; displayName: string; locale: Locale };
}

export async function terminalSignIn(
	db: Db,
	device: Device | null,
	input: unknown,
	meta: { ip: string | null; userAgent: string | null; locale: Locale }
): Promise<TerminalSignIn> {
	const d = requireTerminal(device, meta.locale);
	const v = parseInput(signInInput, input, meta.locale);
	let badge: string;
	if ('scan' in v) {
		const scan = parseScan(v.scan);
		if (scan.kind !== 'badge') throw new ValidationError(m.term_err_not_badge({}, { locale: meta.locale }), [{ path: 'scan', message: m.term_err_not_badge({}, { locale: meta.locale }) }]);
		badge = scan.code;
	} else badge = v.badge;
	const throttleKey = `badge:${badge}`;
	await assertNotThrottled(db, throttleKey, meta.ip);
	const [user] = await db
		.select({ id: schema.users.id, kind: schema.users.kind, active: schema.users.active, pinHash: schema.users.pinHash })
		.from(schema.users)
		.where(eq(schema.users.badgeCode, badge));
	const pinOk = 'pin' in v ? await verifyPassword(user?.pinHash ?? (await DUMMY_HASH), v.pin) : true;
	if (!user || user.kind !== 'person' || !user.active || !pinOk) {
		await recordFailure(db, throttleKey, meta.ip);
		throw new InvalidCredentialsError();
	}
	const actor = await loadActor(db, user.id);
	if (!actor || !actor.permissions.has('production.report') || !actor.companyIds.includes(d.companyId))
		throw new ForbiddenError(m.term_err_not_allowed({ name: actor?.displayName ?? badge }, { locale: meta.locale }));
	await clearFailures(db, throttleKey);
	const created = await db.transaction(async (tx) => {
		const c = await createSession(tx, user.id, SHIFT_POLICY, { deviceId: d.id, ip: meta.ip, userAgent: meta.userAgent });
		await auditTerminal(tx, d, actor, 'terminal.signed_in', { via: 'pin' in v ? 'pin' : 'scan' });
		return c;
	});
	// One worker at a terminal at a time: whoever was signed in there is signed out.
	await endDeviceSessions(db, d.id, created.session.id);
	return { ...created, worker: { id: actor.id, displayName: actor.displayName, locale: actor.locale } };
}

/** The worker at the terminal signs out; the terminal stays enrolled and shows the sign-in again. */
export async function terminalSignOut(db: Db, device: Device | null, actor: Actor | null, session: Session | null) {
	if (!session || !actor) return { signedOut: false };
	await db.transaction(async (tx) => {
		await invalidateSession(tx, session.id);
		if (device) await auditTerminal(tx, device, actor, 'terminal.signed_out');
	});
	disconnectSession(session.id);
	return { signedOut: true };
}

function auditTerminal(tx: Parameters<typeof appendEvent>[0], d: Device, actor: Actor, type: string, extra: Record<string, unknown> = {}) {
	return appendEvent(tx, {
		companyId: d.companyId,
		topic: 'admin',
		entity: 'user',
		entityId: actor.id,
		entityVersion: 0,
		type,
		payload: { deviceId: d.id, device: d.name, workCentreId: d.workCentreId, ...extra },
		actorId: actor.id
	});
}
