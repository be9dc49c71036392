import { describe, expect, it, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, scalar, query, userId, idList } from './db';
import type { Actor } from '../../src/lib/server/authz';
import type { Ctx } from '../../src/lib/server/services/context';
import { listOrders, getOrder } from '../../src/lib/server/services/orders';
import { listApprovals } from '../../src/lib/server/services/approvals';
import { listWorkOrders } from '../../src/lib/server/services/production';
import { listInstallationJobs } from '../../src/lib/server/services/installation';
import { listServiceTickets } from '../../src/lib/server/services/service';
import { listStockItems } from '../../src/lib/server/services/stock';
import { listCustomers } from '../../src/lib/server/services/customers';
import { homeSummary } from '../../src/lib/server/services/home';
import { loadActor } from '../../src/lib/server/auth/session';
import { likePattern } from '../../src/lib/server/services/list';
import { NotFoundError } from '../../src/lib/server/errors';
import type { Db } from '../../src/lib/server/db';

type Row = { id: number; companyId: number };
type Lister = (ctx: Ctx, input: unknown) => Promise<{ rows: Row[]; total: number }>;

/**
 * Every list, with the SQL that counts its rows in a set of companies (the list's own default
 * filters included) and a query that picks a searchable text of a given row.
 */
interface ListSpec {
	name: string;
	list: Lister;
	count: (companies: ReturnType<typeof idList>) => ReturnType<typeof sql>;
	/** A search text found on some rows of these companies. */
	probe: (companies: ReturnType<typeof idList>) => ReturnType<typeof sql>;
}

const LISTS: ListSpec[] = [
	{
		name: 'orders',
		list: listOrders as Lister,
		count: (c) => sql`select count(*) from orders where company_id in ${c}`,
		probe: (c) => sql`select number as t from orders where company_id in ${c} order by id limit 1`
	},
	{
		name: 'approvals',
		list: listApprovals as Lister,
		count: (c) => sql`select count(*) from approval_steps where company_id in ${c} and status = 'pending'`,
		probe: (c) =>
			sql`select o.number as t from approval_steps s join orders o on o.id = s.order_id
				where s.company_id in ${c} and s.status = 'pending' order by s.id limit 1`
	},
	{
		name: 'work orders',
		list: listWorkOrders as Lister,
		count: (c) => sql`select count(*) from work_orders where company_id in ${c}`,
		probe: (c) => sql`select number as t from work_orders where company_id in ${c} order by id limit 1`
	},
	{
		name: 'installation jobs',
		list: listInstallationJobs as Lister,
		count: (c) => sql`select count(*) from installation_jobs where company_id in ${c}`,
		probe: (c) => sql`select number as t from installation_jobs where company_id in ${c} order by id limit 1`
	},
	{
		name: 'service tickets',
		list: listServiceTickets as Lister,
		count: (c) => sql`select count(*) from service_tickets where company_id in ${c}`,
		probe: (c) => sql`select number as t from service_tickets where company_id in ${c} order by id limit 1`
	},
	{
		name: 'stock items',
		list: listStockItems as Lister,
		count: (c) => sql`select count(*) from items where company_id in ${c}`,
		probe: (c) => sql`select sku as t from items where company_id in ${c} order by id limit 1`
	},
	{
		name: 'customers',
		list: listCustomers as Lister,
		count: (c) => sql`select count(*) from customers where company_id in ${c}`,
		probe: (c) => sql`select name as t from customers where company_id in ${c} order by id limit 1`
	}
];

/** Every row of a list, page by page (200 a page). */
async function allRows(list: Lister, ctx: Ctx, input: Record<string, unknown> = {}): Promise<{ rows: Row[]; total: number }> {
	const out: Row[] = [];
	let total = 0;
	for (let page = 1; ; page++) {
		const r = await list(ctx, { ...input, page: String(page), pageSize: '200' });
		total = r.total;
		out.push(...r.rows);
		if (r.rows.length < 200) break;
	}
	return { rows: out, total };
}

