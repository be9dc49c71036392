import { describe, expect, it } from 'vitest';
import { en, open, screenshot, useBrowser, zh } from '../helpers/browser';

describe('permissions in the browser', () => {
	const b = useBrowser();

	it('a shop-floor worker has no Orders in the navigation and gets the 403 page on /orders', async () => {
		const page = await b.signedIn('shopfloor1');
		const nav = page.locator('#main-nav');
		expect(await nav.locator('a').count()).toBeGreaterThan(0);
		expect(await nav.locator('a[href="/orders"]').count()).toBe(0);
		const labels = (await nav.locator('a').allInnerTexts()).map((t) => t.trim());
		expect(labels).not.toContain(zh.nav_orders);
		expect(labels).not.toContain(en.nav_orders);

		const res = await page.goto('/orders');
		expect(res?.status()).toBe(403);
		expect(await page.getByRole('heading', { name: zh.error_forbidden }).isVisible()).toBe(true);
		expect(await page.getByTestId('orders-list').count()).toBe(0);
		await screenshot(page, 'forbidden');
		// The way back works.
		await page.getByRole('link', { name: zh.error_go_home }).click();
		await page.waitForURL((u) => u.pathname === '/');
		await open(page, '/');
		expect(await page.locator('#main-nav').isVisible()).toBe(true);
	});
});
