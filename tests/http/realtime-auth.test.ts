import { afterEach, describe, expect, inject, it } from 'vitest';
import { io as connect, type Socket } from 'socket.io-client';
import { HttpClient, loopback } from '../helpers/http-client';

/**
 * The live connection is authenticated like the pages: the session cookie at the handshake,
 * the Origin checked on the WebSocket upgrade, and a session that ends closes its sockets.
 */
const baseUrl = inject('baseUrl');
const open: Socket[] = [];
afterEach(() => {
	for (const s of open.splice(0)) s.close();
});

function socket(headers: Record<string, string>): Socket {
	const s = connect(baseUrl, {
		transports: ['websocket'],
		forceNew: true,
		extraHeaders: headers,
		reconnection: false,
		timeout: 5000
	});
	open.push(s);
	return s;
}

/** Resolves with 'connect' or the connect error's message. */
function outcome(s: Socket): Promise<string> {
	return new Promise((resolve) => {
		if (s.connected) return resolve('connect');
		s.once('connect', () => resolve('connect'));
		s.once('connect_error', (e) => resolve(e.message));
	});
}

function disconnected(s: Socket): Promise<string> {
	return new Promise((resolve) => s.once('disconnect', (reason) => resolve(reason)));
}

async function signedIn(username: string): Promise<HttpClient> {
	const client = new HttpClient(baseUrl, loopback(41));
	const res = await client.login(username);
	expect(res.status).toBe(200);
	return client;
}

describe('socket handshake', () => {
	it('refuses a socket without a session', async () => {
		expect(await outcome(socket({}))).toBe('unauthenticated');
	});

	it('refuses a socket with an unknown or malformed session token', async () => {
		expect(await outcome(socket({ cookie: 'session=abcdefghijklmnopqrstuvwxyz234567' }))).toBe(
			'unauthenticated'
		);
		expect(await outcome(socket({ cookie: 'session=%%%' }))).toBe('unauthenticated');
	});

	it('accepts a signed-in session from this origin', async () => {
		const client = await signedIn('sales3');
		const s = socket({ cookie: `session=${client.session}`, origin: baseUrl });
		expect(await outcome(s)).toBe('connect');
	});

	it('refuses the upgrade from another origin, even with a valid cookie', async () => {
		const client = await signedIn('sales3');
		const s = socket({ cookie: `session=${client.session}`, origin: 'https://evil.example' });
		expect(await outcome(s)).not.toBe('connect');
	});
});

describe('when a session ends', () => {
	it('signing out closes that session’s sockets, not the user’s other sessions', async () => {
		const a = await signedIn('installer5');
		const b = await signedIn('installer5');
		const tokenA = a.session!;
		const sa = socket({ cookie: `session=${tokenA}` });
		const sb = socket({ cookie: `session=${b.session}` });
		expect(await outcome(sa)).toBe('connect');
		expect(await outcome(sb)).toBe('connect');
		const closed = disconnected(sa);
		expect((await a.post('/api/v1/auth/logout', {}, { origin: baseUrl })).status).toBe(200);
		expect(await closed).toBe('io server disconnect');
		expect(sb.connected).toBe(true);
		// The ended session cannot open a new socket.
		expect(await outcome(socket({ cookie: `session=${tokenA}` }))).toBe('unauthenticated');
	});

	it('signing out everywhere closes every socket of the user', async () => {
		const a = await signedIn('installer6');
		const b = await signedIn('installer6');
		const sa = socket({ cookie: `session=${a.session}` });
		const sb = socket({ cookie: `session=${b.session}` });
		expect(await outcome(sa)).toBe('connect');
		expect(await outcome(sb)).toBe('connect');
		const closed = Promise.all([disconnected(sa), disconnected(sb)]);
		expect((await a.post('/api/v1/auth/logout-all', {}, { origin: baseUrl })).status).toBe(200);
		expect(await closed).toEqual(['io server disconnect', 'io server disconnect']);
	});
});

describe('the step progress command over the API', () => {
	it('answers an unknown step with 404 and a malformed body with 400, as JSON', async () => {
		const client = await signedIn('planner1');
		const unknown = await client.post(
			'/api/v1/work-order-steps/999999999/progress',
			{ action: 'start', version: 1 },
			{ origin: baseUrl }
		);
		expect(unknown.status).toBe(404);
		expect(unknown.json().error.code).toBe('not_found');
		const bad = await client.post(
			'/api/v1/work-order-steps/1/progress',
			{ action: 'explode', version: 'x' },
			{ origin: baseUrl }
		);
		expect(bad.status).toBe(400);
		expect(
			bad
				.json()
				.error.issues.map((i: { path: string }) => i.path)
				.sort()
		).toEqual(['action', 'version']);
	});
});
