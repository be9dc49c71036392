import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { apiSession, open, ready, screenshot, useBrowser, zh } from '../helpers/browser';
import { doneCount, openWall, wallContext } from '../helpers/devices';

/**
 * Shop-floor terminals in real Chromium: a planner registers a terminal on the devices page,
 * the terminal enrols with the code, a worker signs in by scanning a badge (typed as a wedge
 * scanner types), starts and finishes a step, and the planner's work order page follows without
 * a reload. Then the network drops: presses queue in the browser, and when it returns the
 * server ends with exactly those actions, in order, with a conflicting one shown to the worker.
 */
const STATION = 1; // car frame, company SH: the first stage of every work order
type Recorded = { key: string; stepId: number; action: string; outcome: string; message: string };

const job = (page: Page, stepId: number) => page.locator(`[data-testid=job][data-step-id="${stepId}"]`);
const live = (page: Page) => page.locator('[data-testid=live-status][data-status=live]').waitFor();
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
const stillSameDocument = async (page: Page) =>
	expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);

/** Jobs at the terminal a worker can start now (everything before them done), top of the list first. */
async function startable(page: Page, n: number): Promise<{ stepId: number; workOrderId: number }[]> {
	const cards = page.locator('[data-testid=job][data-status=ready], [data-testid=job][data-status=pending]');
	const found: { stepId: number; workOrderId: number }[] = [];
	for (const card of await cards.all()) {
		if (!(await card.getByTestId('job-start').count())) continue;
		found.push({ stepId: Number(await card.getAttribute('data-step-id')), workOrderId: Number(await card.getAttribute('data-work-order-id')) });
		if (found.length === n) return found;
	}
	throw new Error(`fewer than ${n} startable jobs at station ${STATION}`);
}

/** A terminal for the station, registered by planner1 through the API and enrolled in `ctx`. */
async function enrolledTerminal(baseUrl: string, ctx: BrowserContext, name: string) {
	const cookie = await apiSession(baseUrl, 'planner1');
	const res = await fetch(`${baseUrl}/api/v1/devices`, {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/json', origin: baseUrl },
		body: JSON.stringify({ kind: 'terminal', name, companyId: 1, workCentreId: STATION })
	});
	const { code } = await res.json();
	const enrolled = await ctx.request.post(`${baseUrl}/api/v1/devices/enrol`, { data: { code } });
	expect(enrolled.ok()).toBe(true);
	return cookie;
}

async function scanBadge(page: Page, badge = 'B10001') {
	await page.getByTestId('scan-input').focus();
	await page.keyboard.type(`EOB:${badge}`, { delay: 5 });
	await page.keyboard.press('Enter');
	await page.getByTestId('sign-out').waitFor();
}

