import { afterAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, en, open, ready, screenshot, useBrowser, zh } from '../helpers/browser';

// A user no other e2e file signs in as, so the saved language cannot leak into other tests.
const USER = 'manager1';

const navOrders = (page: Page) => page.locator('#main-nav a[href="/orders"]');

/** Chooses a language in the top bar; the page reloads itself in that language. */
async function switchTo(page: Page, locale: 'en' | 'zh-CN') {
	const reloaded = page.waitForEvent('load');
	await page.getByTestId('locale-switch').selectOption(locale);
	await reloaded;
	await ready(page);
}

describe('language switch', () => {
	const b = useBrowser();

	afterAll(async () => {
		// Leave the user in Chinese even when an assertion failed half-way.
		const cookie = await apiSession(b.baseUrl, USER);
		await fetch(`${b.baseUrl}/api/v1/me/locale`, {
			method: 'PUT',
			headers: { cookie, 'content-type': 'application/json' },
			body: JSON.stringify({ locale: 'zh-CN' })
		});
	});

	it('switches Chinese → English, keeps it for the user on another browser, and switches back', async () => {
		const page = await b.signedIn(USER);
		expect((await navOrders(page).innerText()).trim()).toBe(zh.nav_orders);
		expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
		await screenshot(page, 'home-zh');

		await switchTo(page, 'en');
		await expect.poll(async () => (await navOrders(page).innerText()).trim()).toBe(en.nav_orders);
		expect(await page.locator('html').getAttribute('lang')).toBe('en');
		expect(await page.getByTestId('locale-switch').inputValue()).toBe('en');
		await screenshot(page, 'home-en');
		await open(page, '/orders');
		expect((await page.locator('h1').innerText()).trim()).toBe(en.orders_title);
		await screenshot(page, 'orders-list-en');

		// Saved on the account: a plain reload and a fresh browser (Chinese Accept-Language, no cookies) agree.
		await page.reload();
		await ready(page);
		expect((await navOrders(page).innerText()).trim()).toBe(en.nav_orders);
		const other = await b.signedIn(USER);
		expect((await navOrders(other).innerText()).trim()).toBe(en.nav_orders);
		await open(other, '/orders');
		expect(await other.locator('html').getAttribute('lang')).toBe('en');
		expect((await other.locator('h1').innerText()).trim()).toBe(en.orders_title);

		await switchTo(page, 'zh-CN');
		await expect.poll(async () => (await navOrders(page).innerText()).trim()).toBe(zh.nav_orders);
		expect((await page.locator('h1').innerText()).trim()).toBe(zh.orders_title);
		await screenshot(page, 'orders-list-zh');
		const third = await b.signedIn(USER);
		expect((await navOrders(third).innerText()).trim()).toBe(zh.nav_orders);
	});

	it('the login page switches language for a signed-out visitor', async () => {
		const page = await (await b.context()).newPage();
		await open(page, '/login');
		expect((await page.locator('h1').innerText()).trim()).toBe(zh.app_name);
		await switchTo(page, 'en');
		await expect.poll(async () => (await page.locator('h1').innerText()).trim()).toBe(en.app_name);
		await screenshot(page, 'login-en');
	});
});
