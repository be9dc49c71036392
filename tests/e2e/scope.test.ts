import { beforeAll, describe, expect, it } from 'vitest';
import { apiSession, column, open, ready, screenshot, useBrowser, zh } from '../helpers/browser';

interface Me {
	user: { companyIds: number[] };
	companies: { id: number; code: string }[];
}

async function api<T>(baseUrl: string, cookie: string, path: string): Promise<T> {
	const res = await fetch(`${baseUrl}${path}`, { headers: { cookie } });
	if (!res.ok) throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
	return (await res.json()) as T;
}

describe('data scope: a manager granted one company', () => {
	const b = useBrowser();
	let ownCode: string;
	let foreignOrderId: number;

	beforeAll(async () => {
		const scoped = await api<Me>(b.baseUrl, await apiSession(b.baseUrl, 'scoped1'), '/api/v1/me');
		expect(scoped.companies).toHaveLength(1);
		ownCode = scoped.companies[0].code;
		const admin = await apiSession(b.baseUrl, 'admin');
		const all = await api<Me>(b.baseUrl, admin, '/api/v1/me');
		const foreign = all.companies.find((c) => c.id !== scoped.companies[0].id)!;
		const list = await api<{ rows: { id: number; companyId: number }[] }>(
			b.baseUrl,
			admin,
			`/api/v1/orders?companyId=${foreign.id}&pageSize=1`
		);
		expect(list.rows[0].companyId).toBe(foreign.id);
		foreignOrderId = list.rows[0].id;
	});

	it('sees only their company in every order row, page after page', async () => {
		const page = await b.signedIn('scoped1');
		await open(page, '/orders?pageSize=10');
		for (let n = 1; n <= 3; n++) {
			await page.waitForURL((u) => (u.searchParams.get('page') ?? '1') === String(n));
			await ready(page);
			const codes = (await column(page, zh.col_company).allInnerTexts()).map((t) => t.trim());
			expect(codes.length).toBe(10);
			expect(new Set(codes)).toEqual(new Set([ownCode]));
			if (n === 1) await screenshot(page, 'scoped-orders');
			if (n < 3) await page.locator('nav.pager a[rel=next]').click();
		}
		// The company filter is pointless with one company and is not offered.
		expect(await page.getByTestId('filter-companyId').count()).toBe(0);
	});

	it("another company's order, opened by its URL, is a 404", async () => {
		const page = await b.signedIn('scoped1');
		const res = await page.goto(`/orders/${foreignOrderId}`);
		expect(res?.status()).toBe(404);
		expect(await page.getByRole('heading', { name: zh.error_not_found }).isVisible()).toBe(true);
		expect(await page.getByTestId('order-number').count()).toBe(0);
	});
});
