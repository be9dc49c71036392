import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar } from './db';
import { makePlant, plusDays, type Plant } from './wall-fixture';
import { acknowledgeAlert, closeAlert, listAlerts, openAlertCount, raiseAlert } from '../../src/lib/server/services/alerts';
import { sweepLateSteps } from '../../src/lib/server/services/alert-sweep';
import { registerDevice, enrolDevice } from '../../src/lib/server/services/devices';
import { deviceForToken } from '../../src/lib/server/auth/device';
import { runCommand } from '../../src/lib/server/events/command';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/server/errors';
import { m } from '../../src/lib/paraglide/messages';
import type { Actor } from '../../src/lib/server/authz';
import type { Db } from '../../src/lib/server/db';

/**
 * Andon and late-step alerts on a real database: acknowledging and closing them (versions,
 * the required note, an andon's step released), the late-step sweep (one alert per step even
 * when two run at once), and who sees and may act on which.
 */
describe.each(drivers)('production alerts (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let plant: Plant;
	let planner: Actor;
	let manager: Actor;

	beforeAll(async () => {
		db = t.db;
		plant = await makePlant(db, 'AT');
		planner = await actorOf(db, 'planner1', { companyIds: [plant.companyId], locale: 'zh-CN' });
		manager = await actorOf(db, 'manager1', { companyIds: [plant.companyId] });
	});

	const alertOf = async (id: number) =>
		(await query<{ status: string; version: number; close_note: string | null; acknowledged_by: number | null }>(
			db,
			sql`select status, version, close_note, acknowledged_by from alerts where id = ${id}`
		))[0];
	const stepOf = async (id: number) =>
		(await query<{ status: string; version: number }>(db, sql`select status, version from work_order_steps where id = ${id}`))[0];
	const eventsOf = (id: number) =>
		query<{ type: string; payload: { status: string } }>(
			db,
			sql`select type, payload from events where entity = 'alert' and entity_id = ${id} order by id`
		);
	/** An andon on a step, the way the terminal raises it: the alert, and the step blocked. */
	async function andon(stepId: number, workOrderId: number, centreId: number) {
		return runCommand(db, async (tx, emit) => {
			await tx.execute(sql`update work_order_steps set status = 'blocked', version = version + 1 where id = ${stepId}`);
			return raiseAlert(tx, emit, {
				companyId: plant.companyId,
				kind: 'andon',
				reason: 'material',
				message: '缺少导靴',
				workOrderId,
				stepId,
				workCentreId: centreId,
				raisedBy: planner.id
			});
		});
	}

	it('acknowledges an open alert once; a stale version or a second acknowledgement is a conflict with the alert as it is now', async () => {
		const a = await andon(plant.steps[0][1], plant.wo[0], plant.centreB);
		const row = await acknowledgeAlert({ db, actor: planner }, a.id, { version: a.version });
		expect(row).toMatchObject({ status: 'acknowledged', version: a.version + 1, acknowledgedByName: planner.displayName });
		const stale = await acknowledgeAlert({ db, actor: planner }, a.id, { version: a.version }).catch((e) => e);
		expect(stale).toBeInstanceOf(ConflictError);
		expect((stale as ConflictError).current).toMatchObject({ status: 'acknowledged', acknowledgedByName: planner.displayName });
		const again = await acknowledgeAlert({ db, actor: planner }, a.id, { version: a.version + 1 }).catch((e) => e);
		expect(again).toBeInstanceOf(ConflictError);
		expect((await eventsOf(a.id)).map((e) => [e.type, e.payload.status])).toEqual([
			['alert.raised', 'open'],
			['alert.acknowledged', 'acknowledged']
		]);
	});

	it('closing needs a note, in the user’s language; a stale version changes nothing', async () => {
		const a = await andon(plant.steps[2][0], plant.wo[2], plant.centreA);
		for (const note of [undefined, '', '   ']) {
			const e = await closeAlert({ db, actor: planner }, a.id, { version: a.version, ...(note === undefined ? {} : { note }) }).catch((x) => x);
			expect(e).toBeInstanceOf(ValidationError);
			expect((e as ValidationError).issues).toEqual([{ path: 'note', message: m.alert_note_required({}, { locale: 'zh-CN' }) }]);
		}
		await expect(closeAlert({ db, actor: planner }, a.id, { version: a.version + 5, note: '已补料' })).rejects.toBeInstanceOf(ConflictError);
		expect(await alertOf(a.id)).toMatchObject({ status: 'open', version: a.version, close_note: null });
		expect(await stepOf(plant.steps[2][0])).toMatchObject({ status: 'blocked' });
	});

	it('closing an andon releases its step (ready if it never started, paused if it had) once no other andon holds it', async () => {
		const notStarted = plant.steps[2][0];
		const [open] = await query<{ id: number; version: number }>(
			db,
			sql`select id, version from alerts where step_id = ${notStarted} and status = 'open'`
		);
		const before = await stepOf(notStarted);
		const closed = await closeAlert({ db, actor: planner }, open.id, { version: open.version, note: ' 已补料 ' });
		expect(closed).toMatchObject({ status: 'closed', closeNote: '已补料', closedByName: planner.displayName });
		expect(await stepOf(notStarted)).toEqual({ status: 'ready', version: before.version + 1 });

		// Two andons on a started step: the first close keeps it blocked, the second releases it.
		const started = plant.steps[1][1];
		const second = await andon(started, plant.wo[1], plant.centreB);
		const [first] = await query<{ id: number; version: number }>(
			db,
			sql`select id, version from alerts where step_id = ${started} and status = 'open' and id <> ${second.id}`
		);
		await closeAlert({ db, actor: planner }, first.id, { version: first.version, note: '设备已修复' });
		expect((await stepOf(started)).status).toBe('blocked');
		await closeAlert({ db, actor: planner }, second.id, { version: second.version, note: '物料已到' });
		expect((await stepOf(started)).status).toBe('paused');
		const [ev] = await query<{ type: string; payload: { status: string; workCentreId: number } }>(
			db,
			sql`select type, payload from events where entity = 'work_order_step' and entity_id = ${started} order by id desc limit 1`
		);
		expect(ev).toMatchObject({ type: 'work_order_step.unblocked', payload: { status: 'paused', workCentreId: plant.centreB } });
	});

	it('the sweep raises exactly one late-step alert per late step, even when two run at once', async () => {
		const lateStep = plant.steps[1][1]; // planned end yesterday, not done
		const lateAlerts = (stepId: number) =>
			scalar(db, sql`select count(*) from alerts where step_id = ${stepId} and kind = 'late_step'`);
		const [r1, r2] = await Promise.all([sweepLateSteps(db), sweepLateSteps(db)]);
		expect(r1.raised + r2.raised).toBeGreaterThanOrEqual(1);
		expect(await lateAlerts(lateStep)).toBe(1);
		// Steps planned for today or later, and finished ones, are not late.
		for (const s of [plant.steps[0][0], plant.steps[2][0], plant.steps[2][1]]) expect(await lateAlerts(s)).toBe(0);
		const [alert] = await query<{ id: number; version: number; message: string; work_centre_id: number }>(
			db,
			sql`select id, version, message, work_centre_id from alerts where step_id = ${lateStep} and kind = 'late_step'`
		);
		expect(alert.message).toContain('WO-AT-2');
		expect(alert.message).toContain('乙工位');
		expect(alert.message).toContain(plusDays(plant.today, -1));
		expect(Number(alert.work_centre_id)).toBe(plant.centreB);
		expect(await sweepLateSteps(db)).toEqual({ raised: 0 });

		// Closed, it stays closed until the step changes (re-planned, resumed…).
		await closeAlert({ db, actor: planner }, alert.id, { version: alert.version, note: '已知，周五补上' });
		expect(await sweepLateSteps(db)).toEqual({ raised: 0 });
		await query(db, sql`update work_order_steps set updated_at = now() + interval '1 second', version = version + 1 where id = ${lateStep} returning id`);
		expect((await sweepLateSteps(db, new Date(Date.now() + 5000))).raised).toBe(1);
		expect(await lateAlerts(lateStep)).toBe(2);
	});

	it('a step running well over its standard hours is late too', async () => {
		const step = plant.steps[0][1]; // in progress, 4 standard hours
		await query(db, sql`update work_order_steps set status = 'in_progress', worked_seconds = 4 * 3600,
			run_started_at = now() - interval '2 hours', planned_end = null where id = ${step} returning id`);
		const raised = await sweepLateSteps(db);
		expect(raised.raised).toBe(1);
		const [alert] = await query<{ message: string }>(db, sql`select message from alerts where step_id = ${step} and kind = 'late_step'`);
		expect(alert.message).toContain('超出标准工时');
	});

	it('lists alerts with filters in scope; scoped1 never sees another company’s; the count is of open ones', async () => {
		const all = await listAlerts({ db, actor: planner }, { pageSize: '100' });
		expect(all.rows.every((r) => r.companyId === plant.companyId)).toBe(true);
		expect(all.rows[0].status).toBe('open'); // open first
		const closed = await listAlerts({ db, actor: planner }, { status: 'closed' });
		expect(closed.rows.length).toBeGreaterThan(0);
		expect(closed.rows.every((r) => r.status === 'closed' && r.closeNote)).toBe(true);
		const active = await listAlerts({ db, actor: planner }, { status: 'active', kind: 'late_step' });
		expect(active.rows.every((r) => r.status !== 'closed' && r.kind === 'late_step')).toBe(true);
		const found = await listAlerts({ db, actor: planner }, { q: 'WO-AT-2' });
		expect(found.rows.length).toBeGreaterThan(0);
		expect(found.rows.every((r) => r.workOrderNumber === 'WO-AT-2')).toBe(true);
		const today = await listAlerts({ db, actor: planner }, { from: plant.today, to: plant.today, pageSize: '100' });
		expect(today.total).toBe(all.total);
		expect((await listAlerts({ db, actor: planner }, { to: plusDays(plant.today, -1) })).total).toBe(0);
		await expect(listAlerts({ db, actor: planner }, { from: plant.today, to: plusDays(plant.today, -1) })).rejects.toBeInstanceOf(ValidationError);
		await expect(listAlerts({ db, actor: planner }, { kind: 'fire' })).rejects.toBeInstanceOf(ValidationError);
		expect(await openAlertCount({ db, actor: planner })).toBe(all.rows.filter((r) => r.status === 'open').length);

		const scoped = await actorOf(db, 'scoped1');
		const theirs = await listAlerts({ db, actor: scoped }, { pageSize: '200' });
		expect(theirs.rows.every((r) => scoped.companyIds.includes(r.companyId))).toBe(true);
		expect((await listAlerts({ db, actor: scoped }, { companyId: String(plant.companyId) })).total).toBe(0);
		const ours = all.rows[0];
		const withReport = { ...scoped, permissions: new Set([...scoped.permissions, 'production.report' as const]) };
		await expect(acknowledgeAlert({ db, actor: withReport }, ours.id, { version: ours.version })).rejects.toBeInstanceOf(NotFoundError);
		// The manager reads alerts but does not act on the shop floor.
		await expect(acknowledgeAlert({ db, actor: manager }, ours.id, { version: ours.version })).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('a wall display reads alerts but cannot acknowledge or close them', async () => {
		const admin = await actorOf(db, 'admin');
		const { code } = await registerDevice({ db, actor: { ...admin, companyIds: [...admin.companyIds, plant.companyId] } }, {
			kind: 'wall', name: '装配看板', companyId: plant.companyId
		});
		const { token } = await enrolDevice(db, { code }, 'zh-CN');
		const { actor: display } = (await deviceForToken(db, token))!;
		const seen = await listAlerts({ db, actor: display }, {});
		expect(seen.total).toBeGreaterThan(0);
		expect(seen.rows.every((r) => r.companyId === plant.companyId)).toBe(true);
		const target = seen.rows.find((r) => r.status === 'open')!;
		await expect(acknowledgeAlert({ db, actor: display }, target.id, { version: target.version })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(closeAlert({ db, actor: display }, target.id, { version: target.version, note: 'x' })).rejects.toBeInstanceOf(ForbiddenError);
		expect(await alertOf(target.id)).toMatchObject({ status: 'open', version: target.version });
	});
});
