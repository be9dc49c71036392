import { describe, expect, it, beforeAll, inject } from 'vitest';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { ROUTE_ACCESS } from '../../src/lib/server/authz/routes';
import { HttpClient, signedIn, isErrorBody, loopback } from '../helpers/http-client';
import { addSitePhoto } from '../helpers/field';

/**
 * Every route on disk is listed in ROUTE_ACCESS (and nothing else is), and the guard really
 * enforces it: signed out, the API says 401 and pages send to /login; signed in without the
 * route's permission, 403 — for every method of every endpoint and every form action.
 */
const ROUTES = join(process.cwd(), 'src', 'routes');
const ROUTE_FILES = ['+page.server.ts', '+page.svelte', '+server.ts'];
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;

interface RouteOnDisk {
	id: string;
	dir: string;
	files: string[];
	/** Exported handlers of +server.ts. */
	methods: string[];
	/** Named form actions of +page.server.ts ('default' for the unnamed one). */
	actions: string[];
	isPage: boolean;
}

function walk(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = join(dir, name);
		return statSync(p).isDirectory() ? walk(p) : [p];
	});
}

function routesOnDisk(): RouteOnDisk[] {
	const byDir = new Map<string, string[]>();
	for (const file of walk(ROUTES)) {
		const name = file.slice(file.lastIndexOf(sep) + 1);
		if (!ROUTE_FILES.includes(name)) continue;
		const dir = file.slice(0, file.lastIndexOf(sep));
		byDir.set(dir, [...(byDir.get(dir) ?? []), name]);
	}
	return [...byDir].map(([dir, files]) => {
		const rel = relative(ROUTES, dir).split(sep).join('/');
		const read = (f: string) => (files.includes(f) ? readFileSync(join(dir, f), 'utf8') : '');
		const server = read('+server.ts');
		const methods = [...server.matchAll(/export\s+(?:const|async\s+function|function)\s+([A-Z]+)\b/g)].map(
			(m) => m[1]
		);
		const pageServer = read('+page.server.ts');
		const actionsAt = pageServer.search(/export\s+const\s+actions\b/);
		const actions =
			actionsAt < 0 ? [] : [...pageServer.slice(actionsAt).matchAll(/^\t(\w+)\s*:/gm)].map((m) => m[1]);
		return {
			id: '/' + rel,
			dir,
			files,
			methods,
			actions,
			isPage: files.includes('+page.svelte') || files.includes('+page.server.ts')
		};
	});
}

/** Ids for routes about other records than orders (set once the server answers). */
const ids = { workOrder: 0, customer: 0, draftOrder: 0, installationJob: 0, photo: 0, serviceTicket: 0 };

/** The URL of a route id: groups dropped, [id] filled in (an order's, or the record the route is about). */
function pathOf(id: string, orderId: number): string {
	// Work centres, routings, devices and alerts: the demo's first (a terminal's station is a work centre).
	if (/\/(work-centres|routings|devices|alerts)\/|\[station\]/.test(id))
		return id.replace(/\[(id|station)\]/, '1').replace(/\/\([^/]+\)/g, '');
	// Installation jobs (office page, phone page, API) and a site photo: the demo's own.
	// A service ticket (page and API): the demo's own.
	const record = /\/(service|service-tickets)\/\[id\]/.test(id)
		? ids.serviceTicket
		: /\/installation-photos\//.test(id)
			? ids.photo
			: /\/(installation|installation-jobs|field)\/\[id\]/.test(id)
				? ids.installationJob
				: /\/(production|work-orders)\//.test(id)
					? ids.workOrder
					: /\/customers\//.test(id)
						? ids.customer
						: /\/orders\/\[id\]\/edit/.test(id)
							? ids.draftOrder
							: orderId;
	const p = id
		.split('/')
		.filter((s) => !/^\(.+\)$/.test(s))
		.join('/')
		.replace('[id]', String(record));
	return p === '' ? '/' : p;
}

const ON_DISK = routesOnDisk();

