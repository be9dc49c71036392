import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { apiSession, screenshot, useBrowser, zh } from '../helpers/browser';

/**
 * The production wall in Chromium, enrolled as a device (its cookie, no person signed in):
 * the board follows the shop floor by live events only (a finished step, an andon), says when
 * its data may be stale, fits a 1920×1080 and a 1366×768 screen, and the planner's
 * notification centre and header bell follow the same andon.
 */
type BoardStep = { id: number; workCentreId: number; status: string; version: number };
const SH = 1;

async function post(baseUrl: string, path: string, cookie: string, body: unknown) {
	const res = await fetch(`${baseUrl}${path}`, {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/json', origin: baseUrl },
		body: JSON.stringify(body)
	});
	return { res, body: await res.json() };
}

/** Registers a device as planner1 and enrols it; answers its cookie value. */
async function enrolDevice(baseUrl: string, device: Record<string, unknown>): Promise<string> {
	const planner = await apiSession(baseUrl, 'planner1');
	const { body } = await post(baseUrl, '/api/v1/devices', planner, { companyId: SH, ...device });
	if (!body.code) throw new Error(`device registration failed: ${JSON.stringify(body)}`);
	const { res } = await post(baseUrl, '/api/v1/devices/enrol', '', { code: body.code });
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('device='));
	if (!cookie) throw new Error('enrolment set no device cookie');
	return cookie.split(';')[0].slice('device='.length);
}

