/**
 * The orders list (filter + sort + page) at N (default 100,000) orders, timed at the API
 * endpoint GET /api/v1/orders on the built server: client-observed latency and the server's
 * own `server-timing: app;dur=…`, p50/p95/p99 per driver and per kind of query.
 *
 *   npm run bench:orders -- [--orders 100000] [--requests 486] [--warmup 30]
 *                           [--driver both|postgres|pglite] [--db-url URL] [--pglite-dir DIR]
 *                           [--reseed]
 *
 * PostgreSQL: reuses eo_bench_orders_<N> (left by `bench:seed --keep` or an earlier run) when it
 * holds N orders, else seeds it and keeps it. PGlite: the same with the folder
 * /tmp/eo-bench/pglite-<N>. Requests run one at a time as admin (all companies), sales1 ('own'
 * scope) and scoped1 (one company), round-robin over the kinds in lib/orders-mix.ts.
 * The last line is one JSON object with the figures.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { numberArg, parseArgs, stringArg } from './lib/args';
import { progress, result, round } from './lib/log';
import { countOrders, createDatabase, keptDatabaseName, databaseExists, databaseUrl } from './lib/pg';
import { keptPglite, keptPgliteDir, markPglite, pgdataOf, seedInto } from './lib/seeding';
import { ensureBuild, startServer } from './lib/server';
import { signIn, type Session } from './lib/api';
import { KINDS, lcg, queryFor, sampleFor, type Kind, type Sample } from './lib/orders-mix';
import { summarize } from './lib/stats';

const GOAL_P95_MS = 25;
const USERS = ['admin', 'sales1', 'scoped1'];

const args = parseArgs();
const orders = numberArg(args, 'orders', 100_000);
const requests = numberArg(args, 'requests', KINDS.length * USERS.length * 18);
const warmup = numberArg(args, 'warmup', 30);
const driver = stringArg(args, 'driver') ?? 'both';
const reseed = args.has('reseed');
if (!['postgres', 'pglite', 'both'].includes(driver)) throw new Error('--driver is postgres, pglite or both');

async function postgresTarget(): Promise<{ databaseUrl: string; seedSeconds: number | null }> {
	const given = stringArg(args, 'db-url');
	if (given) return { databaseUrl: given, seedSeconds: null };
	const name = keptDatabaseName(orders);
	const url = databaseUrl(name);
	if (!reseed && (await databaseExists(name)) && (await countOrders(url)) === orders) {
		progress(`postgres: reusing ${name} (${orders} orders)`);
		return { databaseUrl: url, seedSeconds: null };
	}
	await createDatabase(name);
	progress(`postgres: seeding ${orders} orders into ${name} (kept for later runs)…`);
	const t = await seedInto({ url }, orders, (m) => progress(`postgres: ${m}`));
	progress(`postgres: seeded in ${round(t.seedMs / 1000)} s`);
	return { databaseUrl: url, seedSeconds: round(t.seedMs / 1000, 2) };
}

async function pgliteTarget(): Promise<{ dataDir: string; seedSeconds: number | null }> {
	const dir = stringArg(args, 'pglite-dir') ?? keptPgliteDir(orders);
	const kept = keptPglite(dir);
	if (!reseed && kept?.orders === orders && existsSync(pgdataOf(dir))) {
		progress(`pglite: reusing ${dir} (${orders} orders, seeded in ${round(kept.seedMs / 1000)} s)`);
		return { dataDir: pgdataOf(dir), seedSeconds: null };
	}
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	progress(`pglite: seeding ${orders} orders into ${dir} (kept for later runs)…`);
	const t = await seedInto({ dataDir: pgdataOf(dir) }, orders, (m) => progress(`pglite: ${m}`));
	markPglite(dir, orders, t.seedMs);
	progress(`pglite: seeded in ${round(t.seedMs / 1000)} s`);
	return { dataDir: pgdataOf(dir), seedSeconds: round(t.seedMs / 1000, 2) };
}

interface Measured {
	kind: Kind;
	user: string;
	serverMs: number;
	clientMs: number;
}

async function run(label: string, target: { databaseUrl?: string; dataDir?: string }) {
	const server = await startServer({ ...target, demoData: false, await: ['/healthz'] });
	progress(`${label}: server up in ${Math.round(server.readyMs['/healthz'])} ms at ${server.url}`);
	try {
		const sessions: Session[] = [];
		const samples: Sample[] = [];
		for (const u of USERS) {
			const s = await signIn(server.url, u);
			sessions.push(s);
			samples.push(await sampleFor(s));
		}
		const pick = lcg(20_240_601);
		const plan = Array.from({ length: warmup + requests }, (_, i) => {
			const kind = KINDS[i % KINDS.length];
			const who = Math.floor(i / KINDS.length) % USERS.length;
			return { kind, who, path: queryFor(kind, samples[who], pick) };
		});
		const measured: Measured[] = [];
		for (let i = 0; i < plan.length; i++) {
			const { kind, who, path } = plan[i];
			const r = await sessions[who].get(path);
			if (i >= warmup) measured.push({ kind, user: USERS[who], serverMs: r.serverMs, clientMs: r.clientMs });
			if ((i + 1) % 100 === 0 || i + 1 === plan.length)
				progress(`${label}: ${i + 1}/${plan.length} requests`);
		}
		if (measured.some((m) => Number.isNaN(m.serverMs)))
			throw new Error('a response had no server-timing header');
		// The floor every API request pays (session check, actor, JSON): GET /api/v1/me, no list query.
		const floor: number[] = [];
		try {
			for (let i = 0; i < 60; i++) floor.push((await sessions[i % USERS.length].get('/api/v1/me')).serverMs);
		} catch (e) {
			progress(`${label}: no /api/v1/me floor (${(e as Error).message.slice(0, 120)})`);
		}
		return { ...figures(measured), meFloorP50Ms: floor.length ? summarize(floor).p50Ms : null };
	} finally {
		await server.stop();
	}
}

function figures(ms: Measured[]) {
	const server = summarize(ms.map((m) => m.serverMs));
	const client = summarize(ms.map((m) => m.clientMs));
	const group = (key: (m: Measured) => string) => {
		const out: Record<string, object> = {};
		for (const k of [...new Set(ms.map(key))]) {
			const of = ms.filter((m) => key(m) === k);
			const s = summarize(of.map((m) => m.serverMs));
			const c = summarize(of.map((m) => m.clientMs));
			out[k] = {
				n: s.n,
				p50Ms: s.p50Ms,
				p95Ms: s.p95Ms,
				p99Ms: s.p99Ms,
				clientP50Ms: c.p50Ms,
				clientP95Ms: c.p95Ms
			};
		}
		return out;
	};
	return {
		p50Ms: server.p50Ms,
		p95Ms: server.p95Ms,
		p99Ms: server.p99Ms,
		maxMs: server.maxMs,
		n: server.n,
		client,
		byKind: group((m) => m.kind),
		byUser: group((m) => m.user)
	};
}

progress('checking the build…');
const buildMs = ensureBuild();
if (buildMs !== null) progress(`built in ${round(buildMs / 1000)} s`);

const out: Record<string, unknown> = { orders, requests, warmup, goalP95Ms: GOAL_P95_MS };
if (driver === 'both' || driver === 'postgres') {
	const t = await postgresTarget();
	out.postgres = { ...(await run('postgres', { databaseUrl: t.databaseUrl })), seedSeconds: t.seedSeconds };
}
if (driver === 'both' || driver === 'pglite') {
	const t = await pgliteTarget();
	out.pglite = { ...(await run('pglite', { dataDir: t.dataDir })), seedSeconds: t.seedSeconds };
}
const pgP95 = (out.postgres as { p95Ms: number } | undefined)?.p95Ms;
if (pgP95 !== undefined) {
	out.postgresServerP95Ms = pgP95;
	out.meetsGoal = pgP95 <= GOAL_P95_MS;
	progress(
		`postgres server-time p95 ${pgP95} ms against the goal ${GOAL_P95_MS} ms: ${pgP95 <= GOAL_P95_MS ? 'met' : 'MISSED'}`
	);
}
result(out);
