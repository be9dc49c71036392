import { describe, expect, it, beforeAll, inject } from 'vitest';
import { HttpClient, signedIn, isErrorBody, loopback } from '../helpers/http-client';
import { LIST_ENDPOINTS, isOrdered, sortValue } from './endpoints';

const CJK = /[\u4e00-\u9fff]/;
const baseUrl = inject('baseUrl');
// Sign-in failures here must not throttle the other files' sign-ins (per-address limit).
const address = loopback(2);
const client = () => new HttpClient(baseUrl, address);

describe('the JSON API', () => {
	let manager: HttpClient;

	beforeAll(async () => {
		manager = await signedIn(baseUrl, 'manager1', address);
	});

	describe('health and headers', () => {
		it('reports healthy with every migration applied', async () => {
			const res = await client().get('/healthz');
			expect(res.status).toBe(200);
			const body = res.json();
			expect(body.status).toBe('ok');
			expect(['pglite', 'postgres']).toContain(body.database);
			expect(body.migrations.upToDate).toBe(true);
			expect(body.migrations.applied).toBe(body.migrations.expected);
		});

		it('puts a server-timing header on every answer', async () => {
			for (const res of [await client().get('/healthz'), await client().get('/api/v1/me'), await manager.get('/api/v1/orders')])
				expect(res.header('server-timing')).toMatch(/^app;dur=\d+(\.\d+)?$/);
		});

		it('puts the security headers on answers and on refusals alike', async () => {
			const answers = {
				'200 healthz': await client().get('/healthz'),
				'200 list': await manager.get('/api/v1/orders'),
				'401 signed out': await client().get('/api/v1/me'),
				'403 foreign origin': await client().post('/api/v1/auth/logout', undefined, { origin: 'https://evil.example' })
			};
			for (const [what, res] of Object.entries(answers)) {
				expect(res.header('x-content-type-options'), what).toBe('nosniff');
				expect(res.header('x-frame-options'), what).toBe('DENY');
			}
		});
	});

	describe('sign-in', () => {
		it('sets an HttpOnly, SameSite session cookie and returns who signed in', async () => {
			const c = client();
			const res = await c.post('/api/v1/auth/login', { username: 'manager1', password: 'demo1234' });
			expect(res.status).toBe(200);
			expect(res.json().user.username).toBe('manager1');
			const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).find((l) => l.startsWith('session='))!;
			expect(cookie).toMatch(/HttpOnly/i);
			expect(cookie).toMatch(/SameSite=Lax/i);
			expect(cookie).toMatch(/Path=\//i);
			expect(res.text).not.toContain(c.session!);
		});

		it('gives one generic 401 for a wrong password and for an unknown user', async () => {
			const wrong = await client().post('/api/v1/auth/login', { username: 'sales2', password: 'not-it' });
			const unknown = await client().post('/api/v1/auth/login', { username: 'nobody-here', password: 'not-it' });
			expect(wrong.status).toBe(401);
			expect(unknown.status).toBe(401);
			expect(wrong.json()).toEqual(unknown.json());
			expect(isErrorBody(wrong.json())).toBe(true);
			expect(wrong.header('set-cookie') ?? '').not.toMatch(/session=[a-z2-7]/);
		});

		it('answers 429 with Retry-After on the 6th try after 5 wrong passwords, even with the right one', async () => {
			for (let i = 0; i < 5; i++) expect((await client().post('/api/v1/auth/login', { username: 'sales4', password: `no-${i}` })).status).toBe(401);
			const res = await client().post('/api/v1/auth/login', { username: 'sales4', password: 'demo1234' });
			expect(res.status).toBe(429);
			expect(res.json().error.code).toBe('rate_limited');
			expect(Number(res.header('retry-after'))).toBeGreaterThan(0);
		});

		it('refuses a form-encoded sign-in without an Origin and sets no session', async () => {
			const c = client();
			const res = await c.request('POST', '/api/v1/auth/login', { form: { username: 'planner1', password: 'demo1234' } });
			expect(res.status).toBeGreaterThanOrEqual(400);
			expect(res.status).toBeLessThan(500);
			expect(c.session).toBeUndefined();
		});

		it('answers a username with a NUL character as a failed sign-in, not a 500', async () => {
			const res = await client().post('/api/v1/auth/login', { username: 'ghost\u0000', password: 'demo1234' });
			expect([400, 401]).toContain(res.status);
		});

		it.each([
			['no body', undefined],
			['not JSON', 'username=admin'],
			['an array', '[]'],
			['missing password', '{"username":"admin"}'],
			['wrong types', '{"username":1,"password":true}']
		])('answers 400 JSON for %s', async (_what, body) => {
			const res = await client().request('POST', '/api/v1/auth/login', { body, headers: { 'content-type': 'application/json' } });
			expect(res.status).toBe(400);
			expect(res.json().error.code).toBe('invalid');
		});
	});

	describe('/me', () => {
		it('says who is signed in, with no secrets', async () => {
			const res = await manager.get('/api/v1/me');
			expect(res.status).toBe(200);
			const { user, companies } = res.json();
			expect(user.username).toBe('manager1');
			expect(user.permissions).toContain('orders.read');
			expect(companies.map((c: { id: number }) => c.id)).toEqual(user.companyIds);
			expect(res.text).not.toMatch(/password|argon2|hash/i);
		});

		it('answers 401 JSON when signed out or with a forged cookie', async () => {
			for (const cookie of [undefined, 'session=abcdefghijklmnopqrstuvwxyz234567', 'session=../../etc/passwd']) {
				const res = await client().get('/api/v1/me', cookie ? { cookie } : undefined);
				expect(res.status).toBe(401);
				expect(res.json().error.code).toBe('unauthenticated');
			}
		});
	});

	describe.each(LIST_ENDPOINTS)('GET $path', (ep) => {
		let first: { rows: Record<string, unknown>[]; total: number };

		beforeAll(async () => {
			const res = await manager.get(`${ep.path}?pageSize=20`);
			expect(res.status).toBe(200);
			first = res.json();
		});

		it('pages through the rows with a stable total', async () => {
			expect(first.total).toBeGreaterThan(20);
			expect(first.rows).toHaveLength(20);
			const second = (await manager.get(`${ep.path}?pageSize=20&page=2`)).json();
			expect(second.total).toBe(first.total);
			expect(second.page).toBe(2);
			const ids = new Set(first.rows.map((r) => r.id));
			expect(second.rows.length).toBeGreaterThan(0);
			for (const r of second.rows) expect(ids.has(r.id)).toBe(false);
			const beyond = (await manager.get(`${ep.path}?pageSize=20&page=100000`)).json();
			expect(beyond.rows).toEqual([]);
			expect(beyond.total).toBe(first.total);
		});

		it('puts a company id on every row', async () => {
			for (const r of first.rows) expect(typeof r.companyId).toBe('number');
		});

		it.each(Object.keys(ep.sorts))('sorts by %s both ways', async (key) => {
			const size = 30;
			const asc = (await manager.get(`${ep.path}?sort=${key}&dir=asc&pageSize=${size}`)).json();
			expect(asc.sort).toBe(key);
			expect(asc.dir).toBe('asc');
			const lastPage = Math.ceil(asc.total / size);
			const descLast = (await manager.get(`${ep.path}?sort=${key}&dir=desc&pageSize=${size}&page=${lastPage}`)).json();
			// Ties are broken by id in the same direction, so descending is ascending reversed.
			const tail = descLast.rows.map((r: { id: number }) => r.id).reverse();
			expect(asc.rows.slice(0, tail.length).map((r: { id: number }) => r.id)).toEqual(tail);
			const field = ep.sorts[key];
			if (field && field[1] !== 'text') {
				const desc = (await manager.get(`${ep.path}?sort=${key}&dir=desc&pageSize=${size}`)).json();
				const values = (rows: Record<string, unknown>[]) => rows.map((r) => sortValue(r[field[0]], field[1]));
				expect(isOrdered(values(asc.rows), 'asc'), `${key} asc`).toBe(true);
				expect(isOrdered(values(desc.rows), 'desc'), `${key} desc`).toBe(true);
				expect(values(asc.rows)).not.toEqual(values(desc.rows));
			}
		});

		it.runIf(ep.filter)(`filters by ${ep.filter}`, async () => {
			const value = String(first.rows[0][ep.filter!]);
			const res = (await manager.get(`${ep.path}?${ep.filter}=${encodeURIComponent(value)}&pageSize=200`)).json();
			expect(res.total).toBeGreaterThan(0);
			expect(res.total).toBeLessThanOrEqual(first.total);
			for (const r of res.rows) expect(r[ep.filter!]).toBe(value);
		});

		it('filters by company, and the companies add up to the whole', async () => {
			const me = (await manager.get('/api/v1/me')).json();
			let sum = 0;
			for (const companyId of me.user.companyIds as number[]) {
				const res = (await manager.get(`${ep.path}?companyId=${companyId}&pageSize=50`)).json();
				for (const r of res.rows) expect(r.companyId).toBe(companyId);
				sum += res.total;
			}
			expect(sum).toBe(first.total);
		});

		it('finds a row by its text', async () => {
			const row = first.rows[5];
			const res = (await manager.get(`${ep.path}?q=${encodeURIComponent(String(row[ep.searchField]))}&pageSize=200`)).json();
			expect(res.total).toBeGreaterThan(0);
			expect(res.total).toBeLessThan(first.total);
			expect(res.rows.map((r: { id: number }) => r.id)).toContain(row.id);
		});

		it('takes % and _ in the search literally', async () => {
			const res = (await manager.get(`${ep.path}?q=${encodeURIComponent('%')}`)).json();
			expect(res.total).toBeLessThan(first.total);
			const under = (await manager.get(`${ep.path}?q=_`)).json();
			expect(under.total).toBeLessThan(first.total);
		});

		it.each([
			['pageSize=201', 'pageSize'],
			['pageSize=0', 'pageSize'],
			['page=abc', 'page'],
			['sort=nope', 'sort'],
			['dir=up', 'dir'],
			['companyId=x', 'companyId'],
			['unknown=1', '']
		])('answers 400 JSON for %s', async (qs, field) => {
			const res = await manager.get(`${ep.path}?${qs}`);
			expect(res.status).toBe(400);
			const body = res.json();
			expect(body.error.code).toBe('invalid');
			expect(body.error.message.length).toBeGreaterThan(0);
			if (field) expect(body.error.issues.map((i: { path: string }) => i.path)).toContain(field);
		});

		it('answers a search with a NUL or a broken UTF-8 byte without a 500', async () => {
			for (const q of ['%00', 'a%00b', '%C0%80', '%FF']) {
				const res = await manager.get(`${ep.path}?q=${q}`);
				expect([200, 400], `q=${q}`).toContain(res.status);
			}
		});

		it('uses the first of a repeated parameter', async () => {
			const res = await manager.get(`${ep.path}?pageSize=5&pageSize=500`);
			expect(res.status).toBe(200);
			expect(res.json().rows).toHaveLength(5);
		});
	});

	describe('orders', () => {
		it('filters by order date', async () => {
			const all = (await manager.get('/api/v1/orders?sort=orderDate&dir=asc&pageSize=200')).json();
			const from = all.rows[20].orderDate as string;
			const to = all.rows[120].orderDate as string;
			const res = (await manager.get(`/api/v1/orders?from=${from}&to=${to}&pageSize=200`)).json();
			expect(res.total).toBeGreaterThan(0);
			for (const r of res.rows) {
				expect(r.orderDate >= from).toBe(true);
				expect(r.orderDate <= to).toBe(true);
			}
			const none = (await manager.get(`/api/v1/orders?from=${to}&to=${from}`)).json();
			expect(from === to || none.total === 0).toBe(true);
		});

		it.each(['0000-01-01', '2026-02-30', '20260101'])('answers the date filter %s with 200 or 400, never 500', async (day) => {
			const res = await manager.get(`/api/v1/orders?from=${day}`);
			expect([200, 400]).toContain(res.status);
		});

		it('opens one order', async () => {
			const { rows } = (await manager.get('/api/v1/orders?pageSize=1')).json();
			const res = await manager.get(`/api/v1/orders/${rows[0].id}`);
			expect(res.status).toBe(200);
			expect(res.json().order.id).toBe(rows[0].id);
			expect(res.json().order.number).toBe(rows[0].number);
		});

		it('answers 404 JSON for an order that does not exist', async () => {
			const res = await manager.get('/api/v1/orders/999999999');
			expect(res.status).toBe(404);
			expect(res.json().error.code).toBe('not_found');
		});

		it.each(['abc', '-1', '0', '1.5', '99999999999', '%20', '1%2F2'])('answers 400 JSON for the order id %s', async (id) => {
			const res = await manager.get(`/api/v1/orders/${id}`);
			expect(res.status).toBe(400);
			expect(res.json().error.code).toBe('invalid');
		});
	});

	describe('signing out', () => {
		it('ends the session on logout: the old cookie no longer works', async () => {
			const c = await signedIn(baseUrl, 'approver1', address);
			const old = c.session!;
			expect((await c.get('/api/v1/me')).status).toBe(200);
			const res = await c.post('/api/v1/auth/logout');
			expect(res.status).toBe(200);
			expect(c.session).toBeUndefined();
			const replay = await client().get('/api/v1/me', { cookie: `session=${old}` });
			expect(replay.status).toBe(401);
		});

		it('ends every other session of the user on logout-all, and no one else’s', async () => {
			const a = await signedIn(baseUrl, 'approver1', address);
			const b = await signedIn(baseUrl, 'approver1', address);
			const bystander = await signedIn(baseUrl, 'planner1', address);
			const res = await b.post('/api/v1/auth/logout-all');
			expect(res.status).toBe(200);
			expect((await a.get('/api/v1/me')).status).toBe(401);
			expect((await client().get('/api/v1/me', { cookie: `session=${b.session ?? 'gone'}` })).status).toBe(401);
			expect((await bystander.get('/api/v1/me')).status).toBe(200);
		});

		it('ends the session through the sign-out form too', async () => {
			const c = await signedIn(baseUrl, 'approver1', address);
			const other = await signedIn(baseUrl, 'approver1', address);
			const old = c.session!;
			const res = await c.form('/logout?/signout', {});
			expect(res.status).toBe(303);
			expect(res.header('location')).toBe('/login');
			expect((await client().get('/api/v1/me', { cookie: `session=${old}` })).status).toBe(401);
			expect((await other.get('/api/v1/me')).status).toBe(200);
		});

		it('ends every session through the "sign out everywhere" form', async () => {
			const a = await signedIn(baseUrl, 'approver1', address);
			const b = await signedIn(baseUrl, 'approver1', address);
			const res = await b.form('/logout?/everywhere', {});
			expect(res.status).toBe(303);
			expect(res.header('location')).toBe('/login');
			expect((await a.get('/api/v1/me')).status).toBe(401);
		});
	});

	describe('cross-site requests', () => {
		it('refuses an API write from a foreign Origin with 403 bad_origin, and the session lives on', async () => {
			const c = await signedIn(baseUrl, 'approver1', address);
			const res = await c.post('/api/v1/auth/logout', undefined, { origin: 'https://evil.example' });
			expect(res.status).toBe(403);
			expect(res.json().error.code).toBe('bad_origin');
			const site = await c.post('/api/v1/auth/logout-all', undefined, { 'sec-fetch-site': 'cross-site' });
			expect(site.status).toBe(403);
			const locale = await c.put('/api/v1/me/locale', { locale: 'en' }, { origin: 'null' });
			expect(locale.status).toBe(403);
			expect((await c.get('/api/v1/me')).status).toBe(200);
		});

		it('refuses a form post from a foreign Origin, and the session lives on', async () => {
			const c = await signedIn(baseUrl, 'approver1', address);
			const res = await c.form('/logout?/everywhere', {}, { origin: 'https://evil.example' });
			expect(res.status).toBe(403);
			expect((await c.get('/api/v1/me')).status).toBe(200);
		});

		it('sends a signed-in user to a page of this site only after signing in', async () => {
			for (const next of ['//evil.example/', '/\\evil.example', 'https://evil.example/', '/%09/evil.example', '/%0a/evil.example']) {
				const c = client();
				const res = await c.form(`/login?next=${encodeURIComponent(next).replace(/%25/g, '%')}`, { username: 'planner1', password: 'demo1234' });
				expect(res.status, next).toBe(303);
				expect(new URL(res.header('location')!, baseUrl).origin, next).toBe(baseUrl);
			}
		});
	});

	describe('API tokens', () => {
		let token: string;

		beforeAll(async () => {
			const c = await signedIn(baseUrl, 'finance1', address);
			const res = await c.form('/account?/createToken', { name: 'vitest', expiresInDays: '1' }, { 'x-sveltekit-action': 'true', accept: 'application/json' });
			expect(res.status).toBe(200);
			token = res.text.match(/eo_[a-z2-7]+/)![0];
		});

		it('authenticate a script with Authorization: Bearer', async () => {
			const res = await client().get('/api/v1/orders?pageSize=3', { authorization: `Bearer ${token}` });
			expect(res.status).toBe(200);
			expect(res.json().rows).toHaveLength(3);
			const me = (await client().get('/api/v1/me', { authorization: `Bearer ${token}` })).json();
			expect(me.user.username).toBe('finance1');
		});

		it('carry only their user’s permissions', async () => {
			const res = await client().get('/api/v1/work-orders', { authorization: `Bearer ${token}` });
			expect(res.status).toBe(403);
		});

		it.each(['eo_wrong', 'eo_abcdefghijklmnopqrstuvwxyz234567', 'not-a-token', `${'x'}`])('refuse the bad token %s with 401', async (bad) => {
			const res = await client().get('/api/v1/orders', { authorization: `Bearer ${bad}` });
			expect(res.status).toBe(401);
			expect(res.json().error.code).toBe('unauthenticated');
		});

		it('do not open pages', async () => {
			const res = await client().get('/orders', { authorization: `Bearer ${token}` });
			expect(res.status).toBe(303);
		});

		it('refuse a nameless token with 400 and create none', async () => {
			const c = await signedIn(baseUrl, 'finance1', address);
			const res = await c.form('/account?/createToken', { name: ' ' }, { 'x-sveltekit-action': 'true', accept: 'application/json' });
			expect(res.text).not.toMatch(/eo_[a-z2-7]{10,}/);
			expect(res.json().status ?? res.status).toBe(400);
		});
	});

	describe('language', () => {
		it('saves the user’s language and answers errors in it', async () => {
			const c = await signedIn(baseUrl, 'dispatcher1', address);
			const put = await c.put('/api/v1/me/locale', { locale: 'en' });
			expect(put.status).toBe(200);
			expect(put.json()).toEqual({ locale: 'en' });
			expect((await c.get('/api/v1/me')).json().user.locale).toBe('en');
			const missing = (await c.get('/api/v1/orders/999999999')).json();
			expect(missing.error.message).toBe('Not found');
			const invalid = (await c.get('/api/v1/orders?sort=nope')).json();
			expect(invalid.error.message).not.toMatch(CJK);
			// The choice follows the user to a new sign-in.
			const again = await signedIn(baseUrl, 'dispatcher1', address);
			expect((await again.get('/api/v1/orders/999999999')).json().error.message).toBe('Not found');
		});

		it('answers a Chinese-speaking user in Chinese', async () => {
			const c = await signedIn(baseUrl, 'planner1', address);
			expect((await c.get('/api/v1/me')).json().user.locale).toBe('zh-CN');
			const missing = (await c.get('/api/v1/orders/999999999')).json();
			expect(missing.error.message).toMatch(CJK);
			const invalid = (await c.get('/api/v1/orders?sort=nope&pageSize=999')).json();
			expect(invalid.error.message).toMatch(CJK);
			for (const i of invalid.error.issues) expect(i.message).toMatch(CJK);
		});

		it.each([{ locale: 'fr' }, { locale: '' }, {}, null, 'en'])('refuses %j as a language with 400', async (body) => {
			const c = await signedIn(baseUrl, 'dispatcher1', address);
			const res = await c.put('/api/v1/me/locale', body);
			expect(res.status).toBe(400);
			expect(res.json().error.code).toBe('invalid');
		});
	});
});