describe('shop-floor terminal', () => {
	const b = useBrowser();

	it('is registered on the devices page, enrolled with its code, signed in by badge scan; a finished step shows on the planner’s page and the wall display live', async () => {
		const planner = await b.signedIn('planner1');
		await open(planner, '/production/devices');
		await planner.getByTestId('kind-terminal').click();
		await planner.getByTestId('device-name').fill('轿架工位 终端 A');
		await planner.getByTestId('device-company').selectOption('1');
		await planner.getByTestId('device-station').selectOption(String(STATION));
		await planner.getByTestId('register-submit').click();
		const code = (await planner.getByTestId('enrol-code-shown').innerText()).replace(/\s/g, '');
		expect(code).toMatch(/^[A-Z2-9]{8}$/);
		await planner.locator('[data-testid=device][data-status=pending]').first().waitFor();
		await screenshot(planner, 'devices-page-zh');

		// The terminal: signed out, it is sent to enrol, and lands on its station.
		const ctx = await b.context();
		const terminal = await ctx.newPage();
		await open(terminal, `/terminal/${STATION}`);
		expect(new URL(terminal.url()).pathname).toBe('/device');
		await terminal.getByTestId('enrol-code').fill(code.toLowerCase());
		await terminal.getByTestId('enrol-submit').click();
		await terminal.waitForURL((u) => u.pathname === `/terminal/${STATION}`);
		await ready(terminal);
		await terminal.getByTestId('sign-in').waitFor();
		// The planner's list shows it enrolled, without a reload.
		await planner.locator('[data-testid=device][data-status=active]').first().waitFor({ timeout: 5000 });

		// A malformed scan changes nothing and says so.
		await terminal.getByTestId('scan-input').focus();
		await terminal.keyboard.type('XYZ-123');
		await terminal.keyboard.press('Enter');
		await expect.poll(() => terminal.getByTestId('term-message').innerText()).toBe(zh.term_scan_unknown);
		await scanBadge(terminal);
		expect(await terminal.getByTestId('worker-name').innerText()).toContain('孙强');

		const [target, other] = await startable(terminal, 2);
		// A job card scanned opens its job.
		const number = (await job(terminal, target.stepId).getAttribute('data-number'))!;
		await terminal.keyboard.type(`EOJ:${number}`);
		await terminal.keyboard.press('Enter');
		await job(terminal, target.stepId).and(terminal.locator('.highlighted')).waitFor();
		await open(planner, `/production/${target.workOrderId}`);
		await live(planner);
		await mark(planner);
		const plannerStep = planner.locator(`[data-testid=step][data-step-id="${target.stepId}"]`);

		await job(terminal, target.stepId).getByTestId('job-start').click();
		await job(terminal, target.stepId).and(terminal.locator('[data-state=in_progress]:not([data-queued])')).waitFor();
		await plannerStep.and(planner.locator('[data-status=in_progress]')).waitFor({ timeout: 5000 });
		await screenshot(terminal, 'terminal-zh', false);

		// The control room's wall display, in another browser, counts the finish without a reload.
		const wallCtx = await wallContext(b.baseUrl, b.browser);
		const wall = await openWall(wallCtx);
		const doneBefore = await doneCount(wall, STATION);
		await job(terminal, target.stepId).getByTestId('job-finish').click();
		await terminal.getByTestId('confirm-yes').click();
		await plannerStep.and(planner.locator('[data-status=done]')).waitFor({ timeout: 5000 });
		await stillSameDocument(planner);
		await expect.poll(() => doneCount(wall, STATION), { timeout: 5000 }).toBe(doneBefore + 1);
		await stillSameDocument(wall);
		await wallCtx.close();
		// The finished step leaves the station's list.
		await job(terminal, target.stepId).waitFor({ state: 'detached', timeout: 5000 });

		// The andon: a reason, and the job is blocked until the alert is closed.
		await job(terminal, other.stepId).getByTestId('job-problem').click();
		await terminal.getByTestId('reason-equipment').click();
		await terminal.getByTestId('problem-send').click();
		await job(terminal, other.stepId).and(terminal.locator('[data-state=blocked]:not([data-queued])')).waitFor();
		expect(await job(terminal, other.stepId).getByTestId('job-start').count()).toBe(0);
		await ctx.close();
		await planner.context().close();
	});

	it('queues presses while offline and, back online, the server ends with exactly those actions in order; a conflict is shown', async () => {
		const ctx = await b.context();
		const plannerCookie = await enrolledTerminal(b.baseUrl, ctx, '轿架工位 终端 B');
		const terminal = await ctx.newPage();
		await open(terminal, `/terminal/${STATION}`);
		await scanBadge(terminal);
		await live(terminal);
		const [a, bb, c, d] = await startable(terminal, 4);
		const before: Recorded[] = await (await ctx.request.get(`${b.baseUrl}/api/v1/terminal/actions`)).json();

		await ctx.setOffline(true);
		const pressed: [number, string][] = [];
		const press = async (stepId: number, action: 'start' | 'pause' | 'finish') => {
			await job(terminal, stepId).getByTestId(`job-${action}`).click();
			if (action === 'finish') await terminal.getByTestId('confirm-yes').click();
			pressed.push([stepId, action]);
		};
		await press(a.stepId, 'start');
		await press(bb.stepId, 'start');
		await press(bb.stepId, 'pause');
		await press(c.stepId, 'start');
		await press(c.stepId, 'finish');
		await press(d.stepId, 'start');
		// Shown at once, marked queued, and counted.
		await job(terminal, bb.stepId).and(terminal.locator('[data-status=paused][data-queued="2"]')).waitFor();
		await job(terminal, c.stepId).and(terminal.locator('[data-status=done]')).waitFor();
		await terminal.locator('[data-testid=queue-status][data-count="6"]').waitFor();
		await screenshot(terminal, 'terminal-offline-zh', false);

		// Meanwhile someone else finishes job d from the planner's side.
		const progress = async (action: string, version: number) => {
			const res = await fetch(`${b.baseUrl}/api/v1/work-order-steps/${d.stepId}/progress`, {
				method: 'POST',
				headers: { cookie: plannerCookie, 'content-type': 'application/json', origin: b.baseUrl },
				body: JSON.stringify({ action, version })
			});
			expect(res.status).toBe(200);
			return (await res.json()).version as number;
		};
		const wo = await (await fetch(`${b.baseUrl}/api/v1/work-orders/${d.workOrderId}`, { headers: { cookie: plannerCookie } })).json();
		const v0 = (wo.steps as { id: number; version: number }[]).find((s) => s.id === d.stepId)!.version;
		await progress('finish', await progress('start', v0));

		await ctx.setOffline(false);
		await terminal.getByTestId('queue-status').waitFor({ state: 'detached', timeout: 20_000 });
		const conflict = terminal.locator(`[data-testid=attention-item][data-step-id="${d.stepId}"]`);
		await conflict.waitFor();
		await screenshot(terminal, 'terminal-conflict-zh', false);

		const after: Recorded[] = await (await ctx.request.get(`${b.baseUrl}/api/v1/terminal/actions`)).json();
		const mine = after.slice(0, after.length - before.length).reverse();
		expect(mine.map((r) => [r.stepId, r.action])).toEqual(pressed);
		expect(mine.map((r) => r.outcome)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied', 'refused']);
		expect(new Set(mine.map((r) => r.key)).size).toBe(6);
		expect(await conflict.innerText()).toContain(mine[5].message);

		const status = async (w: { workOrderId: number; stepId: number }) => {
			const detail = await (await fetch(`${b.baseUrl}/api/v1/work-orders/${w.workOrderId}`, { headers: { cookie: plannerCookie } })).json();
			return (detail.steps as { id: number; status: string }[]).find((s) => s.id === w.stepId)!.status;
		};
		expect([await status(a), await status(bb), await status(c), await status(d)]).toEqual(['in_progress', 'paused', 'done', 'done']);
		await conflict.getByTestId('attention-dismiss').click();
		await conflict.waitFor({ state: 'detached' });
		await ctx.close();
	});
});
