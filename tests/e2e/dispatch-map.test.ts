import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { open, screenshot, useBrowser, zh } from '../helpers/browser';

/**
 * The dispatcher's map in real Chromium with no map tiles reachable (every tile request is
 * refused): the markers still draw; a dispatcher picks an unassigned job, sees the crews ranked
 * with their reasons and assigns one; a second dispatcher's map shows the first one on the job
 * and the job's new status without a reload. A job dropped on a crew's timeline row is assigned too.
 */
const TILES = /tile\.openstreetmap\.org|\{s\}\.tile/;

async function openMap(page: Page): Promise<void> {
	await page.context().route(TILES, (r) => r.abort());
	await page.setViewportSize({ width: 1366, height: 768 });
	await open(page, '/installation/dispatch');
	await page.locator('[data-testid=dispatch][data-ready=true]').waitFor();
	// Same document from here on: nothing below may reload the page.
	await page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
}

const jobItem = (page: Page, id: number | string) =>
	page.locator(`[data-testid=dispatch-job][data-job="${id}"]`);
const stillSameDocument = async (page: Page) =>
	expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);

/** The first unassigned job (from `skip` on) that has a crew able to take it, and that crew. */
async function assignable(page: Page, skip = 0): Promise<{ jobId: string; crewId: string }> {
	const items = page.locator('[data-testid=dispatch-job][data-status=unassigned]');
	const n = await items.count();
	for (let i = skip; i < n; i++) {
		const item = items.nth(i);
		const jobId = (await item.getAttribute('data-job'))!;
		await item.click();
		const panel = page.locator(`[data-testid=dispatch-panel][data-job="${jobId}"]`);
		await panel.locator('[data-testid=suggestion], [data-testid=suggestions-error]').first().waitFor();
		const first = panel.locator('[data-testid=suggestion]').first();
		if ((await first.count()) && (await first.getAttribute('data-eligible')) === 'true')
			return { jobId, crewId: (await first.getAttribute('data-crew'))! };
	}
	throw new Error('no unassigned job with an eligible crew on the map');
}

