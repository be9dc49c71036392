import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar } from './db';
import { generateVisits } from '../../src/lib/server/services/maintenance';
import { ticketFacts, ticketPayload } from '../../src/lib/server/services/tickets-common';
import {
	listMaintenancePlans,
	updateMaintenancePlan,
	upcomingVisits
} from '../../src/lib/server/services/maintenance-plans';
import { ConflictError, ValidationError } from '../../src/lib/server/errors';
import { addDays } from '../../src/lib/domain/days';
import { chinaToday } from '../../src/lib/server/services/order-common';
import { m } from '../../src/lib/paraglide/messages';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';

/**
 * Planned maintenance on the demo data: the generator makes one visit per plan and due day up
 * to 14 days ahead, auto-assigned, idempotent, and once even when two runs race; plans are
 * edited with versions.
 */
describe.each(drivers)('planned maintenance (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let dispatcher: Actor;
	const today = chinaToday();
	const through = addDays(today, 14);
	const visits = () =>
		scalar(db, sql`select count(*) from service_tickets where maintenance_plan_id is not null`);
	const visitEvents = () =>
		scalar(
			db,
			sql`select count(*) from events e join service_tickets t on t.id = e.entity_id
				where e.entity = 'service_ticket' and t.maintenance_plan_id is not null`
		);

	beforeAll(async () => {
		db = t.db;
		dispatcher = await actorOf(db, 'dispatcher1', { locale: 'zh-CN' });
	});

	it('starts with no visits: the seed leaves them to the first run', async () => {
		expect(await visits()).toBe(0);
		expect(await scalar(db, sql`select count(*) from maintenance_plans where active = 1`)).toBeGreaterThan(
			10
		);
	});

	it('creates each due visit once when two runs race, and nothing on a run after', async () => {
		const expected = await scalar(
			db,
			sql`select count(*) from maintenance_plans where active = 1 and next_due_on <= ${through}::date`
		);
		// Small batches, so the two runs interleave over several transactions.
		const [a, b] = await Promise.all([generateVisits(db, { batch: 7 }), generateVisits(db, { batch: 7 })]);
		const created = await visits();
		expect(a.created + b.created).toBe(created);
		// Plans due in the window get at least one visit (an interval under 15 days may give two).
		expect(created).toBeGreaterThanOrEqual(expected);
		const dupes = await scalar(
			db,
			sql`select count(*) from (select maintenance_plan_id, planned_on from service_tickets
				where maintenance_plan_id is not null group by 1, 2 having count(*) > 1) d`
		);
		expect(dupes).toBe(0);
		expect(await visitEvents()).toBe(created);
		expect(await generateVisits(db)).toEqual({ created: 0, plans: 0 });
		expect(await visits()).toBe(created);
	});

	it('makes a visit a normal maintenance ticket of its day, due by the end of it in China, assigned with the reason', async () => {
		const rows = await query<{
			kind: string;
			priority: string;
			status: string;
			planned_on: string;
			respond_by: string;
			technician_id: number | null;
			assignment_reason: string;
			description: string;
			interval_days: number;
			next_due_on: string;
			generated_through: string;
		}>(
			db,
			sql`select t.kind, t.priority, t.status, t.planned_on::text, t.respond_by::text, t.technician_id,
					t.assignment_reason, t.description, p.interval_days, p.next_due_on::text, p.generated_through::text
				from service_tickets t join maintenance_plans p on p.id = t.maintenance_plan_id`
		);
		for (const r of rows) {
			expect(r).toMatchObject({ kind: 'maintenance', priority: 'normal' });
			expect(r.planned_on >= today && r.planned_on <= through).toBe(true);
			expect(new Date(r.respond_by).toISOString()).toBe(
				new Date(`${r.planned_on}T23:59:59+08:00`).toISOString()
			);
			expect(r.next_due_on > through).toBe(true);
			expect(r.generated_through).toBe(through);
			expect(r.description).toBe(m.svc_visit_description({ days: r.interval_days }, { locale: 'zh-CN' }));
		}
		const assigned = rows.filter((r) => r.status === 'assigned');
		// The demo has technicians with a maintenance certificate in every company.
		expect(assigned.length).toBeGreaterThan(rows.length / 2);
		for (const r of assigned) {
			expect(r.technician_id).not.toBeNull();
			expect(r.assignment_reason).toMatch(/^持有维修保养证 · 距离 \d+ km · 手上/);
		}
		// A visit's event carries the same state as any ticket's event would.
		const [ev] = await query<{ entity_id: number; payload: Record<string, unknown> }>(
			db,
			sql`select e.entity_id, e.payload from events e join service_tickets t on t.id = e.entity_id
				where e.entity = 'service_ticket' and t.maintenance_plan_id is not null and t.technician_id is not null
				order by e.id limit 1`
		);
		const facts = await ticketFacts(db, Number(ev.entity_id));
		expect(ev.payload).toEqual(JSON.parse(JSON.stringify(ticketPayload(facts!))));
		expect(ev.payload).toMatchObject({ status: 'assigned', kind: 'maintenance' });
		expect(typeof ev.payload.technicianName).toBe('string');
		// Visits of one day spread over the technicians instead of piling on the nearest.
		const perTech = await query<{ n: number }>(
			db,
			sql`select count(*)::int as n from service_tickets where maintenance_plan_id is not null and status = 'assigned'
				group by technician_id, planned_on order by n desc`
		);
		expect(perTech.length).toBeGreaterThan(1);
	});

	it('lists plans with their next visit, and edits the interval and active flag at the version read', async () => {
		const ctx = { db, actor: dispatcher };
		const list = await listMaintenancePlans(ctx, { pageSize: '5', sort: 'nextDueOn' });
		expect(list.total).toBeGreaterThan(10);
		const plan = list.rows.find((r) => r.nextVisit !== null)!;
		expect(plan.nextVisit! >= today).toBe(true);
		for (const intervalDays of [0, 367, 2.5]) {
			const bad = await updateMaintenancePlan(ctx, plan.id, { version: plan.version, intervalDays }).catch(
				(e) => e
			);
			expect(bad).toBeInstanceOf(ValidationError);
			expect(bad.message).toContain(m.svc_interval_range({ min: 1, max: 366 }, { locale: 'zh-CN' }));
		}
		// A shorter interval counts from the last visit generated, and its visits up to the horizon come at once.
		const updated = await updateMaintenancePlan(ctx, plan.id, { version: plan.version, intervalDays: 3 });
		expect(updated.intervalDays).toBe(3);
		expect(updated.version).toBeGreaterThan(plan.version);
		const days = await query<{ d: string }>(
			db,
			sql`select planned_on::text as d from service_tickets where maintenance_plan_id = ${plan.id} order by planned_on`
		);
		expect(days.length).toBeGreaterThan(2);
		const stale = await updateMaintenancePlan(ctx, plan.id, { version: plan.version, active: false }).catch(
			(e) => e
		);
		expect(stale).toBeInstanceOf(ConflictError);
		expect(stale.current).toMatchObject({ id: plan.id, intervalDays: 3 });
		const off = await updateMaintenancePlan(ctx, plan.id, { version: updated.version, active: false });
		expect(off.active).toBe(false);
		const events = await query<{ type: string }>(
			db,
			sql`select type from events where entity = 'maintenance_plan' and entity_id = ${plan.id}`
		);
		expect(events.map((e) => e.type)).toEqual(['maintenance_plan.updated', 'maintenance_plan.updated']);
	});

	it('counts the coming visits per day and lists one day', async () => {
		const up = await upcomingVisits({ db, actor: dispatcher }, {});
		expect(up.days.length).toBeGreaterThan(0);
		expect(up.days.reduce((s, d) => s + d.total, 0)).toBe(await visits());
		expect(up.visits.length).toBe(Math.min(200, up.days[0].total));
		const scoped = await actorOf(db, 'scoped1');
		const mine = await upcomingVisits({ db, actor: scoped }, {});
		expect(mine.days.reduce((s, d) => s + d.total, 0)).toBeLessThan(await visits());
	});
});
