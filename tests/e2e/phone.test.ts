import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { ready, screenshot, useBrowser } from '../helpers/browser';

const overflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);

describe('phone (390×844) as a sales rep', () => {
	const b = useBrowser();

	it('the menu button opens the navigation and the orders list shows as cards without sideways scrolling', async () => {
		const page = await b.signedIn('sales1', 'phone');
		expect(await overflow(page)).toBeLessThanOrEqual(0);
		await screenshot(page, 'phone-home', false);

		const nav = page.locator('#main-nav');
		const toggle = page.locator('button[aria-controls="main-nav"]');
		expect(await nav.isVisible()).toBe(false);
		expect(await toggle.isVisible()).toBe(true);
		await toggle.tap();
		await nav.waitFor({ state: 'visible' });
		expect(await toggle.getAttribute('aria-expanded')).toBe('true');
		await screenshot(page, 'phone-menu', false);

		await nav.locator('a[href="/orders"]').tap();
		await page.waitForURL((u) => u.pathname === '/orders');
		await page.getByTestId('orders-list').waitFor();
		await ready(page);
		await nav.waitFor({ state: 'hidden' });

		const rows = page.getByTestId('list-row');
		expect(await rows.count()).toBeGreaterThan(0);
		// Cards: no table header, each row a block as wide as the screen allows.
		expect(await page.locator('[data-testid=orders-list] thead').isVisible()).toBe(false);
		expect(await rows.first().evaluate((el) => getComputedStyle(el).display)).toBe('block');
		const box = (await rows.first().boundingBox())!;
		expect(box.width).toBeLessThanOrEqual(390);
		expect(await overflow(page)).toBeLessThanOrEqual(0);
		await screenshot(page, 'phone-orders', false);
	});
});