describe('ROUTE_ACCESS', () => {
	it('finds the routes on disk', () => {
		expect(ON_DISK.map((r) => r.id)).toEqual(
			expect.arrayContaining(['/(app)', '/(app)/orders/[id]', '/api/v1/orders', '/login'])
		);
		expect(ON_DISK.find((r) => r.id === '/(app)/account')?.actions.sort()).toEqual([
			'createToken',
			'revokeToken'
		]);
		expect(ON_DISK.find((r) => r.id === '/logout')?.actions).toContain('everywhere');
		expect(ON_DISK.find((r) => r.id === '/api/v1/me/locale')?.methods).toEqual(['PUT']);
	});

	it('lists every route on disk', () => {
		const missing = ON_DISK.map((r) => r.id).filter((id) => !(id in ROUTE_ACCESS));
		expect(missing).toEqual([]);
	});

	it('lists no route that does not exist', () => {
		const onDisk = new Set(ON_DISK.map((r) => r.id));
		expect(Object.keys(ROUTE_ACCESS).filter((id) => !onDisk.has(id))).toEqual([]);
	});

	it('keeps the API and the pages of one area under the same permission', () => {
		expect(ROUTE_ACCESS['/(app)/orders']).toBe(ROUTE_ACCESS['/api/v1/orders']);
		expect(ROUTE_ACCESS['/(app)/orders/[id]']).toBe(ROUTE_ACCESS['/api/v1/orders/[id]']);
		expect(ROUTE_ACCESS['/(app)/production']).toBe(ROUTE_ACCESS['/api/v1/work-orders']);
		expect(ROUTE_ACCESS['/(app)/installation']).toBe(ROUTE_ACCESS['/api/v1/installation-jobs']);
		expect(ROUTE_ACCESS['/(app)/service']).toBe(ROUTE_ACCESS['/api/v1/service-tickets']);
		expect(ROUTE_ACCESS['/(app)/stock']).toBe(ROUTE_ACCESS['/api/v1/stock-items']);
		expect(ROUTE_ACCESS['/(app)/customers']).toBe(ROUTE_ACCESS['/api/v1/customers']);
	});

	it('makes public only sign-in, setup, device enrolment and the health check', () => {
		const pub = Object.entries(ROUTE_ACCESS)
			.filter(([, a]) => a === 'public')
			.map(([id]) => id)
			.sort();
		// A terminal or wall display enrols with a one-time code before anyone signs in at it.
		expect(pub).toEqual([
			'/api/v1/auth/login',
			'/api/v1/devices/enrol',
			'/device',
			'/healthz',
			'/login',
			'/setup'
		]);
	});
});