async function wallContext(baseUrl: string, browser: ReturnType<typeof useBrowser>['browser'], width = 1920, height = 1080) {
	const token = await enrolDevice(baseUrl, {
		kind: 'wall',
		name: '总装车间看板',
		settings: { views: ['centres', 'orders', 'alerts'], rotateSeconds: 20 }
	});
	const ctx = await browser.newContext({ viewport: { width, height }, baseURL: baseUrl, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
	ctx.setDefaultTimeout(15_000);
	await ctx.addCookies([{ name: 'device', value: token, url: baseUrl, httpOnly: true, sameSite: 'Lax' }]);
	return ctx;
}

async function openWall(ctx: BrowserContext, query = '?view=centres'): Promise<Page> {
	const page = await ctx.newPage();
	await page.goto(`/wall/production${query}`);
	await page.locator('[data-testid=live-status][data-status=live]').waitFor();
	await page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
	return page;
}
const stillSameDocument = async (page: Page) =>
	expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);

/** In-progress steps of SH on the board, newest first (other tests take the oldest). */
async function runningSteps(baseUrl: string, cookie: string): Promise<BoardStep[]> {
	const res = await fetch(`${baseUrl}/api/v1/wall/production?company=${SH}`, { headers: { cookie } });
	const { board } = (await res.json()) as { board: { steps: BoardStep[] } };
	return board.steps.filter((s) => s.status === 'in_progress').reverse();
}

const tile = (page: Page, centre: number) => page.locator(`[data-testid=centre-tile][data-centre="${centre}"]`);
const doneCount = async (page: Page, centre: number) =>
	Number(await tile(page, centre).getByTestId('plan-done').getAttribute('data-done'));

describe('production wall display', () => {
	const b = useBrowser();

	it('shows the board as a device; a finished step changes it without a reload; an andon shows within a second', async () => {
		const ctx = await wallContext(b.baseUrl, b.browser);
		const page = await openWall(ctx);
		expect(await page.getByTestId('centre-tile').count()).toBeGreaterThan(0);
		expect(await page.getByTestId('wall-view-tab').count()).toBe(1); // pinned to one view

		const worker = await apiSession(b.baseUrl, 'shopfloor1');
		const running = await runningSteps(b.baseUrl, worker);
		const step = running[0];
		// The andon goes to a station with none yet, so its light going on and off can be seen.
		const calm = new Set((await page.locator('[data-testid=centre-tile][data-andon=false]').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-centre'))))));
		const andonStep = running.find((s) => s !== step && calm.has(s.workCentreId));
		if (!andonStep) throw new Error('no running step at a station without an andon in the demo data');
		const before = await doneCount(page, step.workCentreId);
		const wipBefore = Number(await tile(page, step.workCentreId).getByTestId('wip').innerText());
		const { res } = await post(b.baseUrl, `/api/v1/work-order-steps/${step.id}/progress`, worker, { action: 'finish', version: step.version });
		expect(res.status).toBe(200);
		await expect.poll(() => doneCount(page, step.workCentreId), { timeout: 5000 }).toBe(before + 1);
		expect(Number(await tile(page, step.workCentreId).getByTestId('wip').innerText())).toBe(wipBefore - 1);
		await stillSameDocument(page);
		// Applied from the event itself: the snapshot was not read again.
		expect(await page.getByTestId('wall').getAttribute('data-reloads')).toBe('0');

		// The planner is on another page; the header bell and a toast must tell them.
		const planner = await b.signedIn('planner1');
		await planner.goto('/production');
		await planner.locator('[data-testid=live-status][data-status=live]').waitFor();
		const bellBefore = Number(await planner.getByTestId('alert-bell').getAttribute('data-count'));

		// A worker pulls the andon at the terminal of the other running step's station.
		const terminal = await enrolDevice(b.baseUrl, { kind: 'terminal', name: '装配终端', workCentreId: andonStep.workCentreId });
		const signIn = await post(b.baseUrl, '/api/v1/terminal/sign-in', `device=${terminal}`, { badge: 'B10001', pin: '1234' });
		expect(signIn.res.status).toBe(200);
		const session = signIn.res.headers.getSetCookie().find((c) => c.startsWith('session='))!.split(';')[0];
		const now = Date.now();
		const pulled = await post(b.baseUrl, '/api/v1/terminal/actions', `device=${terminal}; ${session}`, {
			key: `wall${now}`,
			stepId: andonStep.id,
			action: 'problem',
			reason: 'equipment',
			note: '液压夹具漏油',
			occurredAt: now,
			sentAt: now
		});
		expect(pulled.body.outcome).toBe('applied');
		await tile(page, andonStep.workCentreId).and(page.locator('[data-andon=true]')).waitFor({ timeout: 1000 });
		await stillSameDocument(page);
		await planner.getByTestId('andon-toast').filter({ hasText: '液压夹具漏油' }).waitFor({ timeout: 1000 });
		expect(Number(await planner.getByTestId('alert-bell').getAttribute('data-count'))).toBeGreaterThan(bellBefore);
		await screenshot(planner, 'alerts-toast', false);
		await screenshot(page, 'wall-centres-andon', false);
		const alertsView = await openWall(ctx, '?view=alerts');
		await alertsView.locator('[data-testid=wall-alert][data-kind=andon][data-status=open]').filter({ hasText: '液压夹具漏油' }).waitFor();
		await screenshot(alertsView, 'wall-alerts-andon', false);
		await alertsView.close();

		// In the notification centre the planner acknowledges it and closes it with a note.
		await planner.goto('/production/alerts?status=active&kind=andon');
		const card = planner.locator('[data-testid=alert][data-kind=andon]').filter({ hasText: '液压夹具漏油' });
		await card.waitFor();
		await card.getByTestId('acknowledge').click();
		await card.and(planner.locator('[data-status=acknowledged]')).waitFor({ timeout: 5000 });
		await card.getByTestId('close').click();
		await card.getByTestId('close-send').click();
		expect(await card.getByTestId('note-error').innerText()).toBe(zh.alert_note_required);
		await screenshot(planner, 'alerts-centre');
		await card.getByTestId('close-note-input').fill('夹具已更换，恢复生产');
		const closed = planner.waitForResponse((r) => r.url().endsWith('/close'));
		await card.getByTestId('close-send').click();
		expect((await closed).status()).toBe(200);
		await planner.goto('/production/alerts?status=closed&kind=andon');
		await planner.locator('[data-testid=alert][data-status=closed]').filter({ hasText: '夹具已更换，恢复生产' }).waitFor();
		// The wall's andon goes out by the same events.
		await tile(page, andonStep.workCentreId).and(page.locator('[data-andon=false]')).waitFor({ timeout: 5000 });
		await ctx.close();
		await planner.context().close();
	});

	it('says its data may be stale the moment the connection is lost, and catches up when it is back', async () => {
		const ctx = await wallContext(b.baseUrl, b.browser);
		const page = await openWall(ctx);
		const worker = await apiSession(b.baseUrl, 'shopfloor1');
		const [step] = await runningSteps(b.baseUrl, worker);
		const before = await doneCount(page, step.workCentreId);

		await ctx.setOffline(true);
		const banner = page.getByTestId('stale-banner');
		await banner.waitFor({ timeout: 2000 });
		expect(await banner.innerText()).toMatch(/\d{2}:\d{2}/);
		await screenshot(page, 'wall-stale', false);
		// Meanwhile a step is finished: the board cannot know yet.
		const { res } = await post(b.baseUrl, `/api/v1/work-order-steps/${step.id}/progress`, worker, { action: 'finish', version: step.version });
		expect(res.status).toBe(200);
		expect(await doneCount(page, step.workCentreId)).toBe(before);

		await ctx.setOffline(false);
		await banner.waitFor({ state: 'detached', timeout: 15_000 });
		await expect.poll(() => doneCount(page, step.workCentreId), { timeout: 5000 }).toBe(before + 1);
		await stillSameDocument(page);
		await ctx.close();
	});

	it('every view fits 1920×1080 and 1366×768 without scrolling; screenshots of each (zh)', async () => {
		for (const [width, height] of [
			[1920, 1080],
			[1366, 768]
		]) {
			const ctx = await wallContext(b.baseUrl, b.browser, width, height);
			for (const view of ['centres', 'orders', 'alerts']) {
				const page = await openWall(ctx, `?view=${view}`);
				await page.locator(`[data-testid=wall][data-view=${view}]`).waitFor();
				const fits = await page.evaluate(() => {
					const el = document.scrollingElement!;
					const parts = document.querySelectorAll('[data-testid=centre-tile], [data-testid=order-row], [data-testid=wall-alert], [data-testid=wall] .more');
					const inside = [...parts].every((e) => e.getBoundingClientRect().bottom <= innerHeight + 1);
					return el.scrollHeight <= innerHeight && el.scrollWidth <= innerWidth && inside;
				});
				expect(fits, `${view} at ${width}×${height}`).toBe(true);
				if (width === 1920) await screenshot(page, `wall-${view}`, false);
				await page.close();
			}
			await ctx.close();
		}
	});

	it('a person opening the board gets every view, rotating, in their language', async () => {
		const page = await b.signedIn('manager1');
		await page.goto('/wall/production');
		expect(await page.getByTestId('wall-view-tab').allInnerTexts()).toEqual([zh.wall_view_centres, zh.wall_view_orders, zh.wall_view_alerts]);
		expect(await page.getByTestId('wall').getAttribute('data-view')).toBe('centres');
		await page.context().close();
	});
});