describe.each(drivers)('data scope (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let scoped: Actor;
	let manager: Actor;
	let sales: Actor;
	let grant: ReturnType<typeof idList>;
	let others: number[];
	let othersList: ReturnType<typeof idList>;

	beforeAll(async () => {
		db = t.db;
		scoped = await actorOf(db, 'scoped1');
		manager = await actorOf(db, 'manager1');
		sales = await actorOf(db, 'sales1');
		grant = idList(scoped.companyIds);
		const all = (await query<{ id: number }>(db, sql`select id from companies order by id`)).map((r) => Number(r.id));
		others = all.filter((id) => !scoped.companyIds.includes(id));
		othersList = idList(others);
	});

	it('gives scoped1 exactly one company and manager1 every company', async () => {
		expect(scoped.companyIds).toHaveLength(1);
		expect(others.length).toBeGreaterThan(0);
		expect(manager.companyIds).toEqual([...scoped.companyIds, ...others].sort((a, b) => a - b));
	});

	describe.each(LISTS)('the $name list', (spec) => {
		it('shows scoped1 only rows of the granted company, and all of them', async () => {
			const { rows, total } = await allRows(spec.list, { db, actor: scoped });
			expect(total).toBe(await scalar(db, spec.count(grant)));
			expect(total).toBeGreaterThan(0);
			expect(rows).toHaveLength(total);
			for (const r of rows) expect(scoped.companyIds).toContain(r.companyId);
			// The other companies have rows too, so the filter is what keeps them out.
			expect(await scalar(db, spec.count(othersList))).toBeGreaterThan(0);
		});

		it('gives scoped1 nothing when filtered to another company', async () => {
			for (const companyId of others) {
				const r = await spec.list({ db, actor: scoped }, { companyId: String(companyId) });
				expect(r.rows).toEqual([]);
				expect(r.total).toBe(0);
			}
		});

		it('finds nothing of another company when scoped1 searches for it', async () => {
			const [{ t: text }] = await query<{ t: string }>(db, spec.probe(othersList));
			const mine = await spec.list({ db, actor: scoped }, { q: text, pageSize: '200' });
			for (const r of mine.rows) expect(scoped.companyIds).toContain(r.companyId);
			// Whatever matches is exactly what matches inside the granted company.
			const inGrant = await spec.list({ db, actor: manager }, { q: text, companyId: String(scoped.companyIds[0]) });
			expect(mine.total).toBe(inGrant.total);
			const everywhere = await spec.list({ db, actor: manager }, { q: text });
			expect(everywhere.total).toBeGreaterThan(mine.total);
		});

		it('shows a manager of every company the rows of all of them', async () => {
			const r = await spec.list({ db, actor: manager }, {});
			expect(r.total).toBe(await scalar(db, spec.count(idList(manager.companyIds))));
		});
	});

	it('finds no order of another company by its number for scoped1', async () => {
		const [{ t: number }] = await query<{ t: string }>(db, sql`select number as t from orders where company_id in ${othersList} order by id desc limit 1`);
		const r = await listOrders({ db, actor: scoped }, { q: number });
		const expected = await scalar(db, sql`select count(*) from orders where company_id in ${grant} and search_text ilike ${likePattern(number)}`);
		expect(r.total).toBe(expected);
		// Order numbers carry the company code, so nothing in the granted company matches.
		expect(r.total).toBe(0);
		expect(r.rows).toEqual([]);
	});

	it('reports another company’s order as not found to scoped1, and shows its own', async () => {
		const foreign = await query<{ id: number }>(db, sql`select id from orders where company_id in ${othersList} order by id limit 5`);
		expect(foreign.length).toBeGreaterThan(0);
		for (const { id } of foreign) {
			await expect(getOrder({ db, actor: scoped }, String(id))).rejects.toBeInstanceOf(NotFoundError);
			// A manager of that company can open it, so the refusal is about scope, not the id.
			await expect(getOrder({ db, actor: manager }, String(id))).resolves.toBeTruthy();
		}
		const [own] = await query<{ id: number }>(db, sql`select id from orders where company_id in ${grant} order by id limit 1`);
		const detail = await getOrder({ db, actor: scoped }, own.id);
		expect(scoped.companyIds).toContain(detail.order.companyId);
	});

	it('gives the same answer for a missing order and another company’s order', async () => {
		const [foreign] = await query<{ id: number }>(db, sql`select id from orders where company_id in ${othersList} limit 1`);
		const missing = await getOrder({ db, actor: scoped }, 999_999_999).catch((e) => e);
		const hidden = await getOrder({ db, actor: scoped }, foreign.id).catch((e) => e);
		expect(hidden).toBeInstanceOf(NotFoundError);
		expect(missing).toBeInstanceOf(NotFoundError);
		expect(hidden.message).toBe(missing.message);
	});

	it('counts on the home page only what scoped1 may see', async () => {
		const s = await homeSummary({ db, actor: scoped });
		const open = `('submitted','in_approval','approved','in_production','shipped','installing')`;
		expect(s.orders).toEqual({
			open: await scalar(db, sql`select count(*) from orders where company_id in ${grant} and status in ${sql.raw(open)}`),
			draft: await scalar(db, sql`select count(*) from orders where company_id in ${grant} and status = 'draft'`),
			inApproval: await scalar(db, sql`select count(*) from orders where company_id in ${grant} and status in ('submitted','in_approval')`),
			openValue: await scalar(db, sql`select coalesce(sum(total_amount), 0) from orders where company_id in ${grant} and status in ${sql.raw(open)}`)
		});
		expect(s.approvals?.pending).toBe(await scalar(db, sql`select count(*) from approval_steps where company_id in ${grant} and status = 'pending'`));
		expect(s.production?.inProgress).toBe(
			await scalar(db, sql`select count(*) from work_orders where company_id in ${grant} and status in ('in_progress','paused')`)
		);
		expect(s.production?.planned).toBe(
			await scalar(db, sql`select count(*) from work_orders where company_id in ${grant} and status in ('planned','released')`)
		);
		expect(s.installation?.unassigned).toBe(
			await scalar(db, sql`select count(*) from installation_jobs where company_id in ${grant} and status = 'unassigned'`)
		);
		expect(s.service?.open).toBe(
			await scalar(db, sql`select count(*) from service_tickets where company_id in ${grant} and status not in ('resolved','closed')`)
		);
		expect(s.stock?.items).toBe(await scalar(db, sql`select count(*) from items where company_id in ${grant}`));
		// The whole group has more: the figures above are really limited.
		const all = await homeSummary({ db, actor: manager });
		expect(all.orders!.open + all.orders!.draft).toBeGreaterThan(s.orders!.open + s.orders!.draft);
		expect(all.stock!.items).toBeGreaterThan(s.stock!.items);
	});

	describe('a sales rep with "own" scope', () => {
		it('sees only the orders they are the sales rep of', async () => {
			const { rows, total } = await allRows(listOrders as Lister, { db, actor: sales });
			const own = await query<{ id: number }>(
				db,
				sql`select id from orders where sales_rep_id = ${sales.id} and company_id in ${idList(sales.companyIds)}`
			);
			expect(total).toBe(own.length);
			expect(total).toBeGreaterThan(0);
			expect(new Set(rows.map((r) => r.id))).toEqual(new Set(own.map((r) => Number(r.id))));
			const colleagues = await scalar(
				db,
				sql`select count(*) from orders where sales_rep_id <> ${sales.id} and company_id in ${idList(sales.companyIds)}`
			);
			expect(colleagues).toBeGreaterThan(0);
		});

		it('gets nothing when filtering for a colleague’s orders', async () => {
			const colleague = await userId(db, 'sales2');
			const r = await listOrders({ db, actor: sales }, { salesRepId: String(colleague) });
			expect(r.total).toBe(0);
			expect(r.rows).toEqual([]);
		});

		it('cannot open a colleague’s order in the same company', async () => {
			const [other] = await query<{ id: number }>(
				db,
				sql`select id from orders where sales_rep_id <> ${sales.id} and company_id in ${idList(sales.companyIds)} limit 1`
			);
			await expect(getOrder({ db, actor: sales }, other.id)).rejects.toBeInstanceOf(NotFoundError);
			const [own] = await query<{ id: number }>(db, sql`select id from orders where sales_rep_id = ${sales.id} limit 1`);
			await expect(getOrder({ db, actor: sales }, own.id)).resolves.toBeTruthy();
		});

		it('sees only the customers they own', async () => {
			const { rows, total } = await allRows(listCustomers as Lister, { db, actor: sales });
			const own = await query<{ id: number }>(
				db,
				sql`select id from customers where owner_id = ${sales.id} and company_id in ${idList(sales.companyIds)}`
			);
			expect(total).toBe(own.length);
			expect(total).toBeGreaterThan(0);
			expect(new Set(rows.map((r) => r.id))).toEqual(new Set(own.map((r) => Number(r.id))));
		});

		it('sees approval steps of their own orders only', async () => {
			const { rows, total } = await allRows(listApprovals as Lister, { db, actor: sales });
			const expected = await scalar(
				db,
				sql`select count(*) from approval_steps s join orders o on o.id = s.order_id
					where o.sales_rep_id = ${sales.id} and s.company_id in ${idList(sales.companyIds)} and s.status = 'pending'`
			);
			expect(total).toBe(expected);
			const orderIds = new Set(
				(await query<{ id: number }>(db, sql`select id from orders where sales_rep_id = ${sales.id}`)).map((r) => Number(r.id))
			);
			for (const r of rows as unknown as { orderId: number }[]) expect(orderIds.has(r.orderId)).toBe(true);
		});

		it('counts only their own orders on the home page', async () => {
			const s = await homeSummary({ db, actor: sales });
			expect(s.orders!.draft).toBe(
				await scalar(db, sql`select count(*) from orders where sales_rep_id = ${sales.id} and company_id in ${idList(sales.companyIds)} and status = 'draft'`)
			);
			expect(s.orders!.inApproval).toBe(
				await scalar(
					db,
					sql`select count(*) from orders where sales_rep_id = ${sales.id} and company_id in ${idList(sales.companyIds)} and status in ('submitted','in_approval')`
				)
			);
		});
	});

	describe('a user without any company grant', () => {
		let nobody: Actor;
		beforeAll(async () => {
			const [u] = await query<{ id: number }>(
				db,
				sql`insert into users (username, display_name, password_hash, locale) values ('nogrant', 'No Grant', 'x', 'en') returning id`
			);
			await query(db, sql`insert into user_roles (user_id, role_id) select ${u.id}, id from roles where code in ('manager', 'admin')`);
			nobody = (await loadActor(db, Number(u.id)))!;
		});

		it('has the permissions but no company', () => {
			expect(nobody.companyIds).toEqual([]);
			expect(nobody.permissions.has('orders.read')).toBe(true);
		});

		it.each(LISTS)('sees no $name', async (spec) => {
			const r = await spec.list({ db, actor: nobody }, {});
			expect(r.total).toBe(0);
			expect(r.rows).toEqual([]);
			for (const companyId of manager.companyIds) expect((await spec.list({ db, actor: nobody }, { companyId: String(companyId) })).total).toBe(0);
		});

		it('opens no order', async () => {
			const [o] = await query<{ id: number }>(db, sql`select id from orders limit 1`);
			await expect(getOrder({ db, actor: nobody }, o.id)).rejects.toBeInstanceOf(NotFoundError);
		});

		it('counts nothing on the home page', async () => {
			const s = await homeSummary({ db, actor: nobody });
			const figures = Object.values(s).flatMap((card) => Object.values(card as Record<string, number>));
			expect(figures.length).toBeGreaterThan(0);
			expect(figures.every((n) => n === 0)).toBe(true);
		});
	});
});
