import { describe, expect, it, beforeAll } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, open, ready, screenshot, useBrowser, zh } from '../helpers/browser';

/**
 * The unit's life page in real Chromium: a technician scans the controller's QR code on
 * /units/scan (typed the way a keyboard-wedge scanner types), lands on the unit's timeline,
 * flips its order, filters it, prints it without the app's shell, and opens it on a phone.
 */
type Ticket = { unitId: number; serialNo: string; number: string };

const overflow = (page: Page) =>
	page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
const kinds = (page: Page) =>
	page
		.locator('[data-testid=life-entry]')
		.evaluateAll((els) => els.map((el) => el.getAttribute('data-kind')!));
const times = (page: Page) =>
	page
		.locator('[data-testid=life-entry] time')
		.evaluateAll((els) => els.map((el) => el.getAttribute('datetime')!));

describe('unit life page', () => {
	const b = useBrowser();
	let ticket: Ticket;

	beforeAll(async () => {
		// A closed repair ticket's unit: handed over long enough ago to have a whole life.
		const cookie = await apiSession(b.baseUrl, 'dispatcher1');
		const res = await fetch(
			`${b.baseUrl}/api/v1/service-tickets?status=closed&kind=fault&pageSize=1&sort=createdAt&dir=desc`,
			{
				headers: { cookie }
			}
		);
		expect(res.status).toBe(200);
		ticket = (await res.json()).rows[0];
		expect(ticket?.serialNo).toMatch(/^EL-/);
	});

	it('opens a unit scanned on /units/scan and shows its life, newest first or oldest first', async () => {
		const page = await b.signedIn('dispatcher1');
		// The menu leads there.
		await page.locator('#main-nav a[href="/units/scan"]').click();
		await page.waitForURL((u) => u.pathname === '/units/scan');
		await page.getByTestId('unit-scan').waitFor();
		await ready(page);
		const input = page.getByTestId('unit-scan-input');
		// Focused for the scanner at once: the wedge types into whatever has focus.
		expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);

		await page.keyboard.type('EOU:EL-1999-0000000', { delay: 5 });
		await page.keyboard.press('Enter');
		const error = page.getByTestId('unit-scan-error');
		await error.waitFor();
		expect((await error.innerText()).trim()).toBe(
			zh.unit_scan_unknown.replace('{code}', 'EOU:EL-1999-0000000')
		);
		expect(await input.inputValue()).toBe('EOU:EL-1999-0000000');
		expect(new URL(page.url()).pathname).toBe('/units/scan');

		// The input keeps focus with the refused code selected: the next scan replaces it.
		await page.keyboard.type(`EOU:${ticket.serialNo}`, { delay: 5 });
		await page.keyboard.press('Enter');
		await page.waitForURL((u) => u.pathname === `/units/${ticket.unitId}`);
		await page.getByTestId('unit-page').waitFor();
		await ready(page);
		expect(await page.getByTestId('unit-serial').innerText()).toContain(ticket.serialNo);
		expect(await page.locator('[data-testid=unit-qr] code').innerText()).toBe(`EOU:${ticket.serialNo}`);
		expect(await page.locator('[data-testid=unit-qr] svg').count()).toBe(1);

		const seen = await kinds(page);
		for (const k of ['order', 'production', 'ticket']) expect(seen).toContain(k);
		expect(seen.some((k) => k === 'installation' || k === 'handover')).toBe(true);
		expect(
			await page.locator(`[data-testid=life-entry][data-kind=ticket]:has-text("${ticket.number}")`).count()
		).toBe(1);
		// Newest first by default; the toggle turns the same entries round.
		const newest = await times(page);
		expect(newest).toEqual([...newest].sort().reverse());
		await page.getByTestId('life-order').click();
		const oldest = await times(page);
		expect(oldest).toEqual([...newest].reverse());
		expect((await kinds(page))[0]).toBe('order');

		// The service filter leaves repairs, visits and parts only.
		await page.getByTestId('life-filter-service').click();
		const service = await kinds(page);
		expect(service.length).toBeGreaterThan(0);
		expect(service.every((k) => ['ticket', 'visit', 'part'].includes(k))).toBe(true);
		await page.getByTestId('life-filter-all').click();
		expect((await kinds(page)).length).toBe(seen.length);
		await screenshot(page, 'unit-life');

		// On paper: no navigation, no top bar, no buttons; the timeline and the QR code stay.
		// A4's printable width (210 mm less 12 mm margins each side) in CSS pixels, as the printer lays it out.
		await page.setViewportSize({ width: 703, height: 1000 });
		await page.emulateMedia({ media: 'print' });
		expect(await page.locator('#main-nav').isVisible()).toBe(false);
		expect(await page.locator('header.topbar').isVisible()).toBe(false);
		expect(await page.getByTestId('unit-print').isVisible()).toBe(false);
		expect(await page.getByTestId('unit-timeline').isVisible()).toBe(true);
		expect(await page.locator('[data-testid=unit-qr] svg').isVisible()).toBe(true);
		await screenshot(page, 'unit-life-print');
		await page.emulateMedia({ media: 'screen' });
		await page.setViewportSize({ width: 1366, height: 850 });
		expect(await page.locator('#main-nav').isVisible()).toBe(true);
		await page.context().close();
	});

	it('adds what others write about the unit while it is open, without a reload', async () => {
		const admin = await apiSession(b.baseUrl, 'admin');
		// An order being installed (changeable), the last of them so no other test's order is touched.
		const list = await (
			await fetch(`${b.baseUrl}/api/v1/orders?status=installing&sort=number&dir=desc&pageSize=1`, {
				headers: { cookie: admin }
			})
		).json();
		const order = await (
			await fetch(`${b.baseUrl}/api/v1/orders/${list.rows[0].id}`, { headers: { cookie: admin } })
		).json();
		const unitId: number = order.units[0].id;
		const page = await b.signedIn('dispatcher1');
		await open(page, `/units/${unitId}`);
		await page.locator('[data-testid=live-status][data-status=live]').waitFor();
		await page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
		const before = await page.locator('[data-testid=life-entry]').count();

		const reason = `unit page live ${Date.now()}`;
		const res = await fetch(`${b.baseUrl}/api/v1/orders/${list.rows[0].id}/changes`, {
			method: 'POST',
			headers: { cookie: admin, 'content-type': 'application/json', origin: b.baseUrl },
			body: JSON.stringify({ kind: 'cancel', reason, version: order.order.version })
		});
		expect(res.status).toBe(200);
		const entry = page.locator(`[data-testid=life-entry][data-kind=order]:has-text("${reason}")`);
		await entry.waitFor();
		expect(await page.locator('[data-testid=life-entry]').count()).toBeGreaterThan(before);
		expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);
		await page.context().close();
	});

	it('is reached from the order’s units list', async () => {
		const page = await b.signedIn('admin');
		const cookie = await apiSession(b.baseUrl, 'admin');
		const unit = await (
			await fetch(`${b.baseUrl}/api/v1/units/${ticket.unitId}/history`, { headers: { cookie } })
		).json();
		expect(unit.unit.serialNo).toBe(ticket.serialNo);
		await open(page, `/orders/${unit.order.id}`);
		await page.locator(`[data-testid=unit-link][href="/units/${ticket.unitId}"]`).click();
		await page.waitForURL((u) => u.pathname === `/units/${ticket.unitId}`);
		await page.getByTestId('unit-page').waitFor();
		await page.context().close();
	});

	it('fits a phone: the scan page says how to scan there, and the life reads without sideways scrolling', async () => {
		const page = await b.signedIn('installer1', 'phone');
		await open(page, '/units/scan');
		expect(await page.getByTestId('unit-scan-phone-hint').isVisible()).toBe(true);
		expect(await overflow(page)).toBeLessThanOrEqual(0);

		// A QR read by the phone's camera app, opened as a link: a bare serial works too.
		await open(page, `/units/scan?code=${encodeURIComponent(ticket.serialNo)}`);
		expect(new URL(page.url()).pathname).toBe(`/units/${ticket.unitId}`);
		await page.getByTestId('unit-page').waitFor();
		expect(await page.locator('[data-testid=life-entry]').count()).toBeGreaterThan(0);
		expect(await overflow(page)).toBeLessThanOrEqual(0);
		await screenshot(page, 'unit-life-phone');
		await page.context().close();
	});
});