describe('the guard, over HTTP', () => {
	const baseUrl = inject('baseUrl');
	const address = loopback(1);
	const guarded = ON_DISK.filter((r) => ROUTE_ACCESS[r.id] !== 'public');
	let orderId: number;
	let orderNumber: string;
	let admin: HttpClient;
	const anon = () => new HttpClient(baseUrl, address);

	beforeAll(async () => {
		admin = await signedIn(baseUrl, 'admin', address);
		const res = await admin.get('/api/v1/orders?pageSize=1');
		expect(res.status).toBe(200);
		orderId = res.json().rows[0].id;
		orderNumber = res.json().rows[0].number;
		ids.workOrder = (await admin.get('/api/v1/work-orders?pageSize=1')).json().rows[0].id;
		ids.customer = (await admin.get('/api/v1/customers?pageSize=1')).json().rows[0].id;
		ids.draftOrder = (await admin.get('/api/v1/orders?pageSize=1&status=draft')).json().rows[0].id;
		ids.installationJob = (await admin.get('/api/v1/installation-jobs?pageSize=1')).json().rows[0].id;
		ids.serviceTicket = (await admin.get('/api/v1/service-tickets?pageSize=1')).json().rows[0].id;
		ids.photo = await addSitePhoto(await signedIn(baseUrl, 'installer1', address));
	});

	/** What a page route can receive: GET, and a POST for each form action (or one plain POST). */
	const posts = (r: RouteOnDisk) =>
		(r.actions.length ? r.actions : ['default']).map((a) => (a === 'default' ? '' : `?/${a}`));

	describe('signed out', () => {
		it.each(guarded.filter((r) => !r.isPage))('answers 401 JSON for every method of $id', async (r) => {
			expect(r.methods.length).toBeGreaterThan(0);
			for (const method of r.methods) {
				const res = await anon().request(method, pathOf(r.id, orderId), method === 'GET' ? {} : { json: {} });
				expect(res.status, `${method} ${r.id}`).toBe(401);
				const body = res.json();
				expect(isErrorBody(body)).toBe(true);
				expect(body.error.code).toBe('unauthenticated');
			}
		});

		it.each(guarded.filter((r) => !r.isPage))(
			'answers 401 for methods $id does not export too',
			async (r) => {
				for (const method of METHODS.filter((m) => !r.methods.includes(m))) {
					const res = await anon().request(
						method,
						pathOf(r.id, orderId),
						method === 'GET' ? {} : { json: {} }
					);
					expect([401, 405], `${method} ${r.id}`).toContain(res.status);
				}
			}
		);

		it.each(guarded.filter((r) => r.isPage))(
			'sends a page view of $id to sign-in, remembering where it was going',
			async (r) => {
				const path = pathOf(r.id, orderId);
				const res = await anon().get(path);
				expect(res.status).toBe(303);
				// Terminals and wall displays go to device enrolment, everything else to sign-in.
				const signIn = /^\/(terminal|wall)\//.test(path) ? '/device' : '/login';
				const expected = path === '/' ? '/login' : `${signIn}?next=${encodeURIComponent(path)}`;
				expect(res.header('location')).toBe(expected);
			}
		);

		it.each(guarded.filter((r) => r.isPage))(
			'keeps the query string in the sign-in link of $id',
			async (r) => {
				const path = pathOf(r.id, orderId) + '?page=2&q=a%26b';
				const res = await anon().get(path);
				expect(res.status).toBe(303);
				expect(new URL(res.header('location')!, baseUrl).searchParams.get('next')).toBe(
					pathOf(r.id, orderId) + '?page=2&q=a%26b'
				);
			}
		);

		it.each(guarded.filter((r) => r.isPage))('refuses every form post to $id with 401', async (r) => {
			for (const action of posts(r)) {
				const res = await anon().form(pathOf(r.id, orderId) + action, { name: 'x', id: '1' });
				expect(res.status, `${r.id}${action}`).toBe(401);
				expect(res.header('location')).toBeUndefined();
			}
		});

		it.each(guarded.filter((r) => r.isPage))('leaks no data through the data endpoint of $id', async (r) => {
			const path = pathOf(r.id, orderId);
			const res = await anon().get(`${path === '/' ? '' : path}/__data.json`);
			expect(res.status).toBeLessThan(500);
			expect(res.text).not.toContain(orderNumber);
			expect(res.text).not.toContain('"rows"');
		});
	});

	describe('signed in without the permission', () => {
		const POOL = ['shopfloor1', 'installer1', 'storekeeper1', 'sales1'];
		const clients = new Map<string, { client: HttpClient; permissions: string[] }>();
		const withPermission = guarded.filter((r) => ROUTE_ACCESS[r.id] !== 'signed-in');

		beforeAll(async () => {
			for (const username of POOL) {
				const client = await signedIn(baseUrl, username, address);
				const me = await client.get('/api/v1/me');
				clients.set(username, { client, permissions: me.json().user.permissions });
			}
		});

		const lacking = (r: RouteOnDisk) =>
			[...clients]
				.filter(([, c]) => !c.permissions.includes(ROUTE_ACCESS[r.id]))
				.map(([name, c]) => ({ name, client: c.client }));

		it('has, for every permission a route needs, a demo user lacking it', () => {
			for (const r of withPermission)
				expect(lacking(r).length, `${r.id} needs ${ROUTE_ACCESS[r.id]}`).toBeGreaterThan(0);
			expect(clients.get('shopfloor1')!.permissions).not.toContain('orders.read');
			expect(clients.get('installer1')!.permissions).not.toContain('orders.read');
			expect(clients.get('storekeeper1')!.permissions).not.toContain('customers.read');
		});

		it.each(withPermission.filter((r) => !r.isPage))(
			'answers 403 JSON for every method of $id',
			async (r) => {
				for (const { name, client } of lacking(r))
					for (const method of r.methods) {
						const res = await client.request(
							method,
							pathOf(r.id, orderId),
							method === 'GET' ? {} : { json: {} }
						);
						expect(res.status, `${name}: ${method} ${r.id}`).toBe(403);
						expect(res.json().error.code).toBe('forbidden');
						expect(res.text).not.toContain(orderNumber);
					}
			}
		);

		it.each(withPermission.filter((r) => r.isPage))('answers 403 to a page view of $id', async (r) => {
			for (const { name, client } of lacking(r)) {
				const res = await client.get(pathOf(r.id, orderId));
				expect(res.status, `${name}: ${r.id}`).toBe(403);
				expect(res.text).not.toContain(orderNumber);
			}
		});

		it.each(withPermission.filter((r) => r.isPage))('refuses every form post to $id with 403', async (r) => {
			for (const { name, client } of lacking(r))
				for (const action of posts(r)) {
					const res = await client.form(pathOf(r.id, orderId) + action, { name: 'x', id: '1' });
					expect(res.status, `${name}: ${r.id}${action}`).toBe(403);
				}
		});

		it.each(withPermission.filter((r) => r.isPage))(
			'leaks no data through the data endpoint of $id',
			async (r) => {
				for (const { client } of lacking(r)) {
					const res = await client.get(`${pathOf(r.id, orderId)}/__data.json`);
					expect(res.status).toBeLessThan(500);
					expect(res.text).not.toContain(orderNumber);
					expect(res.text).not.toContain('"rows"');
				}
			}
		);
	});

	describe('signed in with the permission', () => {
		it.each(guarded)('lets an administrator reach $id', async (r) => {
			const path = pathOf(r.id, orderId);
			if (r.isPage) {
				const res = await admin.get(path);
				// /logout has no page of its own: its view sends home.
				expect(res.status, r.id).toBe(r.id === '/logout' ? 303 : 200);
			} else if (r.methods.includes('GET')) {
				const res = await admin.get(path);
				// A terminal's own API answers only beside a terminal's device cookie.
				expect(res.status, r.id).toBe(r.id.startsWith('/api/v1/terminal/') ? 403 : 200);
			}
		});
	});
});
