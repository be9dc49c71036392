import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, screenshot, useBrowser, zh } from '../helpers/browser';
import { doneCount, enrolDevice, openWall, post, tile, wallContext } from '../helpers/devices';

/**
 * The production wall in Chromium, enrolled as a device (its cookie, no person signed in):
 * the board follows the shop floor by live events only (a finished step, an andon), says when
 * its data may be stale, fits a 1920×1080 and a 1366×768 screen, and the planner's
 * notification centre and header bell follow the same andon.
 */
type BoardStep = { id: number; workCentreId: number; status: string; version: number };
const SH = 1;

const stillSameDocument = async (page: Page) =>
	expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);

/** In-progress steps of SH on the board, newest first (other tests take the oldest). */
async function runningSteps(baseUrl: string, cookie: string): Promise<BoardStep[]> {
	const res = await fetch(`${baseUrl}/api/v1/wall/production?company=${SH}`, { headers: { cookie } });
	const { board } = (await res.json()) as { board: { steps: BoardStep[] } };
	return board.steps.filter((s) => s.status === 'in_progress').reverse();
}

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
