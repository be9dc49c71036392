import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar } from './db';
import {
	enrolDevice,
	listDevices,
	registerDevice,
	renewEnrolCode,
	revokeDevice,
	updateDeviceSettings
} from '../../src/lib/server/services/devices';
import { deviceForToken } from '../../src/lib/server/auth/device';
import { sessionPolicy, validateSessionToken } from '../../src/lib/server/auth/session';
import { terminalSignIn } from '../../src/lib/server/services/terminal-auth';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/server/errors';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';

/**
 * Registering terminals and wall displays: a one-time code that expires and works once, the
 * device's own read-only user, revoking (its cookie and any worker signed in at it stop at
 * once), wall settings with optimistic concurrency, and the planner's company scope.
 */
const policy = sessionPolicy(72, 30);
const meta = { ip: null, userAgent: 'vitest', locale: 'en' as const };

describe.each(drivers)('devices (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let planner: Actor;
	let sh: number;
	let sz: number;
	let centreSH: number;
	let centreSZ: number;

	beforeAll(async () => {
		db = t.db;
		planner = await actorOf(db, 'planner1', { locale: 'en' });
		sh = await scalar(db, sql`select id from companies where code = 'SH'`);
		sz = await scalar(db, sql`select id from companies where code = 'SZ'`);
		centreSH = await scalar(db, sql`select id from work_centres where company_id = ${sh} order by id limit 1`);
		centreSZ = await scalar(db, sql`select id from work_centres where company_id = ${sz} order by id limit 1`);
	});

	const register = (input: Record<string, unknown>, actor = planner) => registerDevice({ db, actor }, input);

	it('registers a terminal with a one-time code that becomes the device’s token once', async () => {
		const reg = await register({ kind: 'terminal', name: '轿架工位 1', companyId: sh, workCentreId: centreSH });
		expect(reg.code).toMatch(/^[A-HJ-NP-Z2-9]{8}$/);
		// Typed by hand: lower case and a stray dash are fine.
		const { token, device } = await enrolDevice(db, { code: `${reg.code.slice(0, 4).toLowerCase()}-${reg.code.slice(4)}` }, 'en');
		expect(device).toMatchObject({ id: reg.id, kind: 'terminal', workCentreId: centreSH });
		const found = await deviceForToken(db, token);
		expect(found?.device.name).toBe('轿架工位 1');
		// The device acts as its own read-only user in its company.
		expect([...found!.actor.permissions]).toEqual(['production.read']);
		expect(found!.actor.companyIds).toEqual([sh]);
		await expect(enrolDevice(db, { code: reg.code }, 'en')).rejects.toBeInstanceOf(NotFoundError);
		const listed = (await listDevices({ db, actor: planner })).devices.find((d) => d.id === reg.id);
		expect(listed).toMatchObject({ enrolled: true, workCentreId: centreSH });
		const events = await query<{ type: string }>(db, sql`select type from events where entity = 'device' and entity_id = ${reg.id} order by id`);
		expect(events.map((e) => e.type)).toEqual(['device.registered', 'device.enrolled']);
	});

	it('refuses an expired code, and a renewed code replaces the old one', async () => {
		const reg = await register({ kind: 'wall', name: '总装看板', companyId: sh });
		await query(db, sql`update devices set enrol_expires_at = now() - interval '1 minute' where id = ${reg.id}`);
		await expect(enrolDevice(db, { code: reg.code }, 'en')).rejects.toBeInstanceOf(NotFoundError);
		const renewed = await renewEnrolCode({ db, actor: planner }, reg.id);
		expect(renewed.code).not.toBe(reg.code);
		await expect(enrolDevice(db, { code: reg.code }, 'en')).rejects.toBeInstanceOf(NotFoundError);
		expect((await enrolDevice(db, { code: renewed.code }, 'en')).device.kind).toBe('wall');
	});

	it('checks what is registered: a station of the company for a terminal, a company the planner has', async () => {
		await expect(register({ kind: 'terminal', name: 'x', companyId: sh })).rejects.toBeInstanceOf(ValidationError);
		await expect(register({ kind: 'terminal', name: 'x', companyId: sh, workCentreId: centreSZ })).rejects.toThrow(/station/);
		await expect(register({ kind: 'kiosk', name: 'x', companyId: sh })).rejects.toBeInstanceOf(ValidationError);
		await expect(register({ kind: 'wall', name: '', companyId: sh })).rejects.toBeInstanceOf(ValidationError);
		const shOnly = { ...planner, companyIds: [sh] };
		await expect(register({ kind: 'wall', name: 'x', companyId: sz }, shOnly)).rejects.toThrow(/company/);
		const sales = await actorOf(db, 'sales1');
		await expect(register({ kind: 'wall', name: 'x', companyId: sh }, sales)).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('keeps each planner to the devices of their companies', async () => {
		const reg = await register({ kind: 'wall', name: '深圳看板', companyId: sz });
		const shOnly = { ...planner, companyIds: [sh] };
		const seen = (await listDevices({ db, actor: shOnly })).devices;
		expect(seen.some((d) => d.id === reg.id)).toBe(false);
		expect(seen.every((d) => d.companyId === sh)).toBe(true);
		await expect(renewEnrolCode({ db, actor: shOnly }, reg.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(revokeDevice({ db, actor: shOnly }, reg.id, { version: 2 })).rejects.toBeInstanceOf(NotFoundError);
	});

	it('saves wall settings against the version read; a stale one is a conflict with the device as it is now', async () => {
		const reg = await register({ kind: 'wall', name: '看板 2', companyId: sh });
		const [{ version }] = await query<{ version: number }>(db, sql`select version from devices where id = ${reg.id}`);
		const saved = await updateDeviceSettings({ db, actor: planner }, reg.id, { version, views: ['alerts', 'centres'], rotateSeconds: 30 });
		expect(saved.settings).toEqual({ views: ['alerts', 'centres'], rotateSeconds: 30 });
		const stale = updateDeviceSettings({ db, actor: planner }, reg.id, { version, rotateSeconds: 10 });
		await expect(stale).rejects.toBeInstanceOf(ConflictError);
		await expect(stale).rejects.toMatchObject({ current: { id: reg.id, version: saved.version } });
		await expect(updateDeviceSettings({ db, actor: planner }, reg.id, { version: saved.version, rotateSeconds: 1 })).rejects.toBeInstanceOf(ValidationError);
		await expect(updateDeviceSettings({ db, actor: planner }, reg.id, { version: saved.version, views: ['map'] })).rejects.toBeInstanceOf(ValidationError);
	});

	it('revokes a device: its token and the worker signed in at it stop at once; a revoked device gets no new code', async () => {
		const reg = await register({ kind: 'terminal', name: '终端 R', companyId: sh, workCentreId: centreSH });
		const { token } = await enrolDevice(db, { code: reg.code }, 'en');
		const device = (await deviceForToken(db, token))!.device;
		const worker = await terminalSignIn(db, device, { scan: 'EOB:B10001' }, meta);
		expect(await validateSessionToken(db, worker.token, policy)).not.toBeNull();
		const [{ version }] = await query<{ version: number }>(db, sql`select version from devices where id = ${reg.id}`);
		await expect(revokeDevice({ db, actor: planner }, reg.id, { version: version - 1 })).rejects.toBeInstanceOf(ConflictError);
		await revokeDevice({ db, actor: planner }, reg.id, { version });
		expect(await deviceForToken(db, token)).toBeNull();
		expect(await validateSessionToken(db, worker.token, policy)).toBeNull();
		expect(await scalar(db, sql`select count(*) from sessions where device_id = ${reg.id}`)).toBe(0);
		await expect(renewEnrolCode({ db, actor: planner }, reg.id)).rejects.toBeInstanceOf(ConflictError);
		const listed = (await listDevices({ db, actor: planner })).devices.find((d) => d.id === reg.id);
		expect(listed?.revokedAt).not.toBeNull();
	});
});
