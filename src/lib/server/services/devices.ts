import { z } from 'zod';
import { and, eq, gt, isNull, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Tx } from '../db';
import { assertInScope, authorize, canSeeCompany, scopeFilter } from '../authz';
import { parseId, parseInput, trimmed } from '../validate';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { generateToken, hashToken } from '../auth/session';
import { deviceSessionId, newDeviceToken } from '../auth/device';
import { disconnectSession } from '../realtime/hub';
import { ensureRoles } from '../seed';
import { DEVICE_KINDS } from '../../domain/statuses';
import { WALL_VIEWS } from '../../wall/board';
import type { Ctx } from './context';

/**
 * Registering shop-floor terminals and wall displays. A planner registers a device and gets a
 * short one-time code; typed on the device at /device, it becomes the device's long-lived
 * token cookie. Each device acts as its own user of kind 'device' with the read-only 'display'
 * role in its company, so scope, rooms and audit work as for anyone else.
 */

const { devices, users, userRoles, userCompanyGrants, workCentres, sessions } = schema;

/** A one-time enrolment code works this long. */
const ENROL_MINUTES = 30;
/** Letters and digits that cannot be mistaken for one another when typed from a screen. */
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

function enrolCode(): string {
	const bytes = new Uint8Array(8);
	crypto.getRandomValues(bytes);
	return [...bytes].map((b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
}
const normaliseCode = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

const settingsInput = z
	.object({
		views: z.array(z.enum(WALL_VIEWS)).min(1).max(WALL_VIEWS.length).optional(),
		rotateSeconds: z.coerce.number().int().min(5).max(600).optional()
	})
	.strict();

const registerInput = z
	.object({
		kind: z.enum(DEVICE_KINDS),
		name: trimmed(1, 60),
		companyId: z.coerce.number().int().min(1).max(2_147_483_647),
		workCentreId: z.preprocess(
			(v) => (v === '' || v === null ? undefined : v),
			z.coerce.number().int().min(1).max(2_147_483_647).optional()
		),
		settings: settingsInput.optional()
	})
	.strict();

export async function listDevices({ db, actor }: Ctx) {
	const a = authorize(actor, 'production.plan');
	const [rows, centres] = await Promise.all([
		db
			.select({
				id: devices.id,
				companyId: devices.companyId,
				kind: devices.kind,
				name: devices.name,
				workCentreId: devices.workCentreId,
				workCentre: workCentres.name,
				workCentreEn: workCentres.nameEn,
				enrolled: sql<boolean>`${devices.tokenHash} is not null`,
				enrolExpiresAt: devices.enrolExpiresAt,
				settings: devices.settings,
				lastSeenAt: devices.lastSeenAt,
				revokedAt: devices.revokedAt,
				version: devices.version
			})
			.from(devices)
			.leftJoin(workCentres, eq(workCentres.id, devices.workCentreId))
			.where(scopeFilter(a, devices.companyId))
			.orderBy(sql`${devices.revokedAt} is not null`, devices.kind, devices.name, devices.id),
		db
			.select({ id: workCentres.id, companyId: workCentres.companyId, code: workCentres.code, name: workCentres.name, nameEn: workCentres.nameEn })
			.from(workCentres)
			.where(scopeFilter(a, workCentres.companyId))
			.orderBy(workCentres.companyId, workCentres.code)
	]);
	return { devices: rows, workCentres: centres };
}
export type DeviceRow = Awaited<ReturnType<typeof listDevices>>['devices'][number];

async function newCode(tx: Tx, id: number) {
	const code = enrolCode();
	await tx
		.update(devices)
		.set({
			enrolCodeHash: hashToken(code),
			enrolExpiresAt: sql`now() + make_interval(mins => ${ENROL_MINUTES})`,
			version: sql`${devices.version} + 1`,
			updatedAt: sql`now()`
		})
		.where(eq(devices.id, id));
	return code;
}

/** Registers a terminal (at a station of the company) or a wall display; answers its one-time code. */
export async function registerDevice({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'production.plan');
	const v = parseInput(registerInput, input, a.locale);
	if (!canSeeCompany(a, v.companyId))
		throw new ValidationError(m.device_err_company({}, { locale: a.locale }), [
			{ path: 'companyId', message: m.device_err_company({}, { locale: a.locale }) }
		]);
	if (v.kind === 'terminal') {
		const [wc] = v.workCentreId
			? await db.select({ companyId: workCentres.companyId }).from(workCentres).where(eq(workCentres.id, v.workCentreId))
			: [];
		if (!wc || wc.companyId !== v.companyId)
			throw new ValidationError(m.device_err_station({}, { locale: a.locale }), [
				{ path: 'workCentreId', message: m.device_err_station({}, { locale: a.locale }) }
			]);
	}
	return runCommand(db, async (tx, emit) => {
		const roles = await ensureRoles(tx);
		const [user] = await tx
			.insert(users)
			.values({
				username: `device-${generateToken().slice(0, 12)}`,
				displayName: v.name,
				passwordHash: '!', // never matches: a device cannot sign in with a password
				kind: 'device',
				locale: a.locale,
				homeCompanyId: v.companyId
			})
			.returning({ id: users.id });
		await tx.insert(userRoles).values({ userId: user.id, roleId: roles.display });
		await tx.insert(userCompanyGrants).values({ userId: user.id, companyId: v.companyId });
		const [device] = await tx
			.insert(devices)
			.values({
				companyId: v.companyId,
				kind: v.kind,
				name: v.name,
				workCentreId: v.kind === 'terminal' ? v.workCentreId! : null,
				userId: user.id,
				settings: v.kind === 'wall' ? (v.settings ?? { views: [...WALL_VIEWS], rotateSeconds: 20 }) : {},
				createdBy: a.id
			})
			.returning();
		const code = await newCode(tx, device.id);
		await emitDevice(emit, device.id, device.companyId, device.version + 1, 'device.registered', a.id);
		return { id: device.id, code, expiresInMinutes: ENROL_MINUTES };
	});
}

/** A fresh one-time code, e.g. to move a terminal to a new PC; the old token keeps working until revoked. */
export async function renewEnrolCode({ db, actor }: Ctx, rawId: unknown) {
	const a = authorize(actor, 'production.plan');
	const id = parseId(rawId, a.locale);
	return runCommand(db, async (tx, emit) => {
		const [d] = await tx.select().from(devices).where(eq(devices.id, id)).for('update');
		assertInScope(a, d);
		if (d.revokedAt) throw new ConflictError(m.device_err_revoked({}, { locale: a.locale }), d);
		const code = await newCode(tx, id);
		await emitDevice(emit, id, d.companyId, d.version + 1, 'device.code', a.id);
		return { id, code, expiresInMinutes: ENROL_MINUTES };
	});
}

/** Revokes a device: its cookie stops working, its sockets and any worker signed in at it are closed. */
export async function revokeDevice({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'production.plan');
	const id = parseId(rawId, a.locale);
	const { version } = parseInput(z.object({ version: z.number().int().min(1) }).strict(), input, a.locale);
	const ended = await runCommand(db, async (tx, emit) => {
		const [d] = await tx.select().from(devices).where(eq(devices.id, id)).for('update');
		assertInScope(a, d);
		if (d.version !== version) throw new ConflictError('stale version', d);
		const [u] = await tx
			.update(devices)
			.set({ revokedAt: sql`coalesce(${devices.revokedAt}, now())`, tokenHash: null, enrolCodeHash: null, version: sql`${devices.version} + 1`, updatedAt: sql`now()` })
			.where(eq(devices.id, id))
			.returning({ version: devices.version });
		await tx.update(users).set({ active: false, updatedAt: sql`now()` }).where(eq(users.id, d.userId));
		const gone = await tx.delete(sessions).where(eq(sessions.deviceId, id)).returning({ id: sessions.id });
		await emitDevice(emit, id, d.companyId, u.version, 'device.revoked', a.id);
		return gone.map((s) => s.id);
	});
	disconnectSession(deviceSessionId(id));
	for (const s of ended) disconnectSession(s);
	return { id };
}

/** A wall display's views and rotation. */
export async function updateDeviceSettings({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'production.plan');
	const id = parseId(rawId, a.locale);
	const v = parseInput(settingsInput.extend({ version: z.number().int().min(1) }).strict(), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const [d] = await tx.select().from(devices).where(eq(devices.id, id)).for('update');
		assertInScope(a, d);
		if (d.version !== v.version) throw new ConflictError('stale version', d);
		const { version: _, ...settings } = v;
		const [u] = await tx
			.update(devices)
			.set({ settings: { ...d.settings, ...settings }, version: sql`${devices.version} + 1`, updatedAt: sql`now()` })
			.where(eq(devices.id, id))
			.returning();
		await emitDevice(emit, id, d.companyId, u.version, 'device.settings', a.id);
		return u;
	});
}

/**
 * The device side: a valid, unexpired code becomes the device's token (answered once; only its
 * hash is kept) and the code is spent. Used without a signed-in user, so it names nothing else.
 */
export async function enrolDevice(db: Ctx['db'], input: unknown, locale: 'zh-CN' | 'en') {
	const { code } = parseInput(z.object({ code: z.string().max(40) }).strict(), input, locale);
	const { token, hash } = newDeviceToken();
	const d = await runCommand(db, async (tx, emit) => {
		const [row] = await tx
			.update(devices)
			.set({ tokenHash: hash, enrolCodeHash: null, enrolExpiresAt: null, lastSeenAt: sql`now()`, version: sql`${devices.version} + 1`, updatedAt: sql`now()` })
			.where(
				and(
					eq(devices.enrolCodeHash, hashToken(normaliseCode(code))),
					gt(devices.enrolExpiresAt, sql`now()`),
					isNull(devices.revokedAt)
				)
			)
			.returning({ id: devices.id, companyId: devices.companyId, version: devices.version, userId: devices.userId, kind: devices.kind, workCentreId: devices.workCentreId, name: devices.name });
		// The planner's devices page shows it enrolled at once.
		if (row) await emitDevice(emit, row.id, row.companyId, row.version, 'device.enrolled', row.userId);
		return row;
	});
	if (!d) throw new NotFoundError(m.device_err_code({}, { locale }));
	return { token, device: { id: d.id, kind: d.kind, workCentreId: d.workCentreId, name: d.name } };
}

/** Ends the worker sessions open at a terminal (a new worker signs in, or the worker signs out). */
export async function endDeviceSessions(db: Ctx['db'], deviceId: number, except?: string) {
	const gone = await db
		.delete(sessions)
		.where(and(eq(sessions.deviceId, deviceId), except ? sql`${sessions.id} <> ${except}` : undefined))
		.returning({ id: sessions.id });
	for (const s of gone) disconnectSession(s.id);
}

function emitDevice(
	emit: Parameters<Parameters<typeof runCommand>[1]>[1],
	id: number,
	companyId: number,
	version: number,
	type: string,
	actorId: number
) {
	return emit({ companyId, topic: 'production', entity: 'device', entityId: id, entityVersion: version, type, payload: {}, actorId });
}

/** What a device is, for its own /device page: its name, kind, station and company. */
export async function describeDevice(db: Ctx['db'], device: { id: number }) {
	const [row] = await db
		.select({
			id: devices.id,
			name: devices.name,
			kind: devices.kind,
			workCentreId: devices.workCentreId,
			station: workCentres.name,
			stationEn: workCentres.nameEn,
			companyCode: schema.companies.code
		})
		.from(devices)
		.innerJoin(schema.companies, eq(schema.companies.id, devices.companyId))
		.leftJoin(workCentres, eq(workCentres.id, devices.workCentreId))
		.where(eq(devices.id, device.id));
	return row ?? null;
}
