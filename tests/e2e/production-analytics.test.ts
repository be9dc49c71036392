import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { open, ready, screenshot, useBrowser, zh } from '../helpers/browser';

const CHARTS = ['throughput', 'steps', 'on-time', 'cycle', 'heatmap', 'wip', 'problems'];

/** Every chart card ends drawn (ECharts' canvas in, data-ready) or saying it has no data. */
async function chartsSettled(page: Page): Promise<Record<string, 'drawn' | 'empty'>> {
	const out: Record<string, 'drawn' | 'empty'> = {};
	for (const c of CHARTS) {
		const card = page.getByTestId(`chart-${c}`);
		await card.waitFor();
		if ((await card.getByTestId('chart-empty').count()) > 0) out[c] = 'empty';
		else {
			await card.locator('[data-ready=true] canvas').first().waitFor();
			out[c] = 'drawn';
		}
	}
	return out;
}

/**
 * Production analytics, job cards and the work-centre editor in Chromium against the demo data.
 * The editor's change (a holiday in 2099) is undone at the end, so no other test sees it.
 */
describe('production analytics and set-up', () => {
	const b = useBrowser();

	it('the analytics page draws its charts for a year, and on a phone stacks them', async () => {
		const page = await b.signedIn('planner1');
		const errors: string[] = [];
		page.on('pageerror', (e) => errors.push(e.message));
		await open(page, '/production/analytics');
		await page.getByTestId('analytics-summary').waitFor();
		// A year of the demo plant: finished work orders, cycle times and work in progress.
		await page.getByTestId('quick-365').click();
		await page.waitForURL((u) => u.searchParams.has('from'));
		await ready(page);
		const settled = await chartsSettled(page);
		expect(settled).toMatchObject({ throughput: 'drawn', steps: 'drawn', cycle: 'drawn', heatmap: 'drawn', wip: 'drawn' });
		expect(Number((await page.getByTestId('tile-throughput').innerText()).replace(/\D/g, ''))).toBeGreaterThan(0);
		expect(await page.getByTestId('tile-on-time').innerText()).toMatch(/%$/);
		await screenshot(page, 'production-analytics');

		// A reversed range is refused beside its field, in Chinese.
		const from = await page.getByTestId('range-from').inputValue();
		const to = await page.getByTestId('range-to').inputValue();
		await open(page, `/production/analytics?from=${from}&to=2000-01-01`);
		expect((await page.getByTestId('error-to').innerText()).trim()).toBe(zh.pa_err_to_before_from);
		expect(await page.getByTestId('analytics-invalid').count()).toBe(1);
		expect(errors).toEqual([]);

		const phone = await b.signedIn('manager1', 'phone');
		await open(phone, `/production/analytics?from=${from}&to=${to}`);
		await chartsSettled(phone);
		const [x1, x2] = await Promise.all(
			['chart-throughput', 'chart-steps'].map(async (id) => (await phone.getByTestId(id).boundingBox())!)
		);
		expect(x2.y).toBeGreaterThan(x1.y + x1.height - 1); // stacked, not side by side
		expect(x1.width).toBeLessThanOrEqual(390);
		await screenshot(phone, 'production-analytics-phone');
	});

	it('a planner saves a work-centre change; a bad capacity is refused beside its field', async () => {
		const page = await b.signedIn('planner1');
		await open(page, '/production/work-centres');
		const row = page.getByTestId('centre-row').first();
		await row.getByTestId('edit-centre').click();
		const form = page.getByTestId('centre-form');
		await form.waitFor();
		const capacity = await form.getByTestId('f-capacity').inputValue();

		await form.getByTestId('f-capacity').fill('0');
		await form.getByTestId('centre-save').click();
		await form.getByTestId('error-dailyCapacityHours').waitFor();
		expect((await form.getByTestId('error-dailyCapacityHours').innerText()).trim()).toBe(zh.wc_err_positive);

		await form.getByTestId('f-capacity').fill(capacity);
		await form.getByTestId('f-holiday').fill('2099-12-24');
		await form.getByTestId('add-holiday').click();
		const hadSaturday = await form.getByTestId('f-day-6').isChecked();
		await form.getByTestId('f-day-6').setChecked(!hadSaturday);
		await screenshot(page, 'work-centre-editor', false);
		await form.getByTestId('centre-save').click();
		await page.getByTestId('centre-notice').waitFor();
		expect(await form.count()).toBe(0);

		// Saved: the form opened again shows the holiday and the Saturday switch.
		// The list is sorted by company and code: the first row is the same centre.
		await row.getByTestId('edit-centre').click();
		await form.waitFor();
		expect(await form.getByText('2099').count()).toBeGreaterThan(0);
		expect(await form.getByTestId('f-day-6').isChecked()).toBe(!hadSaturday);

		// Undo it, so the plan of other tests is unchanged.
		await form.getByRole('button', { name: zh.wc_remove_holiday.replace('{date}', '2099-12-24') }).click();
		await form.getByTestId('f-day-6').setChecked(hadSaturday);
		await form.getByTestId('centre-save').click();
		await page.getByTestId('centre-notice').waitFor();
	});

	it('the routing editor names a bad stage beside it and saves nothing', async () => {
		const page = await b.signedIn('planner1');
		await open(page, '/production/routings');
		const model = page.getByTestId('filter-model');
		await model.selectOption({ index: 1 });
		await page.waitForURL((u) => u.searchParams.has('modelId'));
		await ready(page);
		expect(await page.getByTestId('routing-group').count()).toBe(3); // one per company
		const card = page.locator('[data-testid=routing][data-active=true]').first();
		await card.getByTestId('edit-routing').click();
		const form = page.getByTestId('routing-form');
		await form.getByTestId('f-hours').nth(2).fill('0');
		await form.getByTestId('routing-save').click();
		const err = form.getByTestId('error-stages.2.standardHours');
		await err.waitFor();
		expect((await err.innerText()).trim()).toBe(zh.wc_err_positive);
		await screenshot(page, 'routing-editor', false);
		await page.getByRole('button', { name: zh.action_cancel }).click();
		expect(await page.getByTestId('routing-notice').count()).toBe(0);
	});

	it('prints the job cards of ticked work orders and one from its page', async () => {
		const page = await b.signedIn('planner1');
		await open(page, '/production');
		const boxes = page.locator('[data-testid=list-row] input[type=checkbox]');
		await boxes.nth(0).check();
		await boxes.nth(1).check();
		const link = page.getByTestId('print-cards');
		const href = (await link.getAttribute('href'))!;
		expect(href).toMatch(/^\/production\/cards\?ids=\d+,\d+$/);
		const res = await page.request.get(href);
		expect(res.headers()['content-type']).toBe('application/pdf');
		expect((await res.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');

		await page.locator('[data-testid=list-row] a[href^="/production/"]').first().click();
		await page.getByTestId('job-card').waitFor();
		const one = await page.request.get((await page.getByTestId('job-card').getAttribute('href'))!);
		expect(one.status()).toBe(200);
		const tooMany = await page.request.get(`/production/cards?ids=${Array.from({ length: 101 }, (_, i) => i + 1).join(',')}`);
		expect(tooMany.status()).toBe(400);
		expect((await tooMany.json()).error.message).toContain('100');
	});
});
