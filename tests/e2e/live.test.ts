import { describe, expect, it } from 'vitest';
import type { BrowserContext, Page, WebSocketRoute } from 'playwright-core';
import { apiSession, open, screenshot, useBrowser, zh } from '../helpers/browser';

/**
 * The live core in real browsers: what one person does appears on the others' screens without
 * a reload, a stale click becomes a conflict the user can resolve, and a dropped connection
 * shows in the indicator and catches up when it returns.
 */
type Step = { id: number; status: string; version: number };
const OPEN = ['pending', 'ready'];

/** Work orders (of company SH, which every user here sees) with at least two open steps, distinct per test. */
async function workOrdersWithOpenSteps(baseUrl: string, cookie: string, n: number): Promise<{ id: number; steps: Step[] }[]> {
	const get = async (path: string) => (await fetch(`${baseUrl}${path}`, { headers: { cookie } })).json();
	const list = await get('/api/v1/work-orders?status=in_progress&pageSize=100&companyId=1');
	const found: { id: number; steps: Step[] }[] = [];
	for (const row of list.rows as { id: number }[]) {
		const wo = await get(`/api/v1/work-orders/${row.id}`);
		if ((wo.steps as Step[]).filter((s) => OPEN.includes(s.status)).length >= 2) found.push({ id: row.id, steps: wo.steps });
		if (found.length === n) return found;
	}
	throw new Error('not enough work orders with open steps in the demo data');
}

const step = (page: Page, id: number) => page.locator(`[data-testid=step][data-step-id="${id}"]`);
const live = (page: Page) => page.locator('[data-testid=live-status][data-status=live]').waitFor();
/** Marks the document, so a later check can tell the page was not reloaded. */
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
const stillSameDocument = async (page: Page) =>
	expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);

/** Routes the page's WebSocket through the test, which can hold back events or cut it. */
async function interceptSocket(ctx: BrowserContext) {
	const state = { holdEvents: false, cut: false, open: [] as WebSocketRoute[] };
	await ctx.routeWebSocket(/\/socket\.io\//, (ws) => {
		if (state.cut) return void ws.close();
		state.open.push(ws);
		const server = ws.connectToServer();
		server.onMessage((msg) => {
			const text = String(msg);
			if (state.holdEvents && (text.startsWith('42["events"') || text.startsWith('42["cursor"'))) return;
			ws.send(msg);
		});
		ws.onMessage((msg) => server.send(msg));
	});
	return {
		state,
		cut() {
			state.cut = true;
			for (const ws of state.open.splice(0)) void ws.close();
		}
	};
}

