import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { apiSession, open, screenshot, useBrowser } from '../helpers/browser';
import { TINY_PNG } from '../helpers/field';

/**
 * The installer's phone app in real Chromium beside a dispatcher's office page: reports made
 * while the phone is offline wait in its outbox, go out when the network returns, and show on
 * the dispatcher's job page without a reload; the server ends with exactly those reports. A job
 * the dispatcher assigns to the installer's crew appears on the open phone list by itself.
 */
const STAGES = ['survey', 'guide_rails', 'machine', 'wiring', 'commissioning', 'inspection', 'handover'];
type Stages = Record<string, number>;
interface FieldJob {
	id: number;
	number: string;
	status: string;
	stages: Stages;
}

const live = (page: Page) => page.locator('[data-testid=live-status][data-status=live]').waitFor();
const mark = (page: Page) => page.evaluate(() => ((window as unknown as { __kept: number }).__kept = 1));
const stillSameDocument = async (page: Page) =>
	expect(await page.evaluate(() => (window as unknown as { __kept?: number }).__kept)).toBe(1);
const outbox = (page: Page, count: number) =>
	page.locator(`[data-testid=field-outbox][data-count="${count}"]`).waitFor();
const nextStage = (s: Stages) => STAGES.find((x) => s[x] < 100)!;

async function report(page: Page, percent: number, note: string, photo = false) {
	const form = page.getByTestId('report-form');
	await form.getByTestId('report-percent').fill(String(percent));
	await form.getByTestId('report-note').fill(note);
	if (photo) {
		await form
			.getByTestId('photo-input')
			.setInputFiles({ name: 'site.png', mimeType: 'image/png', buffer: TINY_PNG });
		await form.locator('.thumbs img').waitFor();
	}
	await form.getByTestId('report-send').click();
}

