import { describe, expect, it } from 'vitest';
import { open, ready, screenshot, signIn, useBrowser, zh } from '../helpers/browser';

describe('signing in and out in the browser', () => {
	const b = useBrowser();

	it('a wrong password shows the generic error and stays on the login page', async () => {
		const page = await (await b.context()).newPage();
		await open(page, '/login');
		await screenshot(page, 'login');
		await signIn(page, 'sales1', 'not-the-password');
		const alert = page.getByRole('alert');
		await alert.waitFor();
		expect((await alert.innerText()).trim()).toBe(zh.login_failed);
		expect(new URL(page.url()).pathname).toBe('/login');
		// The username is kept for the next try.
		expect(await page.locator('input[name=username]').inputValue()).toBe('sales1');
		await screenshot(page, 'login-failed');
	});

	it('signs in to the home page, signs out, and returns to the page asked for', async () => {
		const page = await (await b.context()).newPage();
		await open(page, '/login');
		await signIn(page, 'sales1');
		await page.waitForURL((u) => u.pathname === '/');
		await ready(page);
		expect(await page.getByTestId('home-card').count()).toBeGreaterThan(0);
		expect(await page.getByTestId('user-menu').isVisible()).toBe(true);

		await page.locator('header form[action^="/logout"] button[type=submit]').click();
		await page.waitForURL((u) => u.pathname === '/login');
		expect(await page.locator('input[name=username]').isVisible()).toBe(true);

		// The old session is gone: a page asks for a new sign-in and remembers where to go.
		await open(page, '/orders');
		const url = new URL(page.url());
		expect(url.pathname + url.search).toBe('/login?next=%2Forders');

		await signIn(page, 'sales1');
		await page.waitForURL((u) => u.pathname === '/orders');
		await page.getByTestId('orders-list').waitFor();
		expect(await page.getByTestId('list-row').count()).toBeGreaterThan(0);
	});
});
