import { describe, expect, it } from 'vitest';
import { column, open, screenshot, useBrowser, zh } from '../helpers/browser';

describe('order detail page', () => {
	const b = useBrowser();

	it('opens an order from the list with its number, status, lines, total and timeline', async () => {
		const page = await b.signedIn('admin');
		await open(page, '/orders');
		const first = page.getByTestId('list-row').first();
		const link = first.locator(`td[data-label="${zh.col_number}"] a`);
		const number = (await link.innerText()).trim();
		const status = (await column(page, zh.col_status).first().innerText()).trim();
		const total = (await column(page, zh.col_total).first().innerText()).trim();
		expect(number).not.toBe('');

		await link.click();
		await page.waitForURL(/\/orders\/\d+$/);
		await page.getByTestId('order-number').waitFor();
		expect(await page.getByTestId('order-number').innerText()).toContain(number);
		expect((await page.getByTestId('order-status').innerText()).trim()).toBe(status);
		expect((await page.getByTestId('order-total').innerText()).trim()).toBe(total);
		// The lines table: a heading and at least one line with a model code.
		const lines = page.locator('section', { has: page.getByRole('heading', { name: zh.order_lines }) });
		expect(await lines.locator('tbody tr').count()).toBeGreaterThan(0);
		const timeline = page.getByTestId('order-timeline');
		expect(await timeline.isVisible()).toBe(true);
		expect(await timeline.getByRole('heading', { name: zh.order_timeline }).isVisible()).toBe(true);
		await screenshot(page, 'order-detail');
	});

	it('an unknown order id shows the 404 page', async () => {
		const page = await b.signedIn('admin');
		const res = await page.goto('/orders/999999999');
		expect(res?.status()).toBe(404);
		expect(await page.getByRole('heading', { name: zh.error_not_found }).isVisible()).toBe(true);
		expect(await page.getByTestId('order-number').count()).toBe(0);
		await screenshot(page, 'order-not-found');
	});
});
