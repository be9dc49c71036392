import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { amount, apiSession, open, screenshot, useBrowser, zh } from '../helpers/browser';

/** The reason shown next to one field, by its schema path (e.g. lines.0.loadKg). */
const reason = (page: Page, path: string) => page.locator(`[data-testid=issue][data-path="${path}"]`);

/** Chooses the line's first catalog model and waits for its defaults to fill in. */
async function firstModel(page: Page, line = 0) {
	const card = page.getByTestId('order-line').nth(line);
	await card.getByTestId('line-model').selectOption({ index: 1 });
	await card.getByTestId('line-load').waitFor();
	return card;
}

describe('order entry', () => {
	const b = useBrowser();
	let draftId = 0;

	it('on a phone: finds a customer, shows why a load is refused next to the field, totals, saves a draft', async () => {
		// A customer of sales1's own, to search by part of its name.
		const cookie = await apiSession(b.baseUrl, 'sales1');
		const list = await fetch(`${b.baseUrl}/api/v1/customers?pageSize=1&sort=name`, { headers: { cookie } });
		const [customer] = ((await list.json()) as { rows: { id: number; name: string; code: string }[] }).rows;
		expect(customer).toBeDefined();

		const page = await b.signedIn('sales1', 'phone');
		await page.setViewportSize({ width: 375, height: 812 });
		await open(page, '/orders/new');
		await page.getByTestId('order-form').waitFor();

		// Search as you type, pick with the keyboard.
		const search = page.getByTestId('customer-search');
		await search.pressSequentially(customer.name.slice(0, 2), { delay: 40 });
		const option = page.locator('#customer-results [role=option]', { hasText: customer.code });
		await option.waitFor();
		while ((await option.getAttribute('aria-selected')) !== 'true') await search.press('ArrowDown');
		await search.press('Enter');
		expect(await page.getByTestId('picked-customer').innerText()).toContain(customer.name);

		await page.getByTestId('no-lines').waitFor();
		await page.getByTestId('add-line').tap();
		const card = await firstModel(page);

		// A load the model does not allow: the reason appears beside the load, as typed.
		const load = card.getByTestId('line-load');
		await load.fill('999');
		const refused = reason(page, 'lines.0.loadKg');
		await refused.waitFor();
		expect(await refused.innerText()).toContain(zh.spec_load_allowed.split('{')[0]);
		expect(await load.getAttribute('aria-invalid')).toBe('true');
		// Beside the field: inside the same label, right under the input.
		const [fieldBox, reasonBox] = [(await load.boundingBox())!, (await refused.boundingBox())!];
		expect(reasonBox.y).toBeGreaterThan(fieldBox.y);
		expect(reasonBox.y - (fieldBox.y + fieldBox.height)).toBeLessThan(40);
		// The picture: the refused field with its reason, and the buttons and total kept at hand.
		await load.evaluate((el) => el.scrollIntoView({ block: 'center' }));
		await screenshot(page, 'order-entry-phone', false);

		// Fixed with one of the allowed values: the reason goes, the total is there.
		const allowed = await card.locator('datalist[id^=loads-] option').first().getAttribute('value');
		await load.fill(allowed!);
		await refused.waitFor({ state: 'detached' });
		const total = amount(await page.getByTestId('total-amount').innerText());
		const subtotal = amount(await page.getByTestId('total-subtotal').innerText());
		expect(subtotal).toBeGreaterThan(0);
		expect(total).toBeCloseTo(subtotal * 1.13, 0);
		expect(amount(await card.getByTestId('line-amount').innerText())).toBe(subtotal);

		// One column, no sideways scrolling on a 375 px phone.
		expect(
			await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
		).toBeLessThanOrEqual(0);

		await page.getByTestId('save-draft').tap();
		await page.waitForURL(/\/orders\/\d+$/);
		await page.getByTestId('order-number').waitFor();
		expect(amount(await page.getByTestId('order-total').innerText())).toBeCloseTo(total, 2);
		draftId = Number(new URL(page.url()).pathname.split('/').pop());
	});

	it('on a desktop: a new customer with a new site picked on the map saves, shows its route and submits', async () => {
		const page = await b.signedIn('sales1');
		await open(page, '/orders/new');
		await page.getByTestId('new-customer').check();
		await page.locator('input[name="newCustomer.name"]').fill('测试置业有限公司');
		await page.locator('input[name="newCustomer.phone"]').fill('021-5550 1234');
		await page.locator('input[name="newCustomer.city"]').fill('上海');

		await page.getByTestId('new-site').check();
		await page.locator('input[name="newSite.name"]').fill('浦东测试项目');
		await page.locator('input[name="newSite.province"]').fill('上海');
		await page.locator('input[name="newSite.city"]').fill('上海');
		await page.locator('input[name="newSite.address"]').fill('浦东新区世纪大道 100 号');

		// The tiles cannot load here; the map still takes a click and shows the marker.
		const map = page.getByTestId('site-map');
		await page.locator('[data-testid=site-map][data-ready=true]').waitFor();
		await map.click({ position: { x: 200, y: 120 } });
		expect(await page.getByTestId('site-lat').inputValue()).toMatch(/^-?\d+\.\d{6}$/);
		expect(await page.getByTestId('site-lng').inputValue()).toMatch(/^-?\d+\.\d{6}$/);
		expect(await map.locator('path.leaflet-interactive').count()).toBe(1);

		await page.getByTestId('add-line').click();
		await firstModel(page);
		await page.getByTestId('discount').fill('5');
		expect(await page.getByTestId('total-discount').innerText()).not.toMatch(/¥0\.00$/);
		// Everything filled in: once the checks have caught up, no field has a reason left.
		await page.locator('[data-testid=issue]').first().waitFor({ state: 'detached' });
		// Viewport only: a full-page capture would draw the sticky bars in the middle.
		await page.locator('section', { has: map }).evaluate((el) => el.scrollIntoView({ block: 'start' }));
		await page.mouse.wheel(0, -60);
		await screenshot(page, 'order-entry-desktop', false);

		// Save and submit: the draft is saved, its route is shown, then confirmed.
		await page.getByTestId('save-submit').click();
		const dialog = page.getByTestId('submit-dialog');
		await dialog.getByTestId('route-preview').waitFor();
		expect(page.url()).toMatch(/\/orders\/\d+\/edit$/);
		await dialog.getByTestId('confirm-submit').click();
		await page.waitForURL(/\/orders\/\d+$/);
		await page.getByTestId('order-number').waitFor();
		expect(await page.getByTestId('order-status').innerText()).not.toContain(zh.order_draft);
	});

	it('a stale save: the form says someone else changed the order, and a reload brings the new version', async () => {
		expect(draftId).toBeGreaterThan(0);
		const [a, b2] = [await b.signedIn('sales1'), await b.signedIn('sales1')];
		for (const page of [a, b2]) {
			await open(page, `/orders/${draftId}/edit`);
			await page.getByTestId('order-form').waitFor();
		}
		// The other tab saves first.
		await b2.locator('textarea[name=notes]').fill('另一处的修改');
		await b2.getByTestId('save-draft').click();
		await b2.waitForURL(/\/orders\/\d+$/);

		await a.locator('textarea[name=notes]').fill('这里的修改');
		await a.getByTestId('save-draft').click();
		const conflict = a.getByTestId('entry-conflict');
		await conflict.waitFor();
		expect(await conflict.innerText()).toContain(zh.entry_conflict.slice(0, 6));
		await conflict.getByRole('button', { name: zh.entry_reload }).click();
		await conflict.waitFor({ state: 'detached' });
		expect(await a.locator('textarea[name=notes]').inputValue()).toBe('另一处的修改');
	});

	it('leaving with unsaved edits asks first; declining keeps the form', async () => {
		const page = await b.signedIn('sales1');
		await open(page, '/orders/new');
		await page.getByTestId('order-form').waitFor();
		await page.getByTestId('add-line').click();
		await firstModel(page);
		const asked: string[] = [];
		page.on('dialog', (d) => {
			asked.push(d.message());
			void d.dismiss();
		});
		await page.locator('nav a[href="/orders"]').first().click();
		await expect.poll(() => asked.length).toBe(1);
		expect(asked[0]).toBe(zh.entry_leave_unsaved);
		expect(new URL(page.url()).pathname).toBe('/orders/new');
	});
});
