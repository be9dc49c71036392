import { describe, expect, inject, it } from 'vitest';
import { HttpClient, loopback } from '../helpers/http-client';

/**
 * The dispatcher's API against the built server: suggestions with reasons, an assignment, a
 * stale one answered 409 with the job as it is now, bad input answered 400 in the caller's
 * language, and who may do what.
 */
const baseUrl = inject('baseUrl');

async function as(username: string, n: number): Promise<HttpClient> {
	const c = new HttpClient(baseUrl, loopback(n));
	await c.login(username);
	return c;
}

describe('dispatch over HTTP', () => {
	it('suggests, assigns, refuses a stale or bad request, and keeps others out', async () => {
		const d = await as('dispatcher1', 191);
		const list = (
			await d.get('/api/v1/installation-jobs?status=unassigned&companyId=1&pageSize=5')
		).json() as {
			rows: { id: number; version: number; companyId: number }[];
		};
		expect(list.rows.length).toBeGreaterThan(0);
		const job = list.rows[0];
		const sug = await d.get(`/api/v1/installation-jobs/${job.id}/suggestions`);
		expect(sug.status).toBe(200);
		const { suggestions } = sug.json() as {
			suggestions: { crewId: number; eligible: boolean; reasons: string[] }[];
		};
		const best = suggestions.find((s) => s.eligible);
		expect(best, 'an eligible crew for a demo job').toBeTruthy();
		expect(best!.reasons.length).toBeGreaterThanOrEqual(3);

		const bad = await d.post(
			`/api/v1/installation-jobs/${job.id}/assign`,
			{ crewId: best!.crewId, version: job.version, extra: 1 },
			{ origin: baseUrl }
		);
		expect(bad.status).toBe(400);
		const ok = await d.post(
			`/api/v1/installation-jobs/${job.id}/assign`,
			{ crewId: best!.crewId, version: job.version },
			{ origin: baseUrl }
		);
		expect(ok.status).toBe(200);
		expect(ok.json()).toMatchObject({ job: { status: 'assigned', crewId: best!.crewId } });
		const stale = await d.post(
			`/api/v1/installation-jobs/${job.id}/assign`,
			{ crewId: best!.crewId, version: job.version },
			{ origin: baseUrl }
		);
		expect(stale.status).toBe(409);
		expect(stale.json()).toMatchObject({ error: { code: 'conflict' } });

		const plan = await d.post(
			`/api/v1/installation-jobs/${job.id}/plan`,
			{ version: job.version + 1, lat: 95, lng: 121 },
			{ origin: baseUrl }
		);
		expect(plan.status).toBe(400);
		// The message is in the dispatcher's language (another test may have switched it); the field is named.
		expect(
			(plan.json() as { error: { issues: { path: string; message: string }[] } }).error.issues[0]
		).toMatchObject({
			path: 'lat',
			message: expect.stringMatching(/超出范围|out of range/)
		});

		expect((await d.get('/api/v1/crews/timeline?days=7')).status).toBe(200);
		expect((await d.get('/api/v1/crews/timeline?days=999')).status).toBe(400);
		const crews = (await d.get('/api/v1/crews')).json() as { crews: { id: number; version?: number }[] };
		expect(crews.crews.length).toBeGreaterThan(0);

		// An installer reads suggestions but may not assign; a sales rep reads their company's only.
		const installer = await as('installer1', 192);
		expect((await installer.get(`/api/v1/installation-jobs/${job.id}/suggestions`)).status).toBe(200);
		expect(
			(
				await installer.post(
					`/api/v1/installation-jobs/${job.id}/unassign`,
					{ version: job.version + 1 },
					{ origin: baseUrl }
				)
			).status
		).toBe(403);
		const sales = await as('sales1', 193);
		const own = await sales.get(`/api/v1/installation-jobs/${job.id}/suggestions`);
		expect(own.status).toBe(200); // the job is in sales1's company 1
		expect(
			(await sales.post(`/api/v1/installation-jobs/${job.id}/unassign`, { version: 1 }, { origin: baseUrl }))
				.status
		).toBe(403);

		const back = await d.post(
			`/api/v1/installation-jobs/${job.id}/unassign`,
			{ version: job.version + 1 },
			{ origin: baseUrl }
		);
		expect(back.status).toBe(200);
	});
});
