import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, open, screenshot, useBrowser, zh } from '../helpers/browser';

/**
 * Service tickets in real browsers: a call-centre user (the dispatcher) opens a trapped-passenger
 * ticket found by the unit's controller QR; it is assigned at once with the reason; the
 * technician's phone, already on the ticket list, sees it arrive without a reload, opens it and
 * moves it en route and on site; the dispatcher's page follows live, countdown included.
 */
const live = (page: Page) => page.locator('[data-testid=live-status][data-status=live]').waitFor();
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
const kept = (page: Page) => page.evaluate(() => (window as unknown as { __kept?: number }).__kept === 1);
const ticket = (page: Page, status: string) =>
	page.locator(`[data-testid=ticket][data-status=${status}]`).waitFor();

describe('service tickets', () => {
	const b = useBrowser();

	it('a trapped passenger call is found by QR, auto-assigned with the reason, and worked from the technician’s phone', async () => {
		// A unit of company SH that has had tickets: in service, with a located site.
		const cookie = await apiSession(b.baseUrl, 'dispatcher1');
		const list = await (
			await fetch(`${b.baseUrl}/api/v1/service-tickets?companyId=1&pageSize=1&kind=fault`, {
				headers: { cookie }
			})
		).json();
		const serial: string = list.rows[0].serialNo;

		// The technician (installer1 holds SH's only rescue certificate in the demo data) waits on the newest tickets.
		const phone = await b.signedIn('installer1', 'phone');
		await open(phone, '/service?sort=createdAt&dir=desc');
		await live(phone);
		await mark(phone);

		const desk = await b.signedIn('dispatcher1');
		await open(desk, '/service');
		await desk.getByTestId('new-ticket').click();
		await desk.waitForURL('**/service/new');
		await desk.getByTestId('unit-search').fill(`EOU:${serial}`);
		await desk.getByTestId('unit-search').press('Enter');
		await desk.locator('[data-testid=unit-result][aria-pressed=true]').waitFor();
		expect(await desk.getByTestId('chosen-unit').innerText()).toContain(serial);
		await desk.getByTestId('priority-trapped').check();
		expect(await desk.getByTestId('kind-fault').isChecked()).toBe(true);
		await desk.getByTestId('description').fill('电梯困人，轿厢内 2 人，停在 12 楼与 13 楼之间');
		await desk.getByTestId('caller-name').fill('李先生（物业）');
		// A wrong number is refused with a clear message, and nothing is opened.
		await desk.getByTestId('caller-phone').fill('12345');
		await desk.getByTestId('open-ticket').click();
		expect(await desk.getByTestId('phone-error').innerText()).toBe(zh.svc_phone_invalid);
		expect(new URL(desk.url()).pathname).toBe('/service/new');
		await desk.getByTestId('caller-phone').fill('138 1234 5678');
		await desk.getByTestId('phone-error').waitFor({ state: 'detached' });
		await screenshot(desk, 'service-ticket-new');
		await desk.getByTestId('open-ticket').click();
		await desk.waitForURL(/\/service\/\d+$/);
		await ticket(desk, 'assigned');
		const id = Number(new URL(desk.url()).pathname.split('/').pop());
		expect(await desk.getByTestId('technician').getAttribute('data-username')).toBe('installer1');
		const reason = await desk.getByTestId('assignment-reason').innerText();
		expect(reason).toContain(zh.svc_reason_cert.replace('{skill}', '困人救援'));
		expect(reason).toMatch(/距离 \d+ km/);
		// The countdown shows and ticks: a trapped passenger's 30 minutes are "due soon" from the start.
		const sla = desk.getByTestId('sla');
		expect(await sla.getAttribute('data-state')).toBe('due_soon');
		const first = await sla.innerText();
		await expect.poll(() => sla.innerText(), { timeout: 5000 }).not.toBe(first);
		await live(desk);
		await mark(desk);
		await screenshot(desk, 'service-ticket');

		// The phone's list shows the new ticket without a reload; the technician opens it.
		const row = phone.locator(`a[href="/service/${id}"]`).first();
		await row.waitFor({ timeout: 10_000 });
		expect(await kept(phone)).toBe(true);
		await row.click();
		await ticket(phone, 'assigned');
		await live(phone);
		expect(await phone.getByTestId('sla').getAttribute('data-state')).toBe('due_soon');
		await phone.locator('[data-testid=ticket-action][data-to=en_route]').click();
		await ticket(phone, 'en_route');
		// The dispatcher's page follows, in the same document.
		await ticket(desk, 'en_route');
		expect(await desk.getByTestId('ticket-status').innerText()).toBe(zh.ticket_en_route);
		await phone.locator('[data-testid=ticket-action][data-to=on_site]').click();
		await ticket(phone, 'on_site');
		await phone.locator('[data-testid=sla][data-state=met]').waitFor();
		await ticket(desk, 'on_site');
		await desk.locator('[data-testid=sla][data-state=met]').waitFor();
		expect(await kept(desk)).toBe(true);
		// Each sees the other on the ticket.
		await desk.getByTestId('viewer').first().waitFor();
		await phone.locator('[data-testid=ticket-action][data-to=resolved]').waitFor();
		await screenshot(phone, 'service-ticket-phone');
	});

	it('the list counts down per open ticket; maintenance shows the coming visits and edits a plan with its rules', async () => {
		const page = await b.signedIn('dispatcher1');
		await open(page, '/service?status=assigned&sort=respondBy&dir=asc');
		const states = await page
			.locator('[data-testid=list-row] [data-testid=sla]')
			.evaluateAll((els) => els.map((e) => e.getAttribute('data-state')));
		expect(states.length).toBeGreaterThan(0);
		expect(states.every((s) => ['on_time', 'due_soon', 'missed'].includes(s!))).toBe(true);
		await screenshot(page, 'service-list');

		await page.getByTestId('maintenance-link').click();
		await page.waitForURL('**/service/maintenance');
		// The start-up sweep has generated the coming visits.
		expect(await page.getByTestId('visit-day').count()).toBeGreaterThan(5);
		expect(await page.getByTestId('visit').count()).toBeGreaterThan(0);
		// One plan, found by its unit's serial.
		const serial = (
			await page.locator(`[data-testid=list-row] td[data-label="${zh.col_serial}"]`).first().innerText()
		).trim();
		await open(page, `/service/maintenance?q=${encodeURIComponent(serial)}`);
		const interval = page.locator(`[data-testid=list-row] td[data-label="${zh.svc_interval}"]`);
		expect(await interval.count()).toBe(1);
		await page.getByTestId('plan-edit').click();
		const editor = page.getByTestId('plan-editor');
		await editor.getByTestId('plan-interval').fill('0');
		await editor.getByTestId('plan-save').click();
		expect(await editor.getByTestId('plan-error').innerText()).toContain(
			zh.svc_interval_range.replace('{min}', '1').replace('{max}', '366')
		);
		await editor.getByTestId('plan-interval').fill('7');
		await editor.getByTestId('plan-save').click();
		await editor.waitFor({ state: 'detached' });
		await expect.poll(() => interval.innerText()).toBe('7');
		await open(page, '/service/maintenance');
		await screenshot(page, 'service-maintenance');
	});

	it('another person’s change shows at once; a stale version is refused with the ticket as it is now; only the next steps are offered', async () => {
		const cookie = await apiSession(b.baseUrl, 'dispatcher1');
		const list = await (
			await fetch(
				`${b.baseUrl}/api/v1/service-tickets?companyId=1&status=assigned&pageSize=1&kind=maintenance`,
				{ headers: { cookie } }
			)
		).json();
		const row = list.rows[0] as { id: number; version: number };
		const page = await b.signedIn('dispatcher1');
		await open(page, `/service/${row.id}`);
		await live(page);
		// Another person sets off meanwhile, through the API, and the page follows live.
		const tech = await apiSession(b.baseUrl, 'installer2');
		const res = await fetch(`${b.baseUrl}/api/v1/service-tickets/${row.id}/status`, {
			method: 'POST',
			headers: { cookie: tech, 'content-type': 'application/json', origin: b.baseUrl },
			body: JSON.stringify({ to: 'en_route', version: row.version })
		});
		expect(res.status).toBe(200);
		await ticket(page, 'en_route');
		// The same step again from the old version: a 409 with the ticket as it is now.
		const stale = await fetch(`${b.baseUrl}/api/v1/service-tickets/${row.id}/status`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json', origin: b.baseUrl },
			body: JSON.stringify({ to: 'en_route', version: row.version })
		});
		expect(stale.status).toBe(409);
		expect((await stale.json()).error.current).toMatchObject({ status: 'en_route' });
		// Only the next steps are offered.
		expect(
			await page
				.locator('[data-testid=ticket-action]')
				.evaluateAll((els) => els.map((e) => e.getAttribute('data-to')))
		).toEqual(['on_site']);
	});
});
