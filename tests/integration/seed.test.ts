import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, migrate, rows, type Db } from '../../src/lib/server/db';
import { ensureRoles, seedDemo, type SeedSummary } from '../../src/lib/server/seed';
import { CHINA_BOUNDS } from '../../src/lib/server/seed/cities';
import { BUILT_IN_ROLES } from '../../src/lib/domain/permissions';
import { ORDER_STATUSES, TICKET_STATUSES } from '../../src/lib/domain/statuses';
import { drivers, openTestDatabase, type TestDatabase } from './db';

const USERNAMES = [
	'admin',
	'sales1',
	'sales2',
	'sales3',
	'sales4',
	'sales5',
	'sales6',
	'approver1',
	'approver2',
	'planner1',
	'shopfloor1',
	'dispatcher1',
	'installer1',
	'installer12',
	'storekeeper1',
	'finance1',
	'manager1',
	'scoped1'
];

async function scalar(db: Db, q: ReturnType<typeof sql>): Promise<number> {
	const [row] = await rows<Record<string, unknown>>(db, q);
	return Number(Object.values(row ?? {})[0] ?? 0);
}

describe.each(drivers)('demo seed (%s)', (driver) => {
	let t: TestDatabase;
	let db: Db;
	let summary: SeedSummary;
	beforeAll(async () => {
		t = await openTestDatabase(driver, { seed: false });
		db = t.db;
		// The size the app seeds on its first start.
		summary = await seedDemo(db, {});
	});
	afterAll(async () => {
		await t?.close();
	});

	it('reports what it wrote, and wrote it', async () => {
		expect(summary.orders).toBe(2000);
		expect(summary.customers).toBeGreaterThanOrEqual(350);
		expect(await scalar(db, sql`select count(*) from orders`)).toBe(summary.orders);
		expect(await scalar(db, sql`select count(*) from units`)).toBe(summary.units);
		expect(await scalar(db, sql`select count(*) from events`)).toBe(summary.events);
	});

	it('keeps every foreign key valid (the seed loads with per-row checks off)', async () => {
		const fks = await rows<{ child: string; col: string; parent: string; pcol: string }>(
			db,
			sql`select cl.relname as child, a.attname as col, pc.relname as parent, pa.attname as pcol
				from pg_constraint c
				join pg_class cl on cl.oid = c.conrelid
				join pg_class pc on pc.oid = c.confrelid
				join pg_namespace n on n.oid = cl.relnamespace
				join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
				join pg_attribute pa on pa.attrelid = c.confrelid and pa.attnum = c.confkey[1]
				where c.contype = 'f' and n.nspname = 'public' and cardinality(c.conkey) = 1`
		);
		expect(fks.length).toBeGreaterThan(50);
		const broken: string[] = [];
		for (const fk of fks) {
			const n = await scalar(
				db,
				sql.raw(
					`select count(*) from "${fk.child}" c where c."${fk.col}" is not null and not exists (select 1 from "${fk.parent}" p where p."${fk.pcol}" = c."${fk.col}")`
				)
			);
			if (n > 0) broken.push(`${fk.child}.${fk.col} → ${fk.parent}: ${n}`);
		}
		expect(broken).toEqual([]);
		expect(
			await scalar(
				db,
				sql`select count(*) from approval_steps s where not (s.role_ids <@ (select array_agg(id) from roles))`
			)
		).toBe(0);
	});

	it('creates one group of three companies with branches', async () => {
		expect(await scalar(db, sql`select count(*) from company_groups`)).toBe(1);
		expect(await scalar(db, sql`select count(*) from companies`)).toBe(3);
		expect(await scalar(db, sql`select count(distinct company_id) from branches`)).toBe(3);
	});

	it('creates every demo user, with a home company among its grants', async () => {
		const found = await rows<{ username: string }>(db, sql`select username from users`);
		expect(found.map((u) => u.username)).toEqual(expect.arrayContaining(USERNAMES));
		expect(
			await scalar(
				db,
				sql`select count(*) from users u where not exists (select 1 from user_company_grants g where g.user_id = u.id and g.company_id = u.home_company_id)`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from users u where not exists (select 1 from user_roles r where r.user_id = u.id)`
			)
		).toBe(0);
	});

	it('grants scoped1 exactly one company, the second, and admin and manager1 all three', async () => {
		const grants = await rows<{ username: string; code: string }>(
			db,
			sql`select u.username, c.code from user_company_grants g join users u on u.id = g.user_id join companies c on c.id = g.company_id where u.username in ('scoped1', 'admin', 'manager1')`
		);
		expect(grants.filter((g) => g.username === 'scoped1').map((g) => g.code)).toEqual(['SZ']);
		expect(grants.filter((g) => g.username === 'admin')).toHaveLength(3);
		expect(grants.filter((g) => g.username === 'manager1')).toHaveLength(3);
	});

	it('has orders in every status, with unique well-formed numbers', async () => {
		const statuses = await rows<{ status: string }>(db, sql`select distinct status from orders`);
		expect(statuses.map((s) => s.status).sort()).toEqual([...ORDER_STATUSES].sort());
		expect(
			await scalar(db, sql`select count(*) from orders where number !~ '^SO-(SH|SZ|GZ)-20[0-9]{2}-[0-9]{6}$'`)
		).toBe(0);
		expect(await scalar(db, sql`select count(distinct number) from orders`)).toBe(summary.orders);
	});

	it('keeps every order total consistent with its lines, discount and 13 % tax', async () => {
		expect(
			await scalar(
				db,
				sql`select count(*) from orders where total_amount <> subtotal - discount_amount + tax_amount`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from orders where discount_amount <> round(subtotal * discount_bp / 10000.0) or tax_amount <> round((subtotal - discount_amount) * tax_rate_bp / 10000.0) or tax_rate_bp <> 1300`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from orders o where subtotal <> (select sum(line_amount) from order_lines l where l.order_id = o.id)`
			)
		).toBe(0);
		expect(
			await scalar(db, sql`select count(*) from order_lines where line_amount <> unit_price * qty`)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from orders o where unit_count <> (select count(*) from units u where u.order_id = o.id)`
			)
		).toBe(0);
	});

	it('keeps order lines inside their model’s allowed specs', async () => {
		expect(
			await scalar(
				db,
				sql`select count(*) from order_lines l join elevator_models m on m.id = l.model_id
					where not (l.load_kg = any(m.loads_kg)) or not (l.speed = any(m.speeds)) or l.stops not between m.min_stops and m.max_stops
					or l.travel_m > m.max_travel_m or not (l.door_type = any(m.door_types)) or l.door_width_mm not between m.min_door_width_mm and m.max_door_width_mm
					or (l.machine_room and not m.machine_room) or (not l.machine_room and not m.machine_room_less)`
			)
		).toBe(0);
	});

	it('fills the search text the order list matches', async () => {
		expect(
			await scalar(
				db,
				sql`select count(*) from orders o join customers c on c.id = o.customer_id join sites s on s.id = o.site_id where o.search_text <> lower(o.number || ' ' || c.name || ' ' || s.city)`
			)
		).toBe(0);
	});

	it('keeps dates and lifecycle timestamps in order', async () => {
		expect(
			await scalar(
				db,
				sql`select count(*) from orders where order_date > current_date or order_date < current_date - 560`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from orders where submitted_at < created_at or approved_at < submitted_at or closed_at < created_at`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from orders where status not in ('draft', 'cancelled') and submitted_at is null`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from orders where status in ('approved','in_production','shipped','installing','handed_over','closed') and approved_at is null`
			)
		).toBe(0);
		expect(
			await scalar(db, sql`select count(*) from orders where status = 'closed' and closed_at is null`)
		).toBe(0);
		expect(await scalar(db, sql`select count(*) from orders where priority = 'urgent'`)).toBeGreaterThan(0);
	});

	it('matches unit statuses to order statuses', async () => {
		const bad = await scalar(
			db,
			sql`select count(*) from units u join orders o on o.id = u.order_id where
				(o.status in ('draft','submitted','in_approval','approved','rejected','cancelled') and u.status <> 'planned')
				or (o.status = 'closed' and (u.status <> 'in_service' or u.handed_over_on is null))
				or (o.status = 'handed_over' and u.status <> 'handed_over')
				or (o.status = 'shipped' and u.status <> 'shipped')`
		);
		expect(bad).toBe(0);
	});

	it('puts every site, crew and installation job inside China', async () => {
		const { minLat, maxLat, minLng, maxLng } = CHINA_BOUNDS;
		expect(await scalar(db, sql`select count(*) from sites`)).toBeGreaterThan(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from sites where lat is null or lng is null or lat not between ${minLat} and ${maxLat} or lng not between ${minLng} and ${maxLng}`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from crews where base_lat not between ${minLat} and ${maxLat} or base_lng not between ${minLng} and ${maxLng}`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from installation_jobs where lat not between ${minLat} and ${maxLat} or lng not between ${minLng} and ${maxLng}`
			)
		).toBe(0);
	});

	it('leaves a shared approval queue with pending, overdue and claimed steps', async () => {
		expect(
			await scalar(
				db,
				sql`select count(*) from orders o where o.status in ('submitted','in_approval') and not exists (select 1 from approval_steps s where s.order_id = o.id and s.status = 'pending')`
			)
		).toBe(0);
		expect(
			await scalar(db, sql`select count(*) from approval_steps where status = 'pending' and due_at < now()`)
		).toBeGreaterThan(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from approval_steps where status = 'pending' and claimed_by_id is not null`
			)
		).toBeGreaterThan(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from approval_steps s join approval_decisions d on d.step_id = s.id where s.status = 'rejected' and d.decision = 'reject'`
			)
		).toBeGreaterThan(0);
		expect(await scalar(db, sql`select count(*) from approval_rules where auto_approve`)).toBeGreaterThan(0);
	});

	it('has work orders in production, some late, with consistent steps', async () => {
		expect(
			await scalar(db, sql`select count(*) from work_orders where status in ('in_progress','paused')`)
		).toBeGreaterThan(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from work_orders where status not in ('done','cancelled') and projected_finish > due_date`
			)
		).toBeGreaterThan(0);
		expect(
			await scalar(db, sql`select count(*) from work_order_steps where status = 'blocked'`)
		).toBeGreaterThan(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from work_orders w where (select count(*) from work_order_steps s where s.work_order_id = w.id) <> 8`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from work_orders w where w.status = 'done' and exists (select 1 from work_order_steps s where s.work_order_id = w.id and s.status <> 'done')`
			)
		).toBe(0);
	});

	it('has installation jobs, service tickets in every status and maintenance plans', async () => {
		expect(
			await scalar(db, sql`select count(distinct status) from installation_jobs`)
		).toBeGreaterThanOrEqual(4);
		const statuses = await rows<{ status: string }>(db, sql`select distinct status from service_tickets`);
		expect(statuses.map((s) => s.status).sort()).toEqual([...TICKET_STATUSES].sort());
		expect(
			await scalar(
				db,
				sql`select count(*) from service_tickets where priority = 'trapped' and status not in ('resolved','closed')`
			)
		).toBeGreaterThan(0);
		expect(await scalar(db, sql`select count(*) from maintenance_plans`)).toBeGreaterThan(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from technician_skills where certificate_expires_on between current_date and current_date + 30`
			)
		).toBeGreaterThan(0);
	});

	it('invoices approved orders without exceeding their totals, and records payments', async () => {
		expect(
			await scalar(
				db,
				sql`select count(*) from orders o where (select coalesce(sum(total_amount), 0) from invoices i where i.order_id = o.id and i.status <> 'void') > o.total_amount`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from orders o where o.status = 'closed' and (select sum(total_amount) from invoices i where i.order_id = o.id) <> o.total_amount`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from invoices i where paid_amount <> (select coalesce(sum(amount), 0) from payments p where p.invoice_id = i.id)`
			)
		).toBe(0);
		expect(
			await scalar(db, sql`select count(*) from invoices where status = 'issued' and due_on < current_date`)
		).toBeGreaterThan(0);
	});

	it('has stock below safety level and reservations within what is on hand', async () => {
		expect(
			await scalar(
				db,
				sql`select count(*) from items i where coalesce((select sum(on_hand) from stock_levels l where l.item_id = i.id), 0) <= i.safety_stock`
			)
		).toBeGreaterThan(0);
		expect(await scalar(db, sql`select count(*) from stock_levels where reserved > on_hand`)).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from stock_levels l where on_hand <> (select coalesce(sum(qty), 0) from stock_movements m where m.item_id = l.item_id and m.warehouse_id = l.warehouse_id)`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from stock_levels l where reserved <> (select coalesce(sum(qty), 0) from stock_reservations r where r.item_id = l.item_id and r.warehouse_id = l.warehouse_id and r.status = 'open')`
			)
		).toBe(0);
	});

	it('gives order timelines events', async () => {
		expect(
			await scalar(db, sql`select count(distinct entity_id) from events where entity = 'order'`)
		).toBeGreaterThan(1000);
		expect(await scalar(db, sql`select count(*) from events where at > now()`)).toBe(0);
	});

	it('keeps ensureRoles idempotent', async () => {
		const before = await ensureRoles(db);
		const again = await db.transaction((tx) => ensureRoles(tx));
		expect(again).toEqual(before);
		expect(Object.keys(again).sort()).toEqual(BUILT_IN_ROLES.map((r) => r.code).sort());
	});

	it('hands the id sequences back past the ids it used', async () => {
		const max = await scalar(db, sql`select max(id) from orders`);
		const [row] = await rows<{ id: number }>(
			db,
			sql`select nextval(pg_get_serial_sequence('orders', 'id')) as id`
		);
		expect(Number(row.id)).toBe(max + 1);
		const [g] = await rows<{ id: number }>(
			db,
			sql`insert into company_groups (name) values ('x') returning id`
		);
		expect(Number(g.id)).toBe(
			(await scalar(db, sql`select max(id) from company_groups where name <> 'x'`)) + 1
		);
		await db.execute(sql`delete from company_groups where name = 'x'`);
	});

	it('refuses to seed a database that is not empty', async () => {
		await expect(seedDemo(db, { orders: 20 })).rejects.toThrow(/empty/);
	});
});

describe('demo seed determinism', () => {
	async function seedFresh(seed: number) {
		const database = await openDatabase({ url: null, dataDir: null });
		try {
			await migrate(database, 'drizzle');
			await seedDemo(database.db, { orders: 300, seed, today: '2026-03-15' });
			return {
				orders: await rows<{ number: string; total: number; status: string }>(
					database.db,
					sql`select number, total_amount::text as total, status from orders order by id`
				),
				units: await rows<{ serial_no: string }>(database.db, sql`select serial_no from units order by id`),
				tickets: await rows<{ number: string }>(
					database.db,
					sql`select number, respond_by from service_tickets order by id`
				)
			};
		} finally {
			await database.close();
		}
	}

	it('gives the same rows for the same seed and day', async () => {
		const a = await seedFresh(7);
		const b = await seedFresh(7);
		expect(a.orders).toHaveLength(300);
		expect(new Set(a.orders.map((o) => o.status)).size).toBe(11);
		expect(b).toEqual(a);
	});
});
