import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, rejection } from './db';
import { dispatchBoard, BOARD_CAP } from '../../src/lib/server/services/dispatch-board';
import { ForbiddenError, ValidationError } from '../../src/lib/server/errors';
import { chinaToday } from '../../src/lib/server/services/order-common';
import { addDays } from '../../src/lib/domain/days';
import { schema, type Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';

/**
 * The dispatcher's map read model on the seeded demo data: what each user may see (company and
 * own-customer scope, tickets only with service.read), each filter narrowing what it says, the
 * coming two weeks of maintenance visits, and malformed filters refused field by field.
 */
describe.each(drivers)('dispatch board (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let admin: Actor;
	let onlyA: Actor;
	const today = chinaToday();
	const A = 1;
	const B = 2;
	let visitSoon: number;
	let visitLate: number;

	/** A maintenance visit on a unit of company A with a site, `days` from today. */
	async function visit(days: number, n: string): Promise<number> {
		const [unit] = await query<{ id: number }>(
			db,
			sql`select u.id from units u join sites s on s.id = u.site_id
				where u.company_id = ${A} and s.lat is not null order by u.id limit 1`
		);
		const [row] = await db
			.insert(schema.serviceTickets)
			.values({
				companyId: A,
				number: `MV-TEST-${n}`,
				unitId: Number(unit.id),
				kind: 'maintenance',
				priority: 'normal',
				description: '半月保养',
				respondBy: new Date(Date.now() + (days + 1) * 86_400_000),
				plannedOn: addDays(today, days)
			})
			.returning({ id: schema.serviceTickets.id });
		return row.id;
	}

	beforeAll(async () => {
		db = t.db;
		admin = await actorOf(db, 'admin');
		onlyA = await actorOf(db, 'dispatcher1', { companyIds: [A] });
		visitSoon = await visit(3, 'SOON');
		visitLate = await visit(VISIT_AFTER_WINDOW, 'LATE');
	});
	const VISIT_AFTER_WINDOW = 20;

	it('shows open jobs, open tickets, the coming visits and the crews, each with what the map needs', async () => {
		const b = await dispatchBoard({ db, actor: admin }, {});
		expect(b.cursor).toMatch(/^\d+:\d+:/);
		expect(b.jobs.length).toBeGreaterThan(50);
		expect(b.jobs.every((j) => j.status !== 'handed_over' && j.status !== 'cancelled')).toBe(true);
		expect(new Set(b.jobs.map((j) => j.status))).toContain('unassigned');
		const job = b.jobs.find((j) => j.crewId !== null)!;
		expect(job).toMatchObject({
			crewName: expect.any(String),
			city: expect.any(String),
			version: expect.any(Number)
		});
		expect(job.lat).toBeGreaterThan(15);
		// Unassigned first: what needs a dispatcher.
		const firstAssigned = b.jobs.findIndex((j) => j.status !== 'unassigned');
		expect(b.jobs.slice(firstAssigned).some((j) => j.status === 'unassigned')).toBe(false);
		expect(b.tickets.length).toBeGreaterThan(0);
		expect(b.tickets.every((x) => x.status !== 'closed' && x.plannedOn === null)).toBe(true);
		expect(b.tickets.filter((x) => x.lat !== null).length).toBeGreaterThan(0);
		expect(b.crews.length).toBe(6);
		expect(b.crews[0]).toMatchObject({
			capacity: expect.any(Number),
			lat: expect.any(Number),
			baseCity: expect.any(String)
		});
		expect(b.truncated).toEqual({ jobs: false, tickets: false, visits: false });
		// Visits: the coming 14 days only.
		const visitIds = b.visits.map((v) => v.id);
		expect(visitIds).toContain(visitSoon);
		expect(visitIds).not.toContain(visitLate);
		expect(b.visits.every((v) => v.plannedOn! >= today && v.plannedOn! <= addDays(today, 13))).toBe(true);
		expect(BOARD_CAP).toBeGreaterThanOrEqual(5000);
	});

	it('never shows a user of company A anything of company B', async () => {
		const all = await dispatchBoard({ db, actor: admin }, {});
		// The test means something only if B has markers of every kind.
		for (const list of [all.jobs, all.tickets, all.crews])
			expect(list.some((r) => r.companyId === B)).toBe(true);
		const b = await dispatchBoard({ db, actor: onlyA }, {});
		for (const list of [b.jobs, b.tickets, b.visits, b.crews]) {
			expect(list.length).toBeGreaterThan(0);
			expect(list.every((r) => r.companyId === A)).toBe(true);
		}
		// Asking for B by name gives nothing either.
		const asked = await dispatchBoard({ db, actor: onlyA }, { companyId: String(B) });
		expect([asked.jobs, asked.tickets, asked.visits, asked.crews].every((l) => l.length === 0)).toBe(true);
	});

	it('shows a sales rep only the jobs of their own customers, and tickets only to those who read tickets', async () => {
		const rep = await actorOf(db, 'sales1');
		const b = await dispatchBoard({ db, actor: rep }, { kinds: 'jobs' });
		const own = await query<{ id: number }>(
			db,
			sql`select j.id from installation_jobs j join orders o on o.id = j.order_id
				where o.sales_rep_id = ${rep.id} and j.status not in ('handed_over', 'cancelled')`
		);
		expect(b.jobs.map((j) => j.id).sort((x, y) => x - y)).toEqual(
			own.map((r) => Number(r.id)).sort((x, y) => x - y)
		);
		const noService = {
			...onlyA,
			permissions: new Set([...onlyA.permissions].filter((p) => p !== 'service.read'))
		};
		const ns = await dispatchBoard({ db, actor: noService as Actor }, {});
		expect(ns.jobs.length).toBeGreaterThan(0);
		expect(ns.tickets).toEqual([]);
		expect(ns.visits).toEqual([]);
	});

	it('narrows by kind, status, priority, crew, company, date window and text', async () => {
		const all = await dispatchBoard({ db, actor: admin }, {});
		const onlyCrews = await dispatchBoard({ db, actor: admin }, { kinds: 'crews' });
		expect(onlyCrews.jobs).toEqual([]);
		expect(onlyCrews.tickets).toEqual([]);
		expect(onlyCrews.crews.length).toBe(all.crews.length);

		const un = await dispatchBoard({ db, actor: admin }, { status: 'unassigned' });
		expect(un.jobs.length).toBe(all.jobs.filter((j) => j.status === 'unassigned').length);
		expect(un.jobs.every((j) => j.status === 'unassigned')).toBe(true);
		expect(un.tickets).toEqual([]); // no ticket is "unassigned"

		const trapped = await dispatchBoard(
			{ db, actor: admin },
			{ priority: 'trapped', kinds: ['jobs', 'tickets'] }
		);
		expect(trapped.jobs).toEqual([]);
		expect(trapped.tickets.length).toBeGreaterThan(0);
		expect(trapped.tickets.every((x) => x.priority === 'trapped')).toBe(true);

		const crew = all.crews[0];
		const byCrew = await dispatchBoard({ db, actor: admin }, { crewId: String(crew.id) });
		expect(byCrew.crews.map((c) => c.id)).toEqual([crew.id]);
		expect(byCrew.jobs.length).toBe(all.jobs.filter((j) => j.crewId === crew.id).length);
		expect(byCrew.jobs.length).toBeGreaterThan(0);

		const inB = await dispatchBoard({ db, actor: admin }, { companyId: B });
		expect(inB.jobs.length).toBe(all.jobs.filter((j) => j.companyId === B).length);

		const sample = all.jobs.find((j) => j.plannedStart && j.plannedEnd)!;
		const win = await dispatchBoard(
			{ db, actor: admin },
			{ kinds: 'jobs', from: sample.plannedStart, to: sample.plannedStart }
		);
		expect(win.jobs.map((j) => j.id)).toContain(sample.id);
		expect(
			win.jobs.every(
				(j) => (j.plannedStart ?? '') <= sample.plannedStart! && (j.plannedEnd ?? '9') >= sample.plannedStart!
			)
		).toBe(true);
		expect(win.jobs.length).toBeLessThan(all.jobs.length);

		const byNumber = await dispatchBoard({ db, actor: admin }, { q: sample.number.toLowerCase() });
		expect(byNumber.jobs.map((j) => j.id)).toEqual([sample.id]);
		const byCity = await dispatchBoard({ db, actor: admin }, { q: sample.city, kinds: 'jobs' });
		expect(
			byCity.jobs.every(
				(j) =>
					j.city.includes(sample.city) || j.address.includes(sample.city) || j.siteName.includes(sample.city)
			)
		).toBe(true);
		expect(byCity.jobs.map((j) => j.id)).toContain(sample.id);

		const laterVisits = await dispatchBoard(
			{ db, actor: admin },
			{ kinds: 'visits', from: addDays(today, 15), to: addDays(today, 30) }
		);
		expect(laterVisits.visits.map((v) => v.id)).toContain(visitLate);
		expect(laterVisits.visits.map((v) => v.id)).not.toContain(visitSoon);
	});

	it('refuses malformed filters with a message naming the field, in the user’s language', async () => {
		const bad = async (input: unknown, actor = admin) => {
			try {
				await dispatchBoard({ db, actor }, input);
			} catch (e) {
				expect(e).toBeInstanceOf(ValidationError);
				return (e as ValidationError).issues;
			}
			throw new Error('expected a refusal');
		};
		expect((await bad({ status: 'lost' }))[0].path).toBe('status');
		expect((await bad({ kinds: 'jobs,planes' }))[0].path).toMatch(/^kinds/);
		expect((await bad({ crewId: '-3' }))[0].path).toBe('crewId');
		expect((await bad({ from: '2026-02-30' }))[0].path).toBe('from');
		expect((await bad({ zoom: '3' }))[0].message).toMatch(/zoom/);
		const order = await bad({ from: '2026-05-10', to: '2026-05-01' }, { ...admin, locale: 'en' });
		expect(order).toEqual([{ path: 'to', message: 'The end date cannot be before the start date' }]);
		const zh = await bad({ from: '2026-01-01', to: '2027-06-01' }, { ...admin, locale: 'zh-CN' });
		expect(zh[0].message).toBe('日期范围最长 366 天');
		expect(await rejection(dispatchBoard({ db, actor: await actorOf(db, 'shopfloor1') }, {}))).toMatch(
			/permission/i
		);
		await expect(dispatchBoard({ db, actor: await actorOf(db, 'shopfloor1') }, {})).rejects.toBeInstanceOf(
			ForbiddenError
		);
	});
});