describe('dispatch map', () => {
	const b = useBrowser();

	it('draws without tiles, ranks crews with reasons, assigns; another dispatcher sees the presence and the change live', async () => {
		const one = await b.signedIn('dispatcher1');
		await openMap(one);
		// Markers without tiles: clusters and crew squares are drawn as HTML, no image needed.
		expect(await one.locator('.leaflet-marker-icon').count()).toBeGreaterThan(3);
		expect(await one.locator('.dm-square[data-key^="c:"]').count()).toBeGreaterThan(0);
		expect(await one.locator('.leaflet-tile-loaded').count()).toBe(0);
		await expect.poll(() => one.getByTestId('dispatch-job').count()).toBeGreaterThan(10);
		await screenshot(one, 'dispatch-map', false);

		const { jobId, crewId } = await assignable(one);
		const panel = one.getByTestId('dispatch-panel');
		const suggestions = panel.getByTestId('suggestion');
		expect(await suggestions.count()).toBeGreaterThan(1);
		// Ranked: the eligible crews first, each with its reasons (certificates, distance, load).
		const eligible = await suggestions.evaluateAll((els) => els.map((e) => e.getAttribute('data-eligible')));
		const firstIneligible = eligible.indexOf('false');
		if (firstIneligible >= 0) expect(eligible.slice(firstIneligible)).not.toContain('true');
		const reasons = await suggestions.first().getByTestId('reasons').locator('li').allInnerTexts();
		expect(reasons.length).toBeGreaterThanOrEqual(3);
		expect(reasons.join(' ')).toMatch(/km/);

		// A second dispatcher opens the same job and sees the first one there.
		const two = await b.signedIn('admin');
		await openMap(two);
		await jobItem(two, jobId).click();
		await two
			.locator(`[data-testid=dispatch-panel][data-job="${jobId}"] [data-testid=viewer]`)
			.filter({ hasText: '徐晓东' })
			.waitFor();
		await one
			.locator('[data-testid=dispatch-panel] [data-testid=viewer]')
			.filter({ hasText: '周建国' })
			.waitFor();
		await screenshot(one, 'dispatch-suggestions', false);

		await panel.locator(`[data-testid=suggestion][data-crew="${crewId}"] [data-testid=assign]`).click();
		await one.locator('[data-testid=dispatch-note].ok').waitFor();
		await expect.poll(() => jobItem(one, jobId).getAttribute('data-status')).toBe('assigned');
		expect(await jobItem(one, jobId).getAttribute('data-crew')).toBe(crewId);

		// The other map follows without a reload: the list item and the open panel.
		await expect.poll(() => jobItem(two, jobId).getAttribute('data-status')).toBe('assigned');
		expect(await jobItem(two, jobId).getAttribute('data-crew')).toBe(crewId);
		await expect.poll(() => two.getByTestId('panel-status').innerText()).toBe(zh.inst_assigned);
		await stillSameDocument(two);
		await screenshot(two, 'dispatch-live', false);
		await one.context().close();
		await two.context().close();
	});

	it('assigns a job dropped on a crew’s timeline row or its square on the map, and says why a drop is refused', async () => {
		const page = await b.signedIn('dispatcher1');
		await openMap(page);
		const first = await assignable(page, 1);
		const row = (crewId: string) =>
			page.locator(`[data-testid=crew-timeline] [data-testid=dispatch-crew][data-crew="${crewId}"]`);
		await jobItem(page, first.jobId).dragTo(row(first.crewId));
		await page.locator('[data-testid=dispatch-note].ok').waitFor();
		await expect.poll(() => jobItem(page, first.jobId).getAttribute('data-crew')).toBe(first.crewId);
		const crewName = await page
			.locator(`[data-testid=suggestion][data-crew="${first.crewId}"] b`)
			.first()
			.innerText();
		await expect.poll(() => page.getByTestId('panel-crew').innerText()).toBe(crewName);

		// A list item dropped on a crew's square on the map.
		const second = await assignable(page, 1);
		const drop = async (jobId: string, target: ReturnType<Page['locator']>) => {
			const data = await page.evaluateHandle((id) => {
				const d = new DataTransfer();
				d.setData('application/x-dispatch-job', id);
				return d;
			}, jobId);
			await target.dispatchEvent('dragover', { dataTransfer: data });
			await target.dispatchEvent('drop', { dataTransfer: data });
		};
		await drop(second.jobId, page.locator(`.dm-square[data-key="c:${second.crewId}"]`));
		await expect.poll(() => jobItem(page, second.jobId).getAttribute('data-crew')).toBe(second.crewId);

		// A crew of another company: refused with the reason, nothing written, the job still open.
		const third = await assignable(page, 1);
		const cookie = (await page.context().cookies()).map((c) => `${c.name}=${c.value}`).join('; ');
		const read = (q: string) =>
			fetch(`${b.baseUrl}/api/v1/installation/board?${q}`, { headers: { cookie } }).then(
				(r) =>
					r.json() as Promise<{
						jobs: { id: number; companyId: number }[];
						crews: { id: number; companyId: number }[];
					}>
			);
		const { jobs, crews } = await read('kinds=jobs,crews');
		const jobCompany = jobs.find((j) => String(j.id) === third.jobId)!.companyId;
		const outsider = crews.find((c) => c.companyId !== jobCompany)!;
		await jobItem(page, third.jobId).dragTo(row(String(outsider.id)));
		const note = page.locator('[data-testid=dispatch-note].error');
		await note.waitFor();
		expect(await note.innerText()).toBe(zh.disp_crew_unknown);
		expect(await jobItem(page, third.jobId).getAttribute('data-status')).toBe('unassigned');
		await page.locator(`[data-testid=dispatch-panel][data-job="${third.jobId}"]`).waitFor();
		await stillSameDocument(page);
		await page.context().close();
	});
});
