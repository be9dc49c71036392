import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { amount, column, open, ready, screenshot, texts, useBrowser, zh } from '../helpers/browser';

/** Waits for a client-side navigation of the list to land on a URL matching `test`. */
async function landed(page: Page, test: (u: URL) => boolean) {
	await page.waitForURL(test);
	await ready(page);
}

const rowNumbers = (page: Page) => texts(page, `[data-testid=list-row] td[data-label="${zh.col_number}"]`);

describe('list pages as admin (desktop)', () => {
	const b = useBrowser();
	let page: Page;

	beforeAll(async () => {
		page = await b.signedIn('admin');
	});

	it('home shows the summary cards', async () => {
		await open(page, '/');
		expect(await page.getByTestId('home-card').count()).toBeGreaterThanOrEqual(4);
		await screenshot(page, 'home');
		// Every figure stays inside its card (a long money total must not spill over the edge).
		const spills = await page.getByTestId('home-card').evaluateAll((cards) =>
			cards.flatMap((card) => {
				const edge = card.getBoundingClientRect().right;
				return [...card.querySelectorAll('*')]
					.filter((el) => el.children.length === 0 && el.getBoundingClientRect().right > edge + 0.5)
					.map((el) => (el as HTMLElement).innerText);
			})
		);
		expect(spills).toEqual([]);
	});

	it('orders: rows and a total', async () => {
		await open(page, '/orders');
		expect(await page.getByTestId('list-row').count()).toBe(25);
		const total = Number((await page.getByTestId('list-total').innerText()).replace(/\D/g, ''));
		expect(total).toBeGreaterThan(25);
		await screenshot(page, 'orders-list');
	});

	it('orders: the status filter keeps only that status and puts it in the URL', async () => {
		await open(page, '/orders');
		// A status that exists on the first page, named as the filter's option names it; the page
		// must mix statuses, or filtering would change nothing visible.
		const before = await texts(page, `[data-testid=list-row] td[data-label="${zh.col_status}"]`);
		expect(new Set(before).size).toBeGreaterThan(1);
		const select = page.getByTestId('filter-status');
		const options = await select
			.locator('option')
			.evaluateAll((os) =>
				os.map((o) => ({ value: (o as HTMLOptionElement).value, label: o.textContent!.trim() }))
			);
		const present = options.filter((o) => o.value !== '' && before.includes(o.label));
		const other = present.find((o) => o.value === 'approved') ?? present[0];
		expect(other, `an option for one of ${before.join(', ')}`).toBeDefined();
		await select.selectOption(other.value);
		await landed(page, (u) => u.searchParams.get('status') === other.value);
		await expect
			.poll(() => texts(page, `[data-testid=list-row] td[data-label="${zh.col_status}"]`))
			.toSatisfy((badges: string[]) => badges.length > 0 && badges.every((t) => t === other.label));
		expect(await select.inputValue()).toBe(other.value);
	});

	it('orders: searching for an order number finds exactly that order', async () => {
		await open(page, '/orders');
		const [number] = await rowNumbers(page);
		await page.locator('input[name=q]').fill(number);
		await page.locator('input[name=q]').press('Enter');
		await landed(page, (u) => u.searchParams.get('q') === number);
		await expect.poll(() => rowNumbers(page)).toEqual([number]);
		expect((await page.getByTestId('list-total').innerText()).replace(/\D/g, '')).toBe('1');
	});

	it('orders: clicking the amount header sorts ascending, then descending', async () => {
		await open(page, '/orders');
		const header = page.locator('thead th a[href*="sort=totalAmount"]');
		const amounts = async () =>
			(await texts(page, `[data-testid=list-row] td[data-label="${zh.col_total}"]`)).map(amount);

		await header.click();
		await landed(
			page,
			(u) => u.searchParams.get('sort') === 'totalAmount' && u.searchParams.get('dir') === 'asc'
		);
		await expect
			.poll(async () => (await page.locator('thead th[aria-sort]').getAttribute('aria-sort')) ?? '')
			.toBe('ascending');
		const up = await amounts();
		expect(up.length).toBe(25);
		expect(up).toEqual([...up].sort((a, b) => a - b));

		await header.click();
		await landed(page, (u) => u.searchParams.get('dir') === 'desc');
		await expect
			.poll(async () => (await page.locator('thead th[aria-sort]').getAttribute('aria-sort')) ?? '')
			.toBe('descending');
		const down = await amounts();
		expect(down).toEqual([...down].sort((a, b) => b - a));
		// The biggest order comes first when descending, and is not on the ascending first page.
		expect(down[0]).toBeGreaterThan(up[up.length - 1]);
	});

	it('orders: the next page shows other rows', async () => {
		await open(page, '/orders');
		const before = await rowNumbers(page);
		await page.locator('nav.pager a[rel=next]').click();
		await landed(page, (u) => u.searchParams.get('page') === '2');
		await expect.poll(() => rowNumbers(page)).not.toEqual(before);
		const after = await rowNumbers(page);
		expect(after.length).toBeGreaterThan(0);
		expect(after.filter((n) => before.includes(n))).toEqual([]);
		expect(await page.getByTestId('list-page').innerText()).toContain('2');
	});

	it('orders: a search with no match shows the empty state', async () => {
		await open(page, '/orders');
		await page.locator('input[name=q]').fill('no-such-order-zzz');
		await page.locator('input[name=q]').press('Enter');
		await landed(page, (u) => u.searchParams.get('q') === 'no-such-order-zzz');
		await page.getByTestId('list-empty').waitFor();
		expect(await page.getByTestId('list-row').count()).toBe(0);
		expect(await page.getByTestId('list-empty').innerText()).toContain(zh.list_empty);
		await screenshot(page, 'orders-empty');
	});

	const lists = [
		['/approvals', 'approvals-list', 'approvals'],
		['/production', 'work-orders-list', 'production'],
		['/installation', 'installation-list', 'installation'],
		['/service', 'service-list', 'service'],
		['/stock', 'stock-list', 'stock'],
		['/customers', 'customers-list', 'customers']
	] as const;

	for (const [href, testid, name] of lists) {
		it(`${href} opens from the navigation and shows rows`, async () => {
			await open(page, '/');
			await page.locator(`#main-nav a[href="${href}"]`).click();
			await page.waitForURL((u) => u.pathname === href);
			await page.getByTestId(testid).waitFor();
			await ready(page);
			expect(await page.locator(`#main-nav a[href="${href}"]`).getAttribute('aria-current')).toBe('page');
			expect(await page.getByTestId('list-row').count()).toBeGreaterThan(0);
			expect(Number((await page.getByTestId('list-total').innerText()).replace(/\D/g, ''))).toBeGreaterThan(
				0
			);
			await screenshot(page, `list-${name}`);
		});
	}
});
