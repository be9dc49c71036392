import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { actorOf, drivers, fullMessage, query, rejection, scalar, useDatabase } from './db';
import { replan } from '../../src/lib/server/services/production-schedule';
import { acceptChange, planWorkOrder, workOrderHistory } from '../../src/lib/server/services/production-plan';
import { getSchedule } from '../../src/lib/server/services/schedule-view';
import { listShortages } from '../../src/lib/server/services/shortages';
import { chinaToday } from '../../src/lib/server/services/order-common';
import { addDays, dayNumber, isoWeekday } from '../../src/lib/domain/days';
import { compareWorkOrders } from '../../src/lib/domain/scheduler';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/server/errors';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';

/**
 * The scheduler through its services on a real database: a replan writes the plan back and
 * announces it with one event; the planner's moves, locks and resequencing go through the
 * version they saw and re-plan; accepting an order change keeps its history; scope holds; and
 * two replans of one company never interleave.
 */
describe.each(drivers)('production schedule (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let planner: Actor;
	let SH: number;
	let SZ: number;
	const today = chinaToday();

	beforeAll(async () => {
		db = t.db;
		planner = await actorOf(db, 'planner1', { locale: 'en' });
		SH = await scalar(db, sql`select id from companies where code = 'SH'`);
		SZ = await scalar(db, sql`select id from companies where code = 'SZ'`);
	});
	const ctx = (actor: Actor) => ({ db, actor });
	const events = (type: string) => scalar(db, sql`select count(*) from events where type = ${type}`);
	const wo = async (id: number) =>
		(
			await query<{
				id: number;
				version: number;
				plan_rank: number | null;
				not_before: string | null;
				locked: boolean;
				change_flag: string | null;
				company_id: number;
			}>(
				db,
				sql`select id, version, plan_rank, not_before::text, locked, change_flag, company_id from work_orders where id = ${id}`
			)
		)[0];
	const stepsOf = (id: number) =>
		query<{
			id: number;
			seq: number;
			status: string;
			planned_date: string | null;
			planned_end: string | null;
			planned_hours: Record<string, number> | null;
		}>(
			db,
			sql`select id, seq, status, planned_date::text, planned_end::text, planned_hours from work_order_steps where work_order_id = ${id} order by seq`
		);
	/** An open work order of SH that has not started, is not locked and waits for nothing. */
	const freshWorkOrder = async (skip: number[] = []) =>
		scalar(
			db,
			sql`select w.id from work_orders w where w.company_id = ${SH} and w.status in ('planned', 'released') and not w.locked
				and not exists (select 1 from work_order_steps s where s.work_order_id = w.id and s.status not in ('pending', 'ready'))
				and w.id <> all(${`{${skip.join(',')}}`}::int[]) order by w.id limit 1`
		);

	it('re-plans a company: every open step planned, capacity and sequence kept, one event, no version touched', async () => {
		const versions = await query<{ id: number; version: number }>(
			db,
			sql`select id, version from work_orders where company_id = ${SH} order by id`
		);
		const before = await scalar(db, sql`select count(*) from events where company_id = ${SH}`);
		const { companies } = await replan(ctx(planner), { companyId: SH });
		expect(companies).toHaveLength(1);
		const s = companies[0];
		const after = await query<{
			type: string;
			entity: string;
			entity_id: number;
			payload: { late: number; scheduled: number };
		}>(
			db,
			sql`select type, entity, entity_id, payload from events where company_id = ${SH} order by id desc limit 5`
		);
		expect(await scalar(db, sql`select count(*) from events where company_id = ${SH}`)).toBe(before + 1);
		expect(after[0]).toMatchObject({ type: 'schedule.replanned', entity: 'schedule', entity_id: SH });
		expect(after[0].payload.late).toBe(
			await scalar(
				db,
				sql`select count(*) from work_orders where company_id = ${SH} and status not in ('done','cancelled') and projected_finish > due_date`
			)
		);
		expect(s.scheduled).toBe(
			await scalar(
				db,
				sql`select count(*) from work_orders where company_id = ${SH} and status not in ('done','cancelled')`
			)
		);
		expect(
			await query(db, sql`select id, version from work_orders where company_id = ${SH} order by id`)
		).toEqual(versions);
		expect(
			await scalar(
				db,
				sql`select count(*) from work_order_steps s join work_orders w on w.id = s.work_order_id
					where w.company_id = ${SH} and w.status not in ('done','cancelled') and s.status <> 'done'
						and (s.planned_hours is null or s.planned_date is null or w.scheduled_at is null)`
			)
		).toBe(0);
		// No centre above its capacity, nor working on a day off, from today on.
		const load = await query<{
			centre: number;
			day: string;
			hours: number;
			cap: number;
			work_days: number[];
			holidays: string[];
		}>(
			db,
			sql`select s.work_centre_id as centre, e.key as day, sum(e.value::numeric)::float8 as hours,
					c.daily_capacity_hours::float8 as cap, c.work_days, c.holidays::text[] as holidays
				from work_order_steps s join work_orders w on w.id = s.work_order_id join work_centres c on c.id = s.work_centre_id
					cross join lateral jsonb_each_text(s.planned_hours) e
				where w.company_id = ${SH} and w.status not in ('done','cancelled') and s.status <> 'done' and e.key >= ${today}
				group by 1, 2, 4, 5, 6`
		);
		expect(load.length).toBeGreaterThan(20);
		for (const l of load) {
			expect(l.hours).toBeLessThanOrEqual(l.cap + 1e-6);
			expect(l.work_days.map(Number)).toContain(isoWeekday(dayNumber(l.day)));
			expect(l.holidays).not.toContain(l.day);
		}
		// Each waiting step starts no earlier than its predecessor ends.
		expect(
			await scalar(
				db,
				sql`select count(*) from work_order_steps a join work_order_steps b on b.work_order_id = a.work_order_id and b.seq = a.seq + 1
					join work_orders w on w.id = a.work_order_id
					where w.company_id = ${SH} and w.status not in ('done','cancelled') and not w.locked
						and a.status <> 'done' and b.status in ('pending','ready') and b.planned_date < a.planned_end`
			)
		).toBe(0);
	});

	it('moves a work order to a later day and re-plans; a stale version is a conflict carrying the row', async () => {
		const id = await freshWorkOrder();
		const { version } = await wo(id);
		const day = addDays(today, 20);
		const planned = await events('work_order.planned');
		const res = await planWorkOrder(ctx(planner), id, { version, notBefore: day });
		expect(res.workOrder).toMatchObject({ version: version + 1, notBefore: day });
		expect(await events('work_order.planned')).toBe(planned + 1);
		for (const s of await stepsOf(id)) if (s.status !== 'done') expect(s.planned_date! >= day).toBe(true);
		expect(res.workOrder.plannedStart! >= day).toBe(true);
		const e = await planWorkOrder(ctx(planner), id, { version, notBefore: null }).catch((x) => x);
		expect(e).toBeInstanceOf(ConflictError);
		expect((e as ConflictError).current).toMatchObject({ id, version: version + 1 });
		expect((await wo(id)).not_before).toBe(day);
	});

	it('keeps a locked job exactly where it is while the plant around it changes', async () => {
		const id = await freshWorkOrder();
		const { version } = await wo(id);
		await planWorkOrder(ctx(planner), id, { version, locked: true });
		const kept = await stepsOf(id);
		// One hour a day everywhere (a work-centre edit) and another job put first: anything not
		// locked moves, as the other job shows.
		const caps = await query<{ id: number; cap: string }>(
			db,
			sql`select id, daily_capacity_hours::text as cap from work_centres where company_id = ${SH}`
		);
		await db.execute(sql`update work_centres set daily_capacity_hours = 1 where company_id = ${SH}`);
		try {
			const other = await freshWorkOrder([id]);
			const before = await stepsOf(other);
			await planWorkOrder(ctx(planner), other, {
				version: (await wo(other)).version,
				place: { after: null }
			});
			expect((await stepsOf(other)).map((s) => s.planned_hours)).not.toEqual(
				before.map((s) => s.planned_hours)
			);
			expect((await stepsOf(id)).map((s) => s.planned_hours)).toEqual(kept.map((s) => s.planned_hours));
		} finally {
			for (const c of caps)
				await db.execute(
					sql`update work_centres set daily_capacity_hours = ${c.cap}::numeric where id = ${c.id}`
				);
		}
		await planWorkOrder(ctx(planner), id, { version: (await wo(id)).version, locked: false });
		expect((await wo(id)).locked).toBe(false);
	});

	it('resequences: a job put before another comes before it in the scheduling order', async () => {
		const open = await query<{
			id: number;
			planRank: number | null;
			priority: 'normal' | 'urgent';
			dueDate: string;
		}>(
			db,
			sql`select id, plan_rank as "planRank", priority, due_date::text as "dueDate" from work_orders where company_id = ${SH} and status not in ('done','cancelled')`
		);
		const order = open.sort(compareWorkOrders).map((w) => w.id);
		const [target, mover] = [order[3], order[order.length - 1]];
		await planWorkOrder(ctx(planner), mover, {
			version: (await wo(mover)).version,
			place: { before: target }
		});
		const again = (
			await query<{ id: number; planRank: number | null; priority: 'normal' | 'urgent'; dueDate: string }>(
				db,
				sql`select id, plan_rank as "planRank", priority, due_date::text as "dueDate" from work_orders where company_id = ${SH} and status not in ('done','cancelled')`
			)
		)
			.sort(compareWorkOrders)
			.map((w) => w.id);
		expect(again.indexOf(mover)).toBe(again.indexOf(target) - 1);
		expect(again.slice(0, 3)).toEqual(order.slice(0, 3));
	});

	it('accepts an order change with a note: the flag is cleared, the history kept, the company re-planned', async () => {
		const id = await freshWorkOrder();
		await db.execute(
			sql`update work_orders set change_flag = '订单变更：门宽 900 → 1000 mm' where id = ${id}`
		);
		const { version } = await wo(id);
		expect(await rejection(acceptChange(ctx(planner), id, { version, note: '   ' }))).toMatch(/note/);
		const replans = await events('schedule.replanned');
		const res = await acceptChange(ctx(planner), id, { version, note: '已确认门宽，重新排产' });
		expect(res.workOrder).toMatchObject({ changeFlag: null, version: version + 1 });
		expect(await events('schedule.replanned')).toBe(replans + 1);
		const history = await workOrderHistory(ctx(planner), id);
		expect(history[0]).toMatchObject({
			type: 'work_order.change_accepted',
			payload: { acceptedFlag: '订单变更：门宽 900 → 1000 mm', note: '已确认门宽，重新排产' },
			actorName: planner.displayName
		});
		// Accepting again (a second planner's stale screen) changes nothing.
		expect(
			await acceptChange(ctx(planner), id, { version: version + 1, note: 'again' }).catch((e) => e)
		).toBeInstanceOf(ConflictError);
		expect(await acceptChange(ctx(planner), id, { version, note: 'again' }).catch((e) => e)).toBeInstanceOf(
			ConflictError
		);
	});

	it('refuses bad plans with a reason and changes nothing', async () => {
		const id = await freshWorkOrder();
		const before = await wo(id);
		const bad = async (input: unknown) => {
			const e = await planWorkOrder(ctx(planner), id, input).catch((x) => x);
			expect(e).toBeInstanceOf(ValidationError);
			return (e as ValidationError).message;
		};
		expect(await bad({ version: before.version })).toMatch(/Nothing to change/);
		expect(await bad({ version: before.version, notBefore: addDays(today, -1) })).toMatch(/before today/);
		expect(await bad({ version: before.version, notBefore: '2026-02-30' })).toMatch(/valid date/);
		expect(await bad({ version: before.version, place: { before: 999999 } })).toMatch(
			/not an open work order/
		);
		expect(await bad({ version: before.version, planRank: 3, place: { after: null } })).toMatch(/either/);
		expect(await bad({ version: before.version, locked: 'yes' })).toBeTruthy();
		const done = await scalar(
			db,
			sql`select id from work_orders where company_id = ${SH} and status = 'done' limit 1`
		);
		const e = await planWorkOrder(ctx(planner), done, {
			version: (await wo(done)).version,
			locked: true
		}).catch((x) => x);
		expect((e as Error).message).toMatch(/done or cancelled/);
		expect(await wo(id)).toEqual(before);
	});

	it('holds scope: other companies read as not found, and only planners plan', async () => {
		const scoped = await actorOf(db, 'scoped1');
		const shOnly = { ...planner, companyIds: [SZ] };
		const id = await freshWorkOrder();
		const { version } = await wo(id);
		expect(await replan(ctx(scoped), { companyId: SZ }).catch((e) => e)).toBeInstanceOf(ForbiddenError);
		expect(await replan(ctx(shOnly), { companyId: SH }).catch((e) => e)).toBeInstanceOf(NotFoundError);
		expect(await planWorkOrder(ctx(shOnly), id, { version, locked: true }).catch((e) => e)).toBeInstanceOf(
			NotFoundError
		);
		expect(await getSchedule(ctx(scoped), { companyId: String(SH) }).catch((e) => e)).toBeInstanceOf(
			NotFoundError
		);
		const centre = await scalar(db, sql`select id from work_centres where company_id = ${SH} limit 1`);
		expect(await getSchedule(ctx(scoped), { workCentreId: String(centre) }).catch((e) => e)).toBeInstanceOf(
			NotFoundError
		);
		const mine = await getSchedule(ctx(scoped), {});
		expect(mine.companyId).toBe(SZ);
		expect(mine.companies.map((c) => c.id)).toEqual([SZ]);
		expect(await listShortages(ctx(scoped), { companyId: String(SH) }).catch((e) => e)).toBeInstanceOf(
			NotFoundError
		);
		expect((await listShortages(ctx(scoped), {})).rows.every((r) => r.companyId === SZ)).toBe(true);
		expect((await wo(id)).version).toBe(version);
	});

	it('serializes two replans of one company: the second waits for the first', async () => {
		const n = await events('schedule.replanned');
		let second: Promise<unknown> | undefined;
		let settled = false;
		await db.transaction(async (tx) => {
			await tx.execute(sql`select pg_advisory_xact_lock(74120, ${SZ})`);
			second = replan(ctx(planner), { companyId: SZ }).then(() => (settled = true));
			await new Promise((r) => setTimeout(r, 300));
			expect(settled).toBe(false);
		});
		const [a] = await Promise.all([replan(ctx(planner), { companyId: SZ }), second]);
		expect(a.companies[0].companyId).toBe(SZ);
		const versions = await query<{ v: number }>(
			db,
			sql`select entity_version as v from events where entity = 'schedule' and entity_id = ${SZ} order by id`
		);
		expect(versions.map((v) => Number(v.v))).toEqual(versions.map((_, i) => i + 1));
		expect(await events('schedule.replanned')).toBe(n + 2);
	});

	it('never deadlocks with terminals: replans and step actions (step, work order, next step) at once all complete', async () => {
		const pairs = await query<{ a: number; b: number; w: number }>(
			db,
			// One per work order: each terminal works on its own job.
			sql`select distinct on (s.work_order_id) s.id as a, n.id as b, s.work_order_id as w from work_order_steps s
				join work_order_steps n on n.work_order_id = s.work_order_id and n.seq = s.seq + 1
				join work_orders w on w.id = s.work_order_id
				where w.company_id = ${SH} and w.status not in ('done','cancelled') and s.status <> 'done'
				order by s.work_order_id desc, s.seq limit 12`
		);
		// What a terminal's finish does, slowly: lock and change the step, then its work order, then the next step.
		const terminal = (p: { a: number; b: number; w: number }) =>
			db.transaction(async (tx) => {
				await tx.execute(sql`select id from work_order_steps where id = ${p.a} for update`);
				await tx.execute(sql`update work_order_steps set updated_at = now() where id = ${p.a}`);
				await new Promise((r) => setTimeout(r, 30));
				await tx.execute(sql`select id from work_orders where id = ${p.w} for update`);
				await tx.execute(sql`update work_orders set updated_at = now() where id = ${p.w}`);
				await tx.execute(sql`select id from work_order_steps where id = ${p.b} for update`);
				await tx.execute(sql`update work_order_steps set updated_at = now() where id = ${p.b}`);
			});
		// Clear the plans so each replan rewrites every step and work order.
		const clear = () =>
			db.execute(sql`update work_order_steps set planned_hours = null where company_id = ${SH}`);
		await clear();
		const results = await Promise.allSettled([
			replan(ctx(planner), { companyId: SH }),
			...pairs.map(terminal),
			replan(ctx(planner), { companyId: SH })
		]);
		expect(
			results
				.filter((r) => r.status === 'rejected')
				.map((r) => fullMessage((r as PromiseRejectedResult).reason))
		).toEqual([]);
	});

	it('shows a centre’s schedule: jobs in sequence, load within capacity, the last run; and the shortages', async () => {
		const view = await getSchedule(ctx(planner), { companyId: String(SH), days: '21' });
		expect(view.centre).not.toBeNull();
		expect(view.jobs.length).toBeGreaterThan(0);
		const starts = view.jobs.map((j) => j.start ?? '9999');
		expect([...starts].sort()).toEqual(starts);
		expect(view.load).toHaveLength(21);
		for (const d of view.load) expect(d.hours).toBeLessThanOrEqual(d.capacity + 1e-6);
		expect(view.lastRun?.payload).toMatchObject({ companyId: SH });
		expect(await getSchedule(ctx(planner), { days: '500' }).catch((e) => e)).toBeInstanceOf(ValidationError);

		const shortages = await listShortages(ctx(planner), { companyId: String(SH) });
		expect(shortages.rows.length).toBeGreaterThan(0);
		const flagged = await query<{ id: number }>(
			db,
			sql`select id from work_orders where company_id = ${SH} and shortage`
		);
		const listed = new Set(shortages.rows.flatMap((r) => r.workOrders.map((w) => w.id)));
		expect([...listed].sort()).toEqual(flagged.map((f) => Number(f.id)).sort());
		const row = shortages.rows[0];
		expect(row.missing).toBeGreaterThan(0);
		expect(row.sku).toBeTruthy();
	});
});
