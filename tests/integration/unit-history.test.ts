import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar } from './db';
import type { Actor } from '../../src/lib/server/authz';
import { unitHistory, unitIdByCode, type LifeEntry } from '../../src/lib/server/services/unit-history';
import { parseScan } from '../../src/lib/domain/scan';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/server/errors';

type UnitRow = { id: number; serial_no: string; company_id: number; order_id: number; sales_rep_id: number };

/** The first entry of a kind, by position in the (oldest-first) timeline. */
const firstIndex = (entries: LifeEntry[], kinds: string[]) =>
	entries.findIndex((e) => kinds.includes(e.kind));

describe.each(drivers)('unit history (%s)', (driver) => {
	const t = useDatabase(driver);
	let admin: Actor;
	let full: UnitRow;

	beforeAll(async () => {
		admin = await actorOf(t.db, 'admin');
		// A handed-over demo unit with a whole life: order events (into production too), stage reports, a service ticket.
		[full] = await query<UnitRow>(
			t.db,
			sql`select u.id, u.serial_no, u.company_id, u.order_id, o.sales_rep_id
				from units u join orders o on o.id = u.order_id
				where u.status in ('handed_over', 'in_service') and u.handed_over_on is not null
					and exists (select 1 from events e where e.entity = 'order' and e.entity_id = u.order_id)
					and exists (select 1 from events e where e.entity = 'order' and e.entity_id = u.order_id
						and (e.payload->>'to' = 'in_production' or e.type = 'order.in_production'))
					and exists (select 1 from installation_job_units j join installation_progress p on p.job_id = j.job_id
						where j.unit_id = u.id)
					and exists (select 1 from service_tickets st where st.unit_id = u.id)
				order by u.id limit 1`
		);
		expect(full, 'the demo data has a handed-over unit with a whole life').toBeDefined();
	});

	it('tells a handed-over unit’s life in time order: order, production, installation, service', async () => {
		const h = await unitHistory({ db: t.db, actor: admin }, full.id);
		expect(h.unit).toMatchObject({
			id: full.id,
			serialNo: full.serial_no,
			scanCode: `EOU:${full.serial_no}`
		});
		expect(h.order.id).toBe(Number(full.order_id));
		const times = h.entries.map((e) => e.at);
		expect(times).toEqual([...times].sort());
		expect(new Set(h.entries.map((e) => e.key)).size).toBe(h.entries.length);

		const order = firstIndex(h.entries, ['order']);
		const production = firstIndex(h.entries, ['production']);
		const installation = firstIndex(h.entries, ['installation', 'inspection', 'handover']);
		const service = firstIndex(h.entries, ['ticket', 'visit']);
		for (const i of [order, production, installation, service]) expect(i).toBeGreaterThanOrEqual(0);
		expect(h.entries[order]).toMatchObject({ source: 'order', type: 'order.created' });
		expect(order).toBeLessThan(production);
		expect(production).toBeLessThan(installation);
		expect(installation).toBeLessThan(service);
		const handover = h.entries.find(
			(e) => e.kind === 'handover' && e.source === 'installation' && e.what === 'handed_over'
		);
		expect(handover?.day).toBe(
			(
				await query<{ d: string }>(
					t.db,
					sql`select handed_over_on::text as d from units where id = ${full.id}`
				)
			)[0].d
		);

		// Every stage report is on it, once.
		const reports = await scalar(
			t.db,
			sql`select count(*) from installation_progress p join installation_job_units j on j.job_id = p.job_id
				where j.unit_id = ${full.id}`
		);
		expect(h.entries.filter((e) => e.source === 'installation' && e.what === 'progress')).toHaveLength(
			reports
		);
	});

	it('tells production from the work order: created, started, each finished step with who did it', async () => {
		const [wo] = await query<{
			id: number;
			unit_id: number;
			number: string;
			started: boolean;
			done: boolean;
		}>(
			t.db,
			sql`select w.id, w.unit_id, w.number, w.started_at is not null as started, w.finished_at is not null as done
				from work_orders w
				where exists (select 1 from work_order_steps s where s.work_order_id = w.id and s.status = 'done' and s.finished_at is not null)
				order by w.id limit 1`
		);
		const h = await unitHistory({ db: t.db, actor: admin }, wo.unit_id);
		const mine = h.entries.filter((e) => e.source === 'production' && e.workOrder?.id === Number(wo.id));
		expect(mine.filter((e) => e.source === 'production' && e.what === 'wo_created')).toHaveLength(1);
		expect(mine.some((e) => e.source === 'production' && e.what === 'wo_started')).toBe(wo.started);
		expect(mine.some((e) => e.source === 'production' && e.what === 'wo_done')).toBe(wo.done);
		const steps = await query<{ id: number; stage: string; operator: string | null }>(
			t.db,
			sql`select s.id, s.stage, u.display_name as operator from work_order_steps s left join users u on u.id = s.operator_id
				where s.work_order_id = ${wo.id} and s.status = 'done' and s.finished_at is not null order by s.id`
		);
		const stepEntries = mine.filter((e) => e.source === 'production' && e.what === 'step_done');
		expect(stepEntries.map((e) => e.key).sort()).toEqual(steps.map((s) => `step-${s.id}`).sort());
		for (const s of steps)
			expect(stepEntries.find((e) => e.key === `step-${s.id}`)).toMatchObject({
				stage: s.stage,
				actor: s.operator
			});
		expect(h.workOrderIds).toContain(Number(wo.id));
	});

	it('names the header facts and counts from the rows', async () => {
		const h = await unitHistory({ db: t.db, actor: admin }, full.id);
		const [row] = await query<{
			model: string;
			customer: string;
			address: string | null;
			interval_days: number | null;
			next_due_on: string | null;
		}>(
			t.db,
			sql`select m.code as model, c.name as customer, s.address, p.interval_days, p.next_due_on::text as next_due_on
				from units u join orders o on o.id = u.order_id join elevator_models m on m.id = u.model_id
				join customers c on c.id = o.customer_id left join sites s on s.id = coalesce(u.site_id, o.site_id)
				left join maintenance_plans p on p.unit_id = u.id where u.id = ${full.id}`
		);
		expect(h.model.code).toBe(row.model);
		expect(h.customer.name).toBe(row.customer);
		expect(h.site?.address ?? null).toBe(row.address);
		if (row.interval_days === null) expect(h.plan).toBeNull();
		else expect(h.plan).toMatchObject({ intervalDays: row.interval_days, nextDueOn: row.next_due_on });
		const [c] = await query<{ repairs: number; open: number; tickets: number }>(
			t.db,
			sql`select count(*) filter (where kind = 'fault')::int as repairs,
				count(*) filter (where status not in ('resolved', 'closed') and maintenance_plan_id is null)::int as open,
				count(*)::int as tickets
				from service_tickets where unit_id = ${full.id}`
		);
		expect(h.counts).toMatchObject({ repairs: c.repairs, openTickets: c.open, tickets: c.tickets });
		expect(h.entries.filter((e) => e.source === 'service')).toHaveLength(c.tickets);
	});

	it('judges each ticket’s response against its target and lists the parts it used', async () => {
		const tickets = await query<{ unit_id: number; id: number; met: boolean }>(
			t.db,
			sql`select unit_id, id, arrived_at <= respond_by as met from service_tickets
				where arrived_at is not null and maintenance_plan_id is null and kind <> 'maintenance'
					and exists (select 1 from ticket_parts p where p.ticket_id = service_tickets.id)
				order by id limit 3`
		);
		expect(tickets.length).toBeGreaterThan(0);
		for (const tk of tickets) {
			const h = await unitHistory({ db: t.db, actor: admin }, tk.unit_id);
			const entry = h.entries.find((e) => e.source === 'service' && e.ticket.id === Number(tk.id));
			expect(entry?.source === 'service' && entry.ticket.response).toBe(tk.met ? 'met' : 'missed');
			const parts = await scalar(t.db, sql`select count(*) from ticket_parts where ticket_id = ${tk.id}`);
			expect(h.entries.filter((e) => e.source === 'part' && e.part.ticketId === Number(tk.id))).toHaveLength(
				parts
			);
		}
		// An open ticket past its target is missed, one still within it is due.
		const late = new Date('2100-01-01T00:00:00Z');
		const [open] = await query<{ unit_id: number; id: number }>(
			t.db,
			sql`select unit_id, id from service_tickets where arrived_at is null and status in ('new', 'assigned', 'en_route') order by id limit 1`
		);
		const ctx = { db: t.db, actor: admin };
		const find = (h: Awaited<ReturnType<typeof unitHistory>>) =>
			h.entries.find((e) => e.source === 'service' && e.ticket.id === Number(open.id));
		const later = find(await unitHistory(ctx, open.unit_id, late));
		const early = find(await unitHistory(ctx, open.unit_id, new Date('2000-01-01T00:00:00Z')));
		expect(later?.source === 'service' && later.ticket.response).toBe('missed');
		expect(early?.source === 'service' && early.ticket.response).toBe('due');
	});

	it('shows a stage report’s photos by id, never their bytes', async () => {
		const [p] = await query<{ id: number; job_id: number; stage: string; company_id: number }>(
			t.db,
			sql`select p.id, p.job_id, p.stage, j.company_id from installation_progress p
				join installation_jobs j on j.id = p.job_id join installation_job_units ju on ju.job_id = j.id
				where ju.unit_id = ${full.id} order by p.id limit 1`
		);
		const bytes = Buffer.from('\x89PNG\r\n\x1a\n-unit-history-test-photo-bytes');
		const [photo] = await query<{ id: number }>(
			t.db,
			sql`insert into installation_photos (company_id, job_id, progress_id, stage, mime, size, data)
				values (${p.company_id}, ${p.job_id}, ${p.id}, ${p.stage}, 'image/png', ${bytes.length}, ${bytes})
				returning id`
		);
		const h = await unitHistory({ db: t.db, actor: admin }, full.id);
		const report = h.entries.find((e) => e.key === `prog-${p.id}`);
		expect(report?.source === 'installation' && report.photos).toEqual([
			{ id: Number(photo.id), mime: 'image/png', size: bytes.length }
		]);
		const json = JSON.stringify(h);
		expect(json).not.toContain('unit-history-test-photo-bytes');
		expect(json).not.toContain(bytes.toString('base64'));
	});

	it('reads another company’s or another rep’s unit as not found, and refuses readers of none of it', async () => {
		const scoped = await actorOf(t.db, 'scoped1'); // company 2 only
		const sales1 = await actorOf(t.db, 'sales1');
		const [other] = await query<UnitRow>(
			t.db,
			sql`select u.id from units u where u.company_id not in (${sql.raw(scoped.companyIds.join(','))}) order by u.id limit 1`
		);
		const [mine] = await query<UnitRow>(
			t.db,
			sql`select u.id from units u where u.company_id = ${scoped.companyIds[0]} order by u.id limit 1`
		);
		await expect(unitHistory({ db: t.db, actor: scoped }, other.id)).rejects.toBeInstanceOf(NotFoundError);
		expect((await unitHistory({ db: t.db, actor: scoped }, mine.id)).unit.id).toBe(Number(mine.id));

		// A sales rep ('own' scope) sees the units of their own orders only.
		const [own] = await query<UnitRow>(
			t.db,
			sql`select u.id from units u join orders o on o.id = u.order_id where o.sales_rep_id = ${sales1.id} order by u.id limit 1`
		);
		const [colleague] = await query<UnitRow>(
			t.db,
			sql`select u.id from units u join orders o on o.id = u.order_id
				where o.sales_rep_id <> ${sales1.id} and u.company_id in (${sql.raw(sales1.companyIds.join(','))}) order by u.id limit 1`
		);
		expect((await unitHistory({ db: t.db, actor: sales1 }, own.id)).unit.id).toBe(Number(own.id));
		await expect(unitHistory({ db: t.db, actor: sales1 }, colleague.id)).rejects.toBeInstanceOf(
			NotFoundError
		);

		const installer = await actorOf(t.db, 'installer1'); // service.read and installation.read, no orders.read
		const seen = await unitHistory({ db: t.db, actor: installer }, full.id);
		expect(seen.may).toMatchObject({ order: false, service: true, installation: true });
		const worker = await actorOf(t.db, 'shopfloor1');
		await expect(unitHistory({ db: t.db, actor: worker }, full.id)).rejects.toBeInstanceOf(ForbiddenError);

		await expect(unitHistory({ db: t.db, actor: admin }, 99_999_999)).rejects.toBeInstanceOf(NotFoundError);
		await expect(unitHistory({ db: t.db, actor: admin }, 'abc')).rejects.toBeInstanceOf(ValidationError);
	});

	it('finds a unit by its QR code, bare serial, any case, or a job card; nothing else', async () => {
		const ctx = { db: t.db, actor: admin };
		expect(parseScan(`EOU:${full.serial_no}`)).toEqual({ kind: 'unit', serial: full.serial_no });
		expect(parseScan('EOJ:WO-SH-2026-000001')).toEqual({ kind: 'job', number: 'WO-SH-2026-000001' });
		expect(parseScan('EOB:B10001')).toEqual({ kind: 'badge', code: 'B10001' });
		expect(parseScan('EOU:')).toEqual({ kind: 'unknown' });

		expect(await unitIdByCode(ctx, { code: `EOU:${full.serial_no}` })).toBe(Number(full.id));
		expect(await unitIdByCode(ctx, { code: `  ${full.serial_no} ` })).toBe(Number(full.id));
		expect(await unitIdByCode(ctx, { code: full.serial_no.toLowerCase() })).toBe(Number(full.id));
		expect(await unitIdByCode(ctx, { code: `eou:${full.serial_no.toLowerCase()}` })).toBe(Number(full.id));
		const [wo] = await query<{ number: string; unit_id: number }>(
			t.db,
			sql`select number, unit_id from work_orders order by id limit 1`
		);
		expect(await unitIdByCode(ctx, { code: `EOJ:${wo.number}` })).toBe(Number(wo.unit_id));
		expect(await unitIdByCode(ctx, { code: 'EOU:EL-1999-0000000' })).toBeNull();
		expect(await unitIdByCode(ctx, { code: 'nothing like a serial' })).toBeNull();
		await expect(unitIdByCode(ctx, { code: '' })).rejects.toBeInstanceOf(ValidationError);
		await expect(unitIdByCode(ctx, { code: 'x'.repeat(81) })).rejects.toBeInstanceOf(ValidationError);

		// Another company's serial reads exactly like an unknown one.
		const scoped = await actorOf(t.db, 'scoped1');
		const [other] = await query<UnitRow>(
			t.db,
			sql`select id, serial_no from units where company_id not in (${sql.raw(scoped.companyIds.join(','))}) order by id limit 1`
		);
		expect(await unitIdByCode(ctx, { code: `EOU:${other.serial_no}` })).toBe(Number(other.id));
		expect(await unitIdByCode({ db: t.db, actor: scoped }, { code: `EOU:${other.serial_no}` })).toBeNull();
	});
});
