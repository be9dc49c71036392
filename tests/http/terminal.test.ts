import { describe, expect, inject, it } from 'vitest';
import { HttpClient, loopback } from '../helpers/http-client';

/**
 * Terminals over HTTP against the built server: the enrolment cookie's attributes, wrong codes
 * throttled per address, a worker's session good only with its terminal's cookie, the action
 * endpoint's idempotency and answers, and revocation ending both cookies at once.
 */
const baseUrl = inject('baseUrl');
const STATION = 1;

async function planner(): Promise<HttpClient> {
	const c = new HttpClient(baseUrl, loopback(181));
	await c.login('planner1');
	return c;
}

async function register(p: HttpClient, name: string): Promise<{ id: number; code: string }> {
	const res = await p.post('/api/v1/devices', { kind: 'terminal', name, companyId: 1, workCentreId: STATION }, { origin: baseUrl });
	expect(res.status).toBe(200);
	return res.json();
}

describe('terminals over HTTP', () => {
	it('enrols with a code: an HttpOnly, SameSite=Lax device cookie for a year; wrong codes are refused, then throttled', async () => {
		const p = await planner();
		const { code } = await register(p, 'HTTP 终端 1');
		const device = new HttpClient(baseUrl, loopback(182));
		const res = await device.post('/api/v1/devices/enrol', { code }, { origin: baseUrl });
		expect(res.status).toBe(200);
		expect(res.json()).toMatchObject({ device: { kind: 'terminal', workCentreId: STATION }, redirect: `/terminal/${STATION}` });
		const cookie = [res.headers['set-cookie']].flat().find((c) => c?.startsWith('device='))!;
		expect(cookie).toMatch(/HttpOnly/i);
		expect(cookie).toMatch(/SameSite=Lax/i);
		expect(cookie).not.toMatch(/Secure/i); // plain http here
		expect(Number(cookie.match(/Max-Age=(\d+)/i)?.[1])).toBe(365 * 86_400);
		// The page now answers as the terminal, read-only until a worker signs in.
		expect((await device.get(`/terminal/${STATION}`)).status).toBe(200);
		expect((await device.post('/api/v1/terminal/actions', {}, { origin: baseUrl })).status).toBe(403);

		const guesser = new HttpClient(baseUrl, loopback(183));
		for (let i = 0; i < 5; i++) {
			const wrong = await guesser.post('/api/v1/devices/enrol', { code: `WRONG${i}AA` }, { origin: baseUrl });
			expect(wrong.status).toBe(400);
			expect(wrong.json().error.issues[0].path).toBe('code');
		}
		expect((await guesser.post('/api/v1/devices/enrol', { code }, { origin: baseUrl })).status).toBe(429);
	});

	it('signs a worker in by badge; the session works only beside its device cookie; actions are applied once', async () => {
		const p = await planner();
		const { code } = await register(p, 'HTTP 终端 2');
		const terminal = new HttpClient(baseUrl, loopback(184));
		await terminal.post('/api/v1/devices/enrol', { code }, { origin: baseUrl });
		const wrong = await terminal.post('/api/v1/terminal/sign-in', { badge: 'B10001', pin: '0000' }, { origin: baseUrl });
		expect(wrong.status).toBe(401);
		expect(wrong.json().error.message).toBe('工牌或 PIN 不正确');
		const signIn = await terminal.post('/api/v1/terminal/sign-in', { scan: 'EOB:B10001' }, { origin: baseUrl });
		expect(signIn.status).toBe(200);
		expect(signIn.json().worker.displayName).toBe('孙强');

		const jobs = (await terminal.get('/api/v1/terminal/jobs')).json();
		const job = jobs.jobs.find((j: { status: string; previousDone: boolean }) => ['ready', 'pending'].includes(j.status) && j.previousDone);
		const now = Date.now();
		const body = { key: `http-${now}-a`, stepId: job.stepId, action: 'start', occurredAt: now, sentAt: now };
		const first = await terminal.post('/api/v1/terminal/actions', body, { origin: baseUrl });
		const again = await terminal.post('/api/v1/terminal/actions', body, { origin: baseUrl });
		expect(first.json()).toMatchObject({ outcome: 'applied', step: { status: 'in_progress' } });
		expect(again.json()).toEqual({ ...first.json(), replayed: true });
		const finishFirst = await terminal.post('/api/v1/terminal/actions', { ...body, key: `http-${now}-b`, stepId: jobs.jobs.filter((j: { status: string }) => j.status === 'pending').at(-1).stepId, action: 'finish' }, { origin: baseUrl });
		expect(finishFirst.json().outcome).toBe('refused');
		const bad = await terminal.post('/api/v1/terminal/actions', { ...body, key: 'x', action: 'jump' }, { origin: baseUrl });
		expect(bad.status).toBe(400);
		expect(bad.json().error.issues.map((i: { path: string }) => i.path).sort()).toEqual(['action', 'key']);

		// The worker's session cookie alone, in another browser, is nobody.
		const stolen = new HttpClient(baseUrl, loopback(185));
		stolen.cookies.set('session', terminal.session!);
		expect((await stolen.get('/api/v1/terminal/jobs')).status).toBe(401);
		// Scanning a job card answers what it is.
		const scan = (await terminal.get(`/api/v1/terminal/jobs?scan=${encodeURIComponent(`EOJ:${job.number}`)}`)).json();
		expect(scan).toMatchObject({ kind: 'job', job: { stepId: job.stepId } });
	});

	it('revoking the device ends its cookie and the worker signed in at it', async () => {
		const p = await planner();
		const { id, code } = await register(p, 'HTTP 终端 3');
		const terminal = new HttpClient(baseUrl, loopback(186));
		await terminal.post('/api/v1/devices/enrol', { code }, { origin: baseUrl });
		await terminal.post('/api/v1/terminal/sign-in', { scan: 'EOB:B10002' }, { origin: baseUrl });
		expect((await terminal.get('/api/v1/terminal/jobs')).status).toBe(200);
		const listed = (await p.get('/api/v1/devices')).json().devices.find((d: { id: number }) => d.id === id);
		const revoked = await p.request('DELETE', `/api/v1/devices/${id}`, { json: { version: listed.version }, headers: { origin: baseUrl } });
		expect(revoked.status).toBe(200);
		const after = await terminal.get('/api/v1/terminal/jobs');
		expect(after.status).toBe(401);
		const page = await terminal.get(`/terminal/${STATION}`);
		expect(page.status).toBe(303);
		expect(page.header('location')).toBe(`/device?next=${encodeURIComponent(`/terminal/${STATION}`)}`);
	});
});