describe('installer phone app', () => {
	const b = useBrowser();

	it('reports stages offline; back online the dispatcher’s job page shows them without a reload, and the server has exactly those', async () => {
		const phone = await b.signedIn('installer1', 'phone');
		// An installer's home is the phone app.
		expect(new URL(phone.url()).pathname).toBe('/field');
		const list = await (await phone.context().request.get('/api/v1/field/jobs')).json();
		const job: FieldJob = list.jobs.find(
			(j: FieldJob) => j.status === 'in_progress' && nextStage(j.stages) !== 'handover'
		);
		expect(job, 'an in-progress job of crew 1').toBeTruthy();
		await phone.locator(`[data-testid=field-job][data-job="${job.id}"]`).waitFor();
		await live(phone);
		await screenshot(phone, 'field-today-phone', false);

		const desk = await b.signedIn('dispatcher1');
		await open(desk, `/installation/${job.id}`);
		await desk.getByTestId('installation-job').waitFor();
		await live(desk);
		await mark(desk);
		const entries = desk.getByTestId('progress-entry');
		const before = await entries.count();

		await phone.locator(`[data-testid=field-job][data-job="${job.id}"] a.open`).click();
		await phone.getByTestId('field-job-page').waitFor();
		await live(phone);
		const stage = nextStage(job.stages);
		const now = job.stages[stage];
		const first = Math.min(99, now + 10);

		await phone.context().setOffline(true);
		await report(phone, first, 'e2e 离线上报 1', true);
		await outbox(phone, 1);
		await phone
			.locator(`[data-testid=stage][data-stage=${stage}][data-percent="${first}"][data-queued=true]`)
			.waitFor();
		await report(phone, 100, 'e2e 离线上报 2');
		await outbox(phone, 2);
		// The stage is done on the phone at once, and the next one is up for reporting.
		await phone.locator(`[data-testid=stage][data-stage=${stage}][data-percent="100"]`).waitFor();
		const after = STAGES[STAGES.indexOf(stage) + 1];
		await phone.locator(`[data-testid=report-form][data-stage=${after}]`).waitFor();
		await phone.getByTestId('problem-form').locator('summary').click();
		await phone.getByTestId('problem-text').fill('e2e 井道尺寸偏差');
		await phone.getByTestId('problem-send').click();
		await outbox(phone, 3);
		expect(await phone.getByTestId('queued-entry').count()).toBe(3);
		// Sticky bars stay on top of a full-page picture only when it is taken from the top.
		await phone.evaluate(() => window.scrollTo(0, 0));
		await screenshot(phone, 'field-job-phone', true);
		// Nothing has reached the office yet.
		expect(await entries.count()).toBe(before);
		// Still offline, the list and the job open from the phone's saved copies.
		await phone.locator('a.back').click();
		await phone.getByTestId('field-saved-copy').waitFor();
		await phone.locator(`[data-testid=field-job][data-job="${job.id}"][data-queued="3"]`).waitFor();
		await phone.locator(`[data-testid=field-job][data-job="${job.id}"] a.open`).click();
		await phone.getByTestId('field-job-page').waitFor();
		await phone.getByTestId('field-saved-copy').waitFor();
		expect(await phone.getByTestId('queued-entry').count()).toBe(3);
		await outbox(phone, 3);

		await phone.context().setOffline(false);
		await outbox(phone, 0);
		await desk.locator('[data-testid=progress-entry]', { hasText: 'e2e 井道尺寸偏差' }).waitFor();
		await desk.locator('[data-testid=progress-entry]', { hasText: 'e2e 离线上报 1' }).waitFor();
		expect(await entries.count()).toBe(before + 3);
		await stillSameDocument(desk);
		await desk.getByTestId('open-problem').waitFor();
		await desk.getByTestId('progress-photo').first().waitFor();
		await screenshot(desk, 'installation-job', true);

		// The server ends with exactly those three reports, each once, in the order made.
		const actions = await (await phone.context().request.get('/api/v1/field/actions')).json();
		const mine = actions.slice(0, 3).reverse();
		expect(
			mine.map((a: { jobId: number; action: string; outcome: string }) => [a.jobId, a.action, a.outcome])
		).toEqual([
			[job.id, 'progress', 'applied'],
			[job.id, 'progress', 'applied'],
			[job.id, 'problem', 'applied']
		]);
		expect(new Set(mine.map((a: { key: string }) => a.key)).size).toBe(3);
		const cookie = await apiSession(b.baseUrl, 'dispatcher1');
		const detail = await (
			await fetch(`${b.baseUrl}/api/v1/installation-jobs/${job.id}`, { headers: { cookie } })
		).json();
		const newest = detail.progress.slice(0, 3).reverse();
		expect(newest.map((p: { stage: string; percent: number }) => [p.stage, p.percent])).toEqual([
			[stage, first],
			[stage, 100],
			[after, 0]
		]);
		expect(newest.map((p: { note: string | null; problem: string | null }) => p.note ?? p.problem)).toEqual([
			'e2e 离线上报 1',
			'e2e 离线上报 2',
			'e2e 井道尺寸偏差'
		]);
		expect(detail.progress.length).toBe(before + 3);
		// The photo was downscaled to a JPEG in the browser, and is served as one.
		const photo = await fetch(`${b.baseUrl}/api/v1/installation-photos/${newest[0].photoIds[0]}`, {
			headers: { cookie }
		});
		expect(photo.headers.get('content-type')).toBe('image/jpeg');
		expect(new Uint8Array(await photo.arrayBuffer()).slice(0, 3)).toEqual(new Uint8Array([0xff, 0xd8, 0xff]));
		await phone.context().close();
		await desk.context().close();
	});

	it('shows a job the dispatcher assigns to the crew on the open list, without a reload, and drops it when taken back', async () => {
		const phone = await b.signedIn('installer1', 'phone');
		await live(phone);
		await mark(phone);
		const crewId = (await (await phone.context().request.get('/api/v1/field/jobs')).json()).crew.id as number;
		const cookie = await apiSession(b.baseUrl, 'dispatcher1');
		const call = async (path: string, body?: unknown) => {
			const res = await fetch(`${b.baseUrl}${path}`, {
				method: body === undefined ? 'GET' : 'POST',
				headers: { cookie, 'content-type': 'application/json', origin: b.baseUrl },
				body: body === undefined ? undefined : JSON.stringify(body)
			});
			return { status: res.status, json: await res.json() };
		};
		const open = await call('/api/v1/installation-jobs?status=unassigned&companyId=1&pageSize=50');
		let target: { id: number; version: number } | null = null;
		for (const row of open.json.rows as { id: number; version: number }[]) {
			const s = await call(`/api/v1/installation-jobs/${row.id}/suggestions`);
			if (
				s.json.suggestions?.some(
					(x: { crewId: number; eligible: boolean }) => x.crewId === crewId && x.eligible
				)
			) {
				target = row;
				break;
			}
		}
		expect(target, 'an unassigned job crew 1 may take').not.toBeNull();
		const card = phone.locator(`[data-testid=field-job][data-job="${target!.id}"]`);
		expect(await card.count()).toBe(0);

		const assigned = await call(`/api/v1/installation-jobs/${target!.id}/assign`, {
			crewId,
			version: target!.version
		});
		expect(assigned.status).toBe(200);
		await card.waitFor();
		await stillSameDocument(phone);
		await phone
			.getByTestId('field-group-coming')
			.or(phone.getByTestId('field-group-today'))
			.first()
			.waitFor();

		const back = await call(`/api/v1/installation-jobs/${target!.id}/unassign`, {
			version: assigned.json.job.version
		});
		expect(back.status).toBe(200);
		await card.waitFor({ state: 'detached' });
		await stillSameDocument(phone);
		await phone.context().close();
	});
});
