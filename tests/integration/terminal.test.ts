import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar, userId } from './db';
import { registerDevice, enrolDevice } from '../../src/lib/server/services/devices';
import { deviceForToken, type Device } from '../../src/lib/server/auth/device';
import { loadActor, validateSessionToken, sessionPolicy } from '../../src/lib/server/auth/session';
import { terminalSignIn, terminalSignOut } from '../../src/lib/server/services/terminal-auth';
import { terminalAction, type ActionAnswer } from '../../src/lib/server/services/terminal-actions';
import { jobByScan, terminalJobs } from '../../src/lib/server/services/terminal-jobs';
import { ForbiddenError, InvalidCredentialsError, RateLimitedError, ValidationError } from '../../src/lib/server/errors';
import { hashPassword } from '../../src/lib/server/auth/password';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';

/**
 * Shop-floor terminals on a real database: badge and PIN sign-in, the station's job list, and
 * the action command: a replay (sequential or racing) applied once, a queue replayed in order,
 * a job moved or cancelled meanwhile refused and kept, the press time corrected for the
 * device's clock, andons raised.
 */
const meta = { ip: '10.0.0.7', userAgent: 'vitest-terminal', locale: 'en' as const };
const policy = sessionPolicy(72, 30);
let serial = 0;
const key = () => `k-${Date.now().toString(36)}-${(serial++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

describe.each(drivers)('shop-floor terminals (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let planner: Actor;
	let sh: number;
	let sz: number;
	let centre: number;
	let otherCentre: number;
	let ready: number[];
	let device: Device;
	let worker: Actor;

	/**
	 * Steps that may start (everything before them done) of open work orders at one centre of SH,
	 * the centre with most, made 'ready' as a new work order's first step is.
	 */
	async function readySteps() {
		const found = await query<{ id: number; centre: number }>(
			db,
			sql`select s.id, s.work_centre_id as centre from work_order_steps s join work_orders w on w.id = s.work_order_id
				where s.company_id = ${sh} and s.status in ('pending', 'ready') and w.status in ('planned', 'released', 'in_progress')
				and not exists (select 1 from work_order_steps p where p.work_order_id = s.work_order_id and p.seq < s.seq and p.status <> 'done')
				order by s.id`
		);
		const byCentre = new Map<number, number[]>();
		for (const r of found) byCentre.set(Number(r.centre), [...(byCentre.get(Number(r.centre)) ?? []), Number(r.id)]);
		const [best] = [...byCentre.entries()].sort((a, b) => b[1].length - a[1].length);
		await query(db, sql`update work_order_steps set status = 'ready' where id in ${best[1]}`);
		return { centre: best[0], steps: best[1] };
	}

	async function terminalAt(workCentreId: number, companyId = sh): Promise<Device> {
		const reg = await registerDevice({ db, actor: planner }, { kind: 'terminal', name: `Terminal ${++serial}`, companyId, workCentreId });
		const { token } = await enrolDevice(db, { code: reg.code }, 'en');
		return (await deviceForToken(db, token))!.device;
	}

	async function signIn(d: Device, badge = 'B10001') {
		const s = await terminalSignIn(db, d, { scan: `EOB:${badge}` }, meta);
		return { ...s, actor: (await loadActor(db, s.worker.id))! };
	}

	const act = (
		input: { stepId: number; action: string; key?: string; reason?: string; note?: string; occurredAt?: number; sentAt?: number },
		d = device,
		who = worker
	): Promise<ActionAnswer> => {
		const now = Date.now();
		return terminalAction({ db, actor: who }, d, { key: key(), occurredAt: now, sentAt: now, ...input });
	};
	const stepRow = async (id: number) =>
		(
			await query<{ status: string; version: number; worked_seconds: number; run_started_at: string | null; started_at: string | null; finished_at: string | null; work_order_id: number }>(
				db,
				sql`select status, version, worked_seconds, run_started_at, started_at, finished_at, work_order_id from work_order_steps where id = ${id}`
			)
		)[0];
	const eventsOf = (id: number, type: string) =>
		scalar(db, sql`select count(*) from events where entity = 'work_order_step' and entity_id = ${id} and type = ${type}`);
	const stored = (d: Device) =>
		query<{ key: string; step_id: number | null; action: string; outcome: string; result: ActionAnswer }>(
			db,
			sql`select key, step_id, action, outcome, result from terminal_actions where device_id = ${d.id} order by id`
		);

	beforeAll(async () => {
		db = t.db;
		planner = await actorOf(db, 'planner1');
		sh = await scalar(db, sql`select id from companies where code = 'SH'`);
		sz = await scalar(db, sql`select id from companies where code = 'SZ'`);
		const r = await readySteps();
		centre = r.centre;
		ready = r.steps;
		expect(ready.length).toBeGreaterThanOrEqual(8);
		otherCentre = await scalar(db, sql`select id from work_centres where company_id = ${sh} and id <> ${centre} order by id limit 1`);
		device = await terminalAt(centre);
		worker = { ...(await signIn(device)).actor, locale: 'en' };
	});

	describe('signing in', () => {
		it('signs a worker in by badge scan or badge and PIN; the session is bound to the terminal and replaces the last worker', async () => {
			const d = await terminalAt(centre);
			const first = await signIn(d, 'B10002');
			expect(first.worker.displayName).toBe('钱丽');
			expect(first.session.deviceId).toBe(d.id);
			expect(first.session.absoluteExpiresAt.getTime() - Date.now()).toBeLessThanOrEqual(12 * 3_600_000 + 1000);
			const second = await terminalSignIn(db, d, { badge: 'b10003', pin: '1234' }, meta);
			expect(second.worker.displayName).toBe('冯涛');
			// One worker at a time: the first one's session is gone.
			expect(await validateSessionToken(db, first.token, policy)).toBeNull();
			expect((await validateSessionToken(db, second.token, policy))?.actor.username).toBe('shopfloor3');
			const actor = (await loadActor(db, second.worker.id))!;
			expect(await terminalSignOut(db, d, actor, second.session)).toEqual({ signedOut: true });
			expect(await validateSessionToken(db, second.token, policy)).toBeNull();
		});

		it('throttles wrong PINs per badge, also against the right PIN', async () => {
			const d = await terminalAt(centre);
			const attempt = (pin: string) => terminalSignIn(db, d, { badge: 'B10002', pin }, { ...meta, ip: '10.9.9.9' });
			for (let i = 0; i < 5; i++) await expect(attempt(`999${i}`)).rejects.toBeInstanceOf(InvalidCredentialsError);
			await expect(attempt('1234')).rejects.toBeInstanceOf(RateLimitedError);
			await query(db, sql`delete from login_attempts where key like 'user:badge:%'`);
			expect((await attempt('1234')).worker.displayName).toBe('钱丽');
		});

		it('refuses an unknown badge, a non-badge scan, a worker of another company and a person without production.report', async () => {
			await expect(terminalSignIn(db, device, { scan: 'EOB:NOSUCH1' }, meta)).rejects.toBeInstanceOf(InvalidCredentialsError);
			await expect(terminalSignIn(db, device, { scan: 'EOJ:WO-SH-2026-000001' }, meta)).rejects.toBeInstanceOf(ValidationError);
			await expect(terminalSignIn(db, device, { badge: 'B10001' }, meta)).rejects.toBeInstanceOf(ValidationError);
			const szCentre = await scalar(db, sql`select id from work_centres where company_id = ${sz} order by id limit 1`);
			const szTerminal = await terminalAt(szCentre, sz);
			// shopfloor2 works for SH only.
			const other = terminalSignIn(db, szTerminal, { scan: 'EOB:B10002' }, meta);
			await expect(other).rejects.toBeInstanceOf(ForbiddenError);
			await expect(other).rejects.toThrow(/钱丽/);
			const manager = await userId(db, 'manager1');
			await query(db, sql`update users set badge_code = 'M20001', pin_hash = ${await hashPassword('4321')} where id = ${manager}`);
			await expect(terminalSignIn(db, device, { badge: 'M20001', pin: '4321' }, meta)).rejects.toBeInstanceOf(ForbiddenError);
			expect(await scalar(db, sql`select count(*) from sessions where device_id = ${szTerminal.id}`)).toBe(0);
		});

		it('lets no one use the terminal commands without a terminal', async () => {
			await expect(terminalSignIn(db, null, { scan: 'EOB:B10001' }, meta)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(terminalJobs({ db, actor: worker }, null)).rejects.toBeInstanceOf(ForbiddenError);
			await expect(terminalAction({ db, actor: worker }, null, {})).rejects.toBeInstanceOf(ForbiddenError);
		});
	});

	describe('the station’s jobs', () => {
		it('lists the open steps at the station in schedule order, each with its state', async () => {
			const { jobs, station } = await terminalJobs({ db, actor: worker }, device);
			expect(station.id).toBe(centre);
			expect(jobs.length).toBeGreaterThan(0);
			expect(jobs.every((j) => j.workCentreId === centre && j.status !== 'done')).toBe(true);
			for (const id of ready) expect(jobs.find((j) => j.stepId === id)?.state).toMatch(/ready|waiting_material/);
			const days = jobs.map((j) => j.plannedDate ?? '9999');
			expect(days).toEqual([...days].sort());
			const waiting = jobs.find((j) => !j.previousDone);
			if (waiting && waiting.status !== 'blocked' && waiting.status !== 'paused') expect(waiting.state).toBe('waiting_previous');
		});

		it('opens a job by its card, and names the station of another station’s job', async () => {
			const [{ number }] = await query<{ number: string }>(db, sql`select w.number from work_order_steps s join work_orders w on w.id = s.work_order_id where s.id = ${ready[7]}`);
			const found = await jobByScan({ db, actor: worker }, device, { scan: `EOJ:${number}` });
			expect(found).toMatchObject({ kind: 'job', job: { stepId: ready[7], number } });
			expect(await jobByScan({ db, actor: worker }, device, { scan: 'hello' })).toMatchObject({ kind: 'unknown' });
			expect(await jobByScan({ db, actor: worker }, device, { scan: 'EOJ:WO-SH-1999-000001' })).toMatchObject({ kind: 'unknown' });
			const [elsewhere] = await query<{ number: string }>(
				db,
				sql`select w.number from work_orders w where w.company_id = ${sh} and w.status in ('released', 'planned')
					and not exists (select 1 from work_order_steps s where s.work_order_id = w.id and s.work_centre_id = ${centre}) limit 1`
			);
			if (elsewhere) {
				const answer = await jobByScan({ db, actor: worker }, device, { scan: `EOJ:${elsewhere.number}` });
				expect(answer).toMatchObject({ kind: 'elsewhere' });
			}
		});
	});

	describe('actions', () => {
		it('starts, pauses and finishes with server times; the finish readies the next step and publishes it all', async () => {
			const id = ready[0];
			const before = await stepRow(id);
			const start = await act({ stepId: id, action: 'start' });
			expect(start).toMatchObject({ outcome: 'applied', code: null, step: { status: 'in_progress' } });
			const wo = await query<{ status: string; started_at: string | null }>(db, sql`select status, started_at from work_orders where id = ${before.work_order_id}`);
			expect(wo[0].status).toBe('in_progress');
			expect(wo[0].started_at).not.toBeNull();
			expect(await scalar(db, sql`select count(*) from units u join work_orders w on w.unit_id = u.id where w.id = ${before.work_order_id} and u.status = 'in_production'`)).toBe(1);
			expect((await act({ stepId: id, action: 'pause' })).step?.status).toBe('paused');
			const finish = await act({ stepId: id, action: 'finish' });
			expect(finish).toMatchObject({ outcome: 'applied', step: { status: 'done' } });
			const after = await stepRow(id);
			expect(after.finished_at).not.toBeNull();
			const next = await query<{ status: string }>(
				db,
				sql`select status from work_order_steps where work_order_id = ${before.work_order_id} and seq > (select seq from work_order_steps where id = ${id}) order by seq limit 1`
			);
			if (next[0]) expect(next[0].status).toBe('ready');
			for (const type of ['start', 'pause', 'finish']) expect(await eventsOf(id, `work_order_step.${type}`)).toBe(1);
		});

		it('applies the same action once when it is sent twice, one after the other or at the same moment', async () => {
			const [a, b] = [ready[1], ready[2]];
			const k = key();
			const first = await act({ stepId: a, action: 'start', key: k });
			const again = await act({ stepId: a, action: 'start', key: k });
			expect(first.outcome).toBe('applied');
			expect(again).toEqual({ ...first, replayed: true });
			const k2 = key();
			const raced = await Promise.all([act({ stepId: b, action: 'start', key: k2 }), act({ stepId: b, action: 'start', key: k2 })]);
			expect(raced.map((r) => r.outcome)).toEqual(['applied', 'applied']);
			expect(raced.filter((r) => r.replayed)).toHaveLength(1);
			for (const id of [a, b]) {
				expect(await eventsOf(id, 'work_order_step.start')).toBe(1);
				expect((await stepRow(id)).status).toBe('in_progress');
			}
			expect(await scalar(db, sql`select count(*) from terminal_actions where key in (${k}, ${k2})`)).toBe(2);
		});

		it('replays a queue in order with the pressed times, and an old key after later actions changes nothing', async () => {
			const id = ready[3];
			const d = await terminalAt(centre);
			const w = (await signIn(d)).actor;
			const t0 = Date.now() - 20 * 60_000; // pressed offline 20 minutes ago
			const queue = [
				{ action: 'start', occurredAt: t0 },
				{ action: 'pause', occurredAt: t0 + 5 * 60_000 },
				{ action: 'start', occurredAt: t0 + 8 * 60_000 },
				{ action: 'finish', occurredAt: t0 + 18 * 60_000 }
			].map((q) => ({ ...q, key: key(), stepId: id }));
			const sentAt = Date.now();
			for (const q of queue) expect((await act({ ...q, sentAt }, d, w)).outcome).toBe('applied');
			const row = await stepRow(id);
			expect(row.status).toBe('done');
			// 5 + 10 minutes worked, whatever the moment the network came back.
			expect(row.worked_seconds).toBeGreaterThanOrEqual(15 * 60 - 2);
			expect(row.worked_seconds).toBeLessThanOrEqual(15 * 60 + 2);
			expect(Math.abs(new Date(row.started_at!).getTime() - t0)).toBeLessThan(2000);
			const kept = await stored(d);
			expect(kept.map((k) => k.action)).toEqual(['start', 'pause', 'start', 'finish']);
			// The first press again, after all of them: its stored answer, and nothing moves.
			const old = await act({ ...queue[0], sentAt: Date.now() }, d, w);
			expect(old).toMatchObject({ outcome: 'applied', replayed: true, step: { status: 'in_progress' } });
			expect(await stepRow(id)).toEqual(row);
			expect(await stored(d)).toHaveLength(4);
		});

		it('corrects the press time for a device clock that is off, and never dates it in the future', async () => {
			const id = ready[4];
			const skew = 3_600_000; // the device's clock is an hour fast
			const now = Date.now();
			await act({ stepId: id, action: 'start', occurredAt: now + skew - 90_000, sentAt: now + skew });
			const run = new Date((await stepRow(id)).run_started_at!).getTime();
			expect(Math.abs(run - (now - 90_000))).toBeLessThan(3000);
			// A press "after" it was sent is a broken clock: taken as now, not later.
			const pause = await act({ stepId: id, action: 'pause', occurredAt: now + 600_000, sentAt: now });
			expect(new Date(pause.occurredAt).getTime()).toBeLessThanOrEqual(Date.now());
			const worked = (await stepRow(id)).worked_seconds;
			expect(worked).toBeGreaterThanOrEqual(88);
			expect(worked).toBeLessThan(120);
		});

		it('refuses a finish before a start, a start before the step before is done, and another station’s job, changing nothing', async () => {
			const id = ready[5];
			const before = await stepRow(id);
			const finish = await act({ stepId: id, action: 'finish' });
			expect(finish).toMatchObject({ outcome: 'refused', code: 'not_started' });
			expect(finish.message).toMatch(/Start first/);
			expect((await act({ stepId: id, action: 'pause' })).code).toBe('not_started');
			const [waiting] = await query<{ id: number }>(
				db,
				sql`select s.id from work_order_steps s join work_orders w on w.id = s.work_order_id where s.work_centre_id = ${centre}
					and s.status = 'pending' and w.status not in ('done', 'cancelled')
					and exists (select 1 from work_order_steps p where p.work_order_id = s.work_order_id and p.seq < s.seq and p.status <> 'done') limit 1`
			);
			if (waiting) expect((await act({ stepId: Number(waiting.id), action: 'start' })).code).toBe('previous_not_done');
			const [foreign] = await query<{ id: number }>(db, sql`select id from work_order_steps where work_centre_id = ${otherCentre} and status = 'ready' limit 1`);
			const moved = await act({ stepId: Number(foreign.id), action: 'start' });
			expect(moved).toMatchObject({ outcome: 'refused', code: 'moved' });
			const unknown = await act({ stepId: 2_000_000_000, action: 'start' });
			expect(unknown).toMatchObject({ outcome: 'refused', code: 'not_found', step: null });
			expect(await stepRow(id)).toEqual(before);
			expect((await stored(device)).filter((r) => r.outcome === 'refused').length).toBeGreaterThanOrEqual(4);
		});

		it('surfaces a job moved to another station or cancelled while the action was queued, and keeps the refusal', async () => {
			const [movedId, cancelledId] = [ready[6], ready[7]];
			const pressed = Date.now() - 60_000;
			const queued = [
				{ key: key(), stepId: movedId, action: 'start', occurredAt: pressed },
				{ key: key(), stepId: cancelledId, action: 'start', occurredAt: pressed }
			];
			// Meanwhile the planner moves one job and the other's order is cancelled.
			await query(db, sql`update work_order_steps set work_centre_id = ${otherCentre} where id = ${movedId}`);
			const cancelledWo = (await stepRow(cancelledId)).work_order_id;
			await query(db, sql`update work_orders set status = 'cancelled' where id = ${cancelledWo}`);
			const answers = [];
			for (const q of queued) answers.push(await act(q));
			expect(answers[0]).toMatchObject({ outcome: 'refused', code: 'moved' });
			const centreName = await query<{ name_en: string }>(db, sql`select name_en from work_centres where id = ${otherCentre}`);
			expect(answers[0].message).toContain(centreName[0].name_en);
			expect(answers[1]).toMatchObject({ outcome: 'refused', code: 'cancelled' });
			expect((await stepRow(movedId)).status).toBe('ready');
			expect((await stepRow(cancelledId)).status).toBe('ready');
			const kept = (await stored(device)).filter((r) => queued.some((q) => q.key === r.key));
			expect(kept.map((r) => [r.outcome, r.result.code])).toEqual([
				['refused', 'moved'],
				['refused', 'cancelled']
			]);
			// Its replay answers the same refusal.
			expect(await act(queued[0])).toMatchObject({ outcome: 'refused', code: 'moved', replayed: true });
		});

		it('reports a problem: an andon alert with the reason, the step blocked, and start refused until it is closed', async () => {
			const id = ready[4];
			await expect(act({ stepId: id, action: 'problem' })).rejects.toBeInstanceOf(ValidationError);
			const answer = await act({ stepId: id, action: 'problem', reason: 'equipment', note: '焊机故障' });
			expect(answer).toMatchObject({ outcome: 'applied', step: { status: 'blocked' } });
			const [alert] = await query<{ kind: string; reason: string; message: string; device_id: number; raised_by: number; work_centre_id: number }>(
				db,
				sql`select kind, reason, message, device_id, raised_by, work_centre_id from alerts where step_id = ${id} order by id desc limit 1`
			);
			expect(alert).toMatchObject({ kind: 'andon', reason: 'equipment', message: '焊机故障', device_id: device.id, raised_by: worker.id, work_centre_id: centre });
			expect(await scalar(db, sql`select count(*) from events where entity = 'alert' and type = 'alert.raised' and payload->>'stepId' = ${String(id)}`)).toBe(1);
			expect(await act({ stepId: id, action: 'start' })).toMatchObject({ outcome: 'refused', code: 'blocked' });
			const { jobs } = await terminalJobs({ db, actor: worker }, device);
			expect(jobs.find((j) => j.stepId === id)?.state).toBe('blocked');
		});

		it('answers malformed input with the field named, storing nothing', async () => {
			const count = await scalar(db, sql`select count(*) from terminal_actions`);
			await expect(act({ stepId: ready[0], action: 'explode' })).rejects.toThrow(/action/);
			await expect(act({ stepId: ready[0], action: 'start', key: 'short' })).rejects.toThrow(/key/);
			await expect(act({ stepId: ready[0], action: 'start', occurredAt: 12 })).rejects.toThrow(/occurredAt/);
			expect(await scalar(db, sql`select count(*) from terminal_actions`)).toBe(count);
		});

		it('refuses the device’s own read-only user', async () => {
			const own = (await loadActor(db, device.userId))!;
			await expect(act({ stepId: ready[0], action: 'start' }, device, own)).rejects.toBeInstanceOf(ForbiddenError);
		});
	});
});