describe('live updates between browsers', () => {
	const b = useBrowser();

	it('a worker starts a step on a phone and the manager’s page changes without a reload; each sees the other', async () => {
		const cookie = await apiSession(b.baseUrl, 'planner1');
		const [wo] = await workOrdersWithOpenSteps(b.baseUrl, cookie, 3);
		const target = wo.steps.find((s) => OPEN.includes(s.status))!;

		const worker = await b.signedIn('shopfloor1', 'phone');
		const manager = await b.signedIn('manager1');
		await open(worker, `/production/${wo.id}`);
		await open(manager, `/production/${wo.id}`);
		await Promise.all([live(worker), live(manager)]);
		await mark(manager);

		// Presence: each sees the other on the record.
		await manager.getByTestId('viewer').filter({ hasText: '孙强' }).waitFor();
		await worker.getByTestId('viewer').first().waitFor();

		expect(await step(manager, target.id).getAttribute('data-status')).toBe(target.status);
		await step(worker, target.id).getByTestId('step-start').click();
		await step(worker, target.id).and(worker.locator('[data-status=in_progress]')).waitFor();
		// The manager's screen follows, in the same document.
		await step(manager, target.id).and(manager.locator('[data-status=in_progress]')).waitFor({ timeout: 5000 });
		expect(await step(manager, target.id).getByTestId('step-status').innerText()).toBe(zh.wstep_in_progress);
		await stillSameDocument(manager);
		await screenshot(worker, 'live-worker-phone');
		await screenshot(manager, 'live-manager');

		// The worker leaves: the manager no longer sees them.
		await worker.goto('/production');
		await expect
			.poll(() => manager.getByTestId('viewer').count(), { timeout: 5000 })
			.toBe(0);
	});

	it('a click on a stale step is refused with the other person’s change, and can be retried on the latest', async () => {
		const cookie = await apiSession(b.baseUrl, 'planner1');
		const [, wo] = await workOrdersWithOpenSteps(b.baseUrl, cookie, 3);
		const target = wo.steps.find((s) => OPEN.includes(s.status))!;

		const planner = await b.signedIn('planner1');
		const workerCtx = await b.context();
		const socket = await interceptSocket(workerCtx);
		const worker = await workerCtx.newPage();
		await open(worker, '/login');
		await worker.locator('input[name=username]').fill('shopfloor1');
		await worker.locator('input[name=password]').fill('demo1234');
		await worker.locator('form button[type=submit]').click();
		await worker.waitForURL((u) => u.pathname !== '/login');
		await open(planner, `/production/${wo.id}`);
		await open(worker, `/production/${wo.id}`);
		await Promise.all([live(planner), live(worker)]);

		// The worker's screen stops hearing events (as if they were late), then the planner
		// starts and pauses the step.
		socket.state.holdEvents = true;
		await step(planner, target.id).getByTestId('step-start').click();
		await step(planner, target.id).and(planner.locator('[data-status=in_progress]')).waitFor();
		await step(planner, target.id).getByTestId('step-pause').click();
		await step(planner, target.id).and(planner.locator('[data-status=paused]')).waitFor();
		expect(await step(worker, target.id).getAttribute('data-status')).toBe(target.status);

		// The worker starts the step from the old version: refused, with what changed.
		await step(worker, target.id).getByTestId('step-start').click();
		const conflict = worker.getByTestId('conflict');
		await conflict.waitFor();
		expect(await conflict.innerText()).toContain(zh.wstep_paused);
		await screenshot(worker, 'live-conflict');
		await conflict.getByTestId('conflict-retry').click();
		await conflict.waitFor({ state: 'detached' });
		await step(worker, target.id).and(worker.locator('[data-status=in_progress]')).waitFor();
		// And the planner sees the worker's retry live.
		await step(planner, target.id).and(planner.locator('[data-status=in_progress]')).waitFor({ timeout: 5000 });
		const res = await fetch(`${b.baseUrl}/api/v1/work-orders/${wo.id}`, { headers: { cookie } });
		const saved = ((await res.json()).steps as Step[]).find((s) => s.id === target.id)!;
		expect(saved).toMatchObject({ status: 'in_progress', version: target.version + 3 });
	});

	it('a dropped connection shows in the indicator and catches up what happened meanwhile', async () => {
		const cookie = await apiSession(b.baseUrl, 'planner1');
		const [, , wo] = await workOrdersWithOpenSteps(b.baseUrl, cookie, 3);
		const target = wo.steps.find((s) => OPEN.includes(s.status))!;

		const ctx = await b.context();
		const socket = await interceptSocket(ctx);
		const page = await ctx.newPage();
		await open(page, '/login');
		await page.locator('input[name=username]').fill('manager1');
		await page.locator('input[name=password]').fill('demo1234');
		await page.locator('form button[type=submit]').click();
		await page.waitForURL((u) => u.pathname !== '/login');
		await open(page, `/production/${wo.id}`);
		await live(page);
		await mark(page);

		await ctx.setOffline(true);
		socket.cut();
		await page.locator('[data-testid=live-status][data-status=offline]').waitFor();
		const indicator = await page.getByTestId('live-status').innerText();
		expect(indicator).toMatch(/\d{2}:\d{2}/);
		await screenshot(page, 'live-offline', false);

		// Meanwhile the planner starts the step.
		const res = await fetch(`${b.baseUrl}/api/v1/work-order-steps/${target.id}/progress`, {
			method: 'POST',
			headers: { cookie, 'content-type': 'application/json', origin: b.baseUrl },
			body: JSON.stringify({ action: 'start', version: target.version })
		});
		expect(res.status).toBe(200);
		expect(await step(page, target.id).getAttribute('data-status')).toBe(target.status);

		socket.state.cut = false;
		await ctx.setOffline(false);
		await live(page);
		await step(page, target.id).and(page.locator('[data-status=in_progress]')).waitFor({ timeout: 10_000 });
		await stillSameDocument(page);
	});
});
