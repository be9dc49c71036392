import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, open, screenshot, useBrowser, zh } from '../helpers/browser';

/**
 * The planner's schedule between browsers: a planner opens a work centre's Gantt, locks a job
 * and moves it to a later day; a manager's work order page and schedule in another browser
 * follow without a reload. Then an order change is accepted with a note, on a phone too.
 */
const live = (page: Page) => page.locator('[data-testid=live-status][data-status=live]').waitFor();
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
const stillSameDocument = async (page: Page) =>
	expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);
const chinaDay = (offset: number) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
		new Date(Date.now() + offset * 86_400_000)
	);

interface Job {
	id: number;
	number: string;
	status: string;
	locked: boolean;
	changeFlagged: boolean;
	start: string | null;
}

describe('production schedule', () => {
	const b = useBrowser();

	it('a planner locks and moves a job on the Gantt; another browser follows without a reload', async () => {
		const planner = await b.signedIn('planner1');
		await open(planner, '/production/schedule?days=28');
		await planner.locator('[data-testid=gantt][data-ready=true]').waitFor();
		await live(planner);
		// A job not started yet and not locked: the first such row in the sequence.
		const row = planner
			.locator('[data-testid=schedule-job][data-locked=false]')
			.filter({ hasNot: planner.locator('.badge.info') })
			.first();
		const woId = Number(await row.getAttribute('data-wo'));
		const number = (await row.locator('strong').first().innerText()).trim();

		const manager = await b.signedIn('manager1');
		await open(manager, `/production/${woId}`);
		await live(manager);
		await mark(manager);
		await expect
			.poll(() => manager.locator('[data-testid=plan-locked]').innerText())
			.toBe(zh.sched_locked_no);
		expect(await manager.locator('[data-testid=plan-lock]').count()).toBe(0); // read-only

		await row.locator('button.pick').click();
		const panel = planner.locator('[data-testid=sched-panel]');
		await expect.poll(() => panel.locator('h2').innerText()).toBe(number);
		await panel.locator('[data-testid=plan-lock]').click();
		await panel.locator('[data-testid=plan-note].ok').waitFor();
		await planner
			.locator(`[data-testid=schedule-job][data-wo="${woId}"][data-locked=true]`)
			.first()
			.waitFor();
		// The other browser: same document, now locked.
		await expect
			.poll(() => manager.locator('[data-testid=plan-locked]').innerText(), { timeout: 10_000 })
			.toBe(zh.sched_locked_yes);
		await stillSameDocument(manager);

		// Move it (still locked) to start ten days from now: it is placed afresh there.
		const day = chinaDay(10);
		await panel.locator('[data-testid=plan-day]').fill(day);
		await panel.locator('[data-testid=plan-move-day]').click();
		await expect.poll(() => panel.locator('[data-testid=plan-not-before]').innerText()).not.toBe('—');
		await expect
			.poll(async () => {
				const res = await fetch(`${b.baseUrl}/api/v1/work-orders/${woId}`, {
					headers: { cookie: await apiSession(b.baseUrl, 'manager1') }
				});
				return (
					((await res.json()) as { workOrder?: { notBefore?: string }; notBefore?: string }).workOrder
						?.notBefore ?? null
				);
			})
			.toBe(day);
		await expect
			.poll(() => manager.locator('[data-testid=plan-not-before]').innerText(), { timeout: 10_000 })
			.not.toBe('—');
		await stillSameDocument(manager);
		for (const p of [planner, manager]) await p.evaluate(() => scrollTo(0, 0));
		await screenshot(planner, 'production-schedule');
		await screenshot(manager, 'production-schedule-wo-followed');
		await planner.context().close();
		await manager.context().close();
	});

	it('an order change is accepted with a note on a phone; the history keeps it and the banner goes', async () => {
		const cookie = await apiSession(b.baseUrl, 'planner1');
		const get = async (path: string) => (await fetch(`${b.baseUrl}${path}`, { headers: { cookie } })).json();
		// A work order the demo data flagged: look through the centres' schedules.
		const first = await get('/api/v1/production/schedule?days=120');
		let flagged: Job | undefined;
		for (const company of first.companies as { id: number }[]) {
			const s = await get(`/api/v1/production/schedule?days=120&companyId=${company.id}`);
			for (const c of s.centres as { id: number }[]) {
				const v = await get(`/api/v1/production/schedule?days=120&workCentreId=${c.id}`);
				flagged = (v.jobs as Job[]).find((j) => j.changeFlagged);
				if (flagged) break;
			}
			if (flagged) break;
		}
		expect(flagged, 'the demo data has a work order flagged by an order change').toBeTruthy();
		const phone = await b.signedIn('planner1', 'phone');
		await open(phone, `/production/${flagged!.id}`);
		await live(phone);
		const banner = phone.locator('[data-testid=change-flag]');
		await banner.waitFor();
		await screenshot(phone, 'production-change-flag-phone');
		await banner.locator('[data-testid=change-note]').fill('已与客户确认门宽，按新规格排产');
		await banner.locator('[data-testid=accept-change]').click();
		await banner.waitFor({ state: 'detached' });
		await phone
			.locator('[data-testid=wo-history] li[data-type="work_order.change_accepted"]')
			.first()
			.waitFor();
		expect(await phone.locator('[data-testid=wo-history]').innerText()).toContain('已与客户确认门宽');
		await phone.context().close();
	});

	it('shows the schedule as a list on a phone and the shortage list with what is on order', async () => {
		const phone = await b.signedIn('planner1', 'phone');
		await open(phone, '/production/schedule');
		await phone.locator('[data-testid=schedule-job]').first().waitFor();
		expect(await phone.locator('[data-testid=gantt]').count()).toBe(0);
		await phone.locator('[data-testid=schedule-job] button.pick').first().click();
		await phone.locator('[data-testid=sched-panel] [data-testid=plan-panel]').waitFor();
		await screenshot(phone, 'production-schedule-phone', false);
		await phone.context().close();

		const desk = await b.signedIn('planner1');
		await open(desk, '/production/shortages');
		await desk.locator('[data-testid=shortage-row]').first().waitFor();
		const all = await desk.locator('[data-testid=shortage-row]').count();
		// One company: the filter narrows the list in place.
		await desk.locator('select[name=companyId]').selectOption({ index: 1 });
		await desk.waitForURL(/companyId=\d+/);
		await expect.poll(() => desk.locator('[data-testid=shortage-row]').count()).toBeLessThan(all);
		expect(await desk.locator('[data-testid=shortages]').innerText()).toMatch(/PO-/);
		await screenshot(desk, 'production-shortages', false);
		await desk.context().close();
	});
});
