/**
 * The approval queue and its live path, on the built app (`node server.js`) with a throwaway
 * PostgreSQL database of demo data:
 *
 *  1. queue page server time with 10,000 waiting items: GET /api/v1/approvals (the service the
 *     page uses) as approver1, default view, "mine", "overdue" and sorted by amount, and the
 *     server-rendered /approvals page itself; p50/p95 of the server's own time (server-timing)
 *     and at the client;
 *  2. approval to the rep's screen: sales1 listens with the app's LiveFeed on a socket.io-client
 *     socket; for each of N orders submitted on a two-step route, the manager's final approval is
 *     sent and the clock stops when the rep's feed applies the `order.approved` event.
 *
 *   npm run bench:approvals            # BENCH_WAITING=10000 BENCH_REQUESTS=60 BENCH_ORDERS=30
 *
 * The last line is one JSON object of the figures.
 */
import postgres from 'postgres';
import { io } from 'socket.io-client';
import { startAppServer } from '../tests/helpers/app-server';
import { signedIn, type HttpClient } from '../tests/helpers/http-client';
import { LiveFeed, type LiveEvent } from '../src/lib/live/feed';
import { progress, result } from './lib/log';
import { ADMIN_URL } from './lib/pg';
import { ensureBuild } from './lib/server';
import { summarize } from './lib/stats';

const WAITING = Number(process.env.BENCH_WAITING ?? 10_000);
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 60);
const ORDERS = Number(process.env.BENCH_ORDERS ?? 30);

ensureBuild();
process.env.TEST_DATABASE_URL = ADMIN_URL;
const server = await startAppServer();
const sql = postgres(server.databaseUrl!, { max: 2, onnotice: () => {} });
try {
	progress(`filling the queue to ${WAITING.toLocaleString('en')} waiting items`);
	await sql`
		insert into approval_steps (company_id, order_id, round, step_no, role_ids, mode, status, activated_at, due_at, response_hours, rule_name)
		select o.company_id, o.id, 100 + g, 1, array[(select id from roles where code = 'approver')], 'any', 'pending',
			now() - interval '1 hour' * (g % 48), now() + interval '1 hour' * ((g * 7) % 96 - 24), 24, 'bench'
		from (select id, company_id, row_number() over (order by id) as n from orders) o
		cross join generate_series(1, ${Math.ceil(WAITING / 100)}) g
		where o.n <= 100
		limit ${WAITING}`;
	const [{ waiting }] =
		await sql`select count(*)::int as waiting from approval_steps where status = 'pending'`;
	await sql`analyze approval_steps`;

	const approver = await signedIn(server.url, 'approver1');
	const timed = async (client: HttpClient, path: string) => {
		const server: number[] = [];
		const client_: number[] = [];
		for (let i = 0; i < REQUESTS; i++) {
			const t = performance.now();
			const res = await client.request('GET', path);
			client_.push(performance.now() - t);
			if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text.slice(0, 200)}`);
			const st = /dur=([\d.]+)/.exec(res.header('server-timing') ?? '');
			if (st) server.push(Number(st[1]));
		}
		return { server: server.length ? summarize(server) : null, client: summarize(client_) };
	};
	const queue: Record<string, unknown> = {};
	for (const [name, path] of [
		['default', '/api/v1/approvals'],
		['mine', '/api/v1/approvals?mine=true'],
		['overdue', '/api/v1/approvals?overdue=true'],
		['byAmount', '/api/v1/approvals?sort=totalAmount&dir=desc'],
		['page', '/approvals']
	] as const) {
		progress(`GET ${path} ×${REQUESTS}`);
		queue[name] = await timed(approver, path);
	}

	progress(`approval → rep's screen, ${ORDERS} orders`);
	const rep = await signedIn(server.url, 'sales1');
	const manager = await signedIn(server.url, 'manager1');
	const customers = (await rep.request('GET', '/api/v1/customers?pageSize=1&companyId=1')).json();
	const model = (await rep.request('GET', '/api/v1/catalog'))
		.json<{ id: number; code: string }[]>()
		.find((x) => x.code === 'HT-P10')!;
	const socket = io(server.url, {
		transports: ['websocket'],
		extraHeaders: { cookie: `session=${rep.session}`, origin: server.url }
	});
	const feed = new LiveFeed(socket);
	const waiters = new Map<number, (t: number) => void>();
	feed.subscribe((events: LiveEvent[]) => {
		for (const e of events) if (e.type === 'order.approved') waiters.get(e.entityId)?.(performance.now());
	});
	await new Promise<void>((r) => feed.onState((s) => s.status === 'live' && r()));
	const delivery = new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
	const latencies: number[] = [];
	for (let i = 0; i < ORDERS; i++) {
		const created = await rep.request('POST', '/api/v1/orders', {
			headers: { origin: server.url },
			json: {
				companyId: 1,
				customerId: customers.rows[0].id,
				deliveryDate: delivery,
				discountBp: 1500,
				lines: [
					{
						modelId: model.id,
						qty: 1,
						loadKg: 1000,
						speed: 1.75,
						stops: 10,
						travelM: 28,
						doorType: 'center',
						doorWidthMm: 900,
						machineRoom: false
					}
				]
			}
		});
		const { id } = created.json<{ id: number }>();
		const order = (await rep.request('GET', `/api/v1/orders/${id}`)).json();
		await rep.request('POST', `/api/v1/orders/${id}/submit`, {
			headers: { origin: server.url },
			json: { version: order.order.version }
		});
		const step = async () =>
			(await sql`select id, version from approval_steps where order_id = ${id} and status = 'pending'`)[0];
		const s1 = await step();
		await approver.request('POST', `/api/v1/approvals/${s1.id}/decide`, {
			headers: { origin: server.url },
			json: { decision: 'approve', version: s1.version }
		});
		const s2 = await step();
		const seen = new Promise<number>((r) => waiters.set(id, r));
		const t0 = performance.now();
		const res = await manager.request('POST', `/api/v1/approvals/${s2.id}/decide`, {
			headers: { origin: server.url },
			json: { decision: 'approve', version: s2.version }
		});
		if (res.status !== 200) throw new Error(res.text);
		latencies.push((await seen) - t0);
	}
	socket.close();
	const approvalToScreen = summarize(latencies);
	result({ waiting, queue, approvalToScreen });
} finally {
	await sql.end();
	await server.stop();
}
