import { describe, expect, it, beforeAll, inject } from 'vitest';
import { HttpClient, signedIn, loopback } from '../helpers/http-client';
import { LIST_ENDPOINTS } from './endpoints';

/**
 * A manager granted one company (scoped1) never sees another company's rows through the API,
 * whatever the page, filter or search; a sales rep sees only their own orders and customers.
 * manager1 (every company) is the yardstick.
 */
const baseUrl = inject('baseUrl');
const address = loopback(3);

interface Me {
	id: number;
	displayName: string;
	companyIds: number[];
}

describe('data scope over the API', () => {
	let scoped: HttpClient;
	let manager: HttpClient;
	let scopedMe: Me;
	let managerMe: Me;
	let own: number;
	let others: number[];

	beforeAll(async () => {
		scoped = await signedIn(baseUrl, 'scoped1', address);
		manager = await signedIn(baseUrl, 'manager1', address);
		scopedMe = (await scoped.get('/api/v1/me')).json().user;
		managerMe = (await manager.get('/api/v1/me')).json().user;
		expect(scopedMe.companyIds).toHaveLength(1);
		own = scopedMe.companyIds[0];
		others = managerMe.companyIds.filter((id) => id !== own);
		expect(others.length).toBeGreaterThan(0);
	});

	describe.each(LIST_ENDPOINTS)('$path', (ep) => {
		it('never lists another company’s row, on any page', async () => {
			let seen = 0;
			let total = -1;
			for (let page = 1; page <= 4; page++) {
				const res = await scoped.get(`${ep.path}?pageSize=50&page=${page}`);
				expect(res.status).toBe(200);
				const body = res.json();
				if (total >= 0) expect(body.total).toBe(total);
				total = body.total;
				for (const r of body.rows) expect(r.companyId).toBe(own);
				seen += body.rows.length;
				if (body.rows.length < 50) break;
			}
			expect(seen).toBeGreaterThan(0);
		});

		it('counts exactly the granted company’s rows', async () => {
			const mine = (await scoped.get(ep.path)).json().total;
			const theirs = (await manager.get(`${ep.path}?companyId=${own}`)).json().total;
			const everything = (await manager.get(ep.path)).json().total;
			expect(mine).toBe(theirs);
			expect(everything).toBeGreaterThan(mine);
		});

		it('gives nothing when filtered to another company', async () => {
			for (const companyId of others) {
				const res = (await scoped.get(`${ep.path}?companyId=${companyId}`)).json();
				expect(res.total).toBe(0);
				expect(res.rows).toEqual([]);
				// The company has rows: it is the scope that hides them.
				expect((await manager.get(`${ep.path}?companyId=${companyId}`)).json().total).toBeGreaterThan(0);
			}
		});

		it('finds nothing of another company by searching for it', async () => {
			for (const companyId of others) {
				const foreign = (await manager.get(`${ep.path}?companyId=${companyId}&pageSize=3`)).json().rows;
				for (const row of foreign) {
					const q = encodeURIComponent(String(row[ep.searchField]));
					const res = (await scoped.get(`${ep.path}?q=${q}&pageSize=200`)).json();
					for (const r of res.rows) expect(r.companyId).toBe(own);
					expect(res.rows.map((r: { id: number }) => r.id)).not.toContain(row.id);
					const inGrant = (await manager.get(`${ep.path}?q=${q}&companyId=${own}`)).json().total;
					expect(res.total).toBe(inGrant);
				}
			}
		});

		it('finds nothing of another company by searching and filtering together', async () => {
			const [row] = (await manager.get(`${ep.path}?companyId=${others[0]}&pageSize=1`)).json().rows;
			const q = encodeURIComponent(String(row[ep.searchField]));
			const res = (await scoped.get(`${ep.path}?q=${q}&companyId=${others[0]}`)).json();
			expect(res.total).toBe(0);
		});
	});

	describe('one order', () => {
		it('reads as not found when it belongs to another company, exactly like a missing one', async () => {
			const missing = await scoped.get('/api/v1/orders/999999999');
			for (const companyId of others) {
				const { rows } = (await manager.get(`/api/v1/orders?companyId=${companyId}&pageSize=3`)).json();
				for (const row of rows) {
					const res = await scoped.get(`/api/v1/orders/${row.id}`);
					expect(res.status).toBe(404);
					expect(res.json()).toEqual(missing.json());
					expect(res.text).not.toContain(row.number);
					expect((await manager.get(`/api/v1/orders/${row.id}`)).status).toBe(200);
				}
			}
		});

		it('reads as not found on the order page too', async () => {
			const [row] = (await manager.get(`/api/v1/orders?companyId=${others[0]}&pageSize=1`)).json().rows;
			const res = await scoped.get(`/orders/${row.id}`);
			expect(res.status).toBe(404);
			expect(res.text).not.toContain(row.number);
			const data = await scoped.get(`/orders/${row.id}/__data.json`);
			expect(data.text).not.toContain(row.number);
		});

		it('opens an order of the granted company', async () => {
			const [row] = (await scoped.get('/api/v1/orders?pageSize=1')).json().rows;
			const res = await scoped.get(`/api/v1/orders/${row.id}`);
			expect(res.status).toBe(200);
			expect(res.json().order.companyId).toBe(own);
		});
	});

	describe('pages', () => {
		it('shows scoped1 no other company’s order on the orders page', async () => {
			const foreign = (await manager.get(`/api/v1/orders?companyId=${others[0]}&pageSize=5`)).json().rows;
			const page = await scoped.get('/orders?pageSize=100');
			expect(page.status).toBe(200);
			for (const r of foreign) expect(page.text).not.toContain(r.number);
			// The search box echoes the text, so look at the page's data, not its HTML.
			const search = await scoped.get(`/orders/__data.json?q=${encodeURIComponent(foreign[0].number)}`);
			expect(search.status).toBe(200);
			expect(search.text).not.toContain(foreign[0].number);
		});
	});

	describe('a sales rep (own scope)', () => {
		let sales: HttpClient;
		let me: Me;

		beforeAll(async () => {
			sales = await signedIn(baseUrl, 'sales1', address);
			me = (await sales.get('/api/v1/me')).json().user;
		});

		it('sees only the orders they sell, all of them', async () => {
			const mine = (await sales.get('/api/v1/orders?pageSize=200')).json();
			expect(mine.total).toBeGreaterThan(0);
			for (const r of mine.rows) expect(r.salesRepName).toBe(me.displayName);
			const expected = (await manager.get(`/api/v1/orders?salesRepId=${me.id}&companyId=${me.companyIds[0]}`)).json().total;
			expect(mine.total).toBe(expected);
			const company = (await manager.get(`/api/v1/orders?companyId=${me.companyIds[0]}`)).json().total;
			expect(company).toBeGreaterThan(mine.total);
		});

		it('cannot open a colleague’s order', async () => {
			const { rows } = (await manager.get(`/api/v1/orders?companyId=${me.companyIds[0]}&pageSize=50`)).json();
			const colleague = rows.find((r: { salesRepName: string }) => r.salesRepName !== me.displayName);
			expect(colleague).toBeTruthy();
			expect((await sales.get(`/api/v1/orders/${colleague.id}`)).status).toBe(404);
		});

		it('sees only the customers they own', async () => {
			const mine = (await sales.get('/api/v1/customers?pageSize=200')).json();
			expect(mine.total).toBeGreaterThan(0);
			for (const r of mine.rows) expect(r.ownerName).toBe(me.displayName);
			const expected = (await manager.get(`/api/v1/customers?ownerId=${me.id}&companyId=${me.companyIds[0]}`)).json().total;
			expect(mine.total).toBe(expected);
		});
	});
});
