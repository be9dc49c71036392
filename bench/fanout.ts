/**
 * Live fan-out: the built app (`node server.js`) on a fresh PostgreSQL database with demo data,
 * C Socket.IO clients held by 4 worker processes (bench/fanout-worker.ts, each client the app's
 * own LiveFeed on a socket.io-client socket with a real session cookie), and work-order-step
 * progress written through the HTTP API. Measures:
 *
 *  1. per C (100, 1,000, 2,000) at 50 writes/s for 20 s: commit-to-receive latency p50/p95/p99
 *     at the clients (receive − the event's `at`, the clock_timestamp() of the command's last
 *     statement), deliveries per second, expected vs delivered per client by event id (none
 *     lost, none duplicated, none it may not see), and the server's RSS per idle connection;
 *  2. the same payloads at the same rate from a bare Socket.IO server (bench/fanout-bare.ts, own
 *     process, no auth, one room) to the same number of clients: bare p99 and ours/bare;
 *  3. the write path while 1,000 clients listen: writes offered at 500/s (open loop): writes/s
 *     done, p95 ms, and the server's event-loop delay p99 (bench/loop-delay.cjs, preloaded); and
 *     the most it does with 16 writers in closed loop on distinct steps (with and without clients);
 *  4. drops: 1,000 clients each cut off for 2 s every 15 s (staggered) while 20 writes/s go on
 *     for BENCH_DROP_SECONDS (120): share delivered and catch-up time (reconnect → applied).
 *
 *   npm run bench:fanout                 # the full run, about 7 minutes on 2 cores
 *   BENCH_QUICK=1 npm run bench:fanout   # 100 clients, short phases: a smoke test in ~1 minute
 *
 * Knobs (environment): BENCH_CLIENTS=100,1000,2000  BENCH_RATE=50  BENCH_CASE_SECONDS=20
 * BENCH_WORKERS=4  BENCH_WRITE_CLIENTS=1000  BENCH_WRITE_SECONDS=15  BENCH_WRITERS=16
 * BENCH_DROP_CLIENTS=1000  BENCH_DROP_SECONDS=120  BENCH_DROP_RATE=20  BENCH_DROP_PERIOD_MS=15000
 * BENCH_DROP_CUT_MS=2000  BENCH_PHASES=writes,drops (an empty value runs the cases only)  BENCH_STEPS=200  BENCH_DATABASE_URL (where the throwaway database goes)
 * BENCH_SERVER_NODE_OPTIONS (added to the server's NODE_OPTIONS, e.g. "--max-old-space-size=512"),
 * BENCH_SERVER_PROFILE=<file.cpuprofile> (a CPU profile of the server over the whole run).
 * `--rebuild` builds first; a build older than src/ is rebuilt anyway.
 * The last line is one JSON object: the 1,000-client case, plus drop and write-path figures.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import postgres from 'postgres';
import { startAppServer, type AppServer } from '../tests/helpers/app-server';
import { HttpClient, loopback } from '../tests/helpers/http-client';
import { parseArgs } from './lib/args';
import { progress, result, round } from './lib/log';
import { ADMIN_URL } from './lib/pg';
import { ensureBuild, ROOT } from './lib/server';
import { Histogram } from './lib/histogram';
import type { ClientSpec } from './fanout-worker';

// ---------------------------------------------------------------- settings

const args = parseArgs();
const env = process.env;
const QUICK = env.BENCH_QUICK === '1' || args.has('quick');
function knob(name: string, fallback: number): number {
	const v = env[name];
	if (v === undefined || v === '') return fallback;
	const n = Number(v);
	if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} expects a positive number`);
	return n;
}
const CASES = (env.BENCH_CLIENTS ?? (QUICK ? '100' : '100,1000,2000'))
	.split(',')
	.map((s) => Number(s.trim()))
	.filter((n) => n > 0)
	.sort((a, b) => a - b);
const HEADLINE_CLIENTS = 1000;
const RATE = knob('BENCH_RATE', 50);
const CASE_SECONDS = knob('BENCH_CASE_SECONDS', QUICK ? 5 : 20);
const WORKERS = knob('BENCH_WORKERS', 4);
const STEPS = knob('BENCH_STEPS', 200);
const WRITE_CLIENTS = knob('BENCH_WRITE_CLIENTS', QUICK ? 100 : 1000);
const WRITE_SECONDS = knob('BENCH_WRITE_SECONDS', QUICK ? 5 : 15);
const WRITERS = knob('BENCH_WRITERS', 16);
const DROP_CLIENTS = knob('BENCH_DROP_CLIENTS', QUICK ? 100 : 1000);
const DROP_SECONDS = knob('BENCH_DROP_SECONDS', QUICK ? 20 : 120);
const DROP_RATE = knob('BENCH_DROP_RATE', 20);
const DROP_PERIOD_MS = knob('BENCH_DROP_PERIOD_MS', 15_000);
const DROP_CUT_MS = knob('BENCH_DROP_CUT_MS', 2000);
const WRITE_GOAL = { perSec: 500, p95Ms: 25 };
/** Which phases after the cases run: BENCH_PHASES=writes,drops (both by default). */
const PHASES = new Set((env.BENCH_PHASES ?? 'writes,drops').split(',').map((s) => s.trim()));
/** Socket users, round-robin over clients; scoped1 hears company 2 only (counted per company). */
const SOCKET_USERS = ['manager1', 'planner1', 'admin', 'shopfloor1', 'scoped1'];
/** Users with production.report in every company: the writers. */
const WRITER_USERS = ['planner1', 'shopfloor1', 'admin'];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- build

/** Newest modification time under a folder (ms), for "is the build older than the source". */
function newest(dir: string): number {
	let t = 0;
	for (const name of readdirSync(dir, { withFileTypes: true })) {
		const p = join(dir, name.name);
		t = Math.max(t, name.isDirectory() ? newest(p) : statSync(p).mtimeMs);
	}
	return t;
}

function buildIfNeeded(): number | null {
	const handler = `${ROOT}build/handler.js`;
	const stale = existsSync(handler) && newest(`${ROOT}src`) > statSync(handler).mtimeMs;
	if (stale) progress('build/ is older than src/: rebuilding');
	return ensureBuild(args.has('rebuild') || stale);
}

// ---------------------------------------------------------------- the server and its probe

/** Asks bench/loop-delay.cjs (preloaded into the server) for event-loop delay or a GC + RSS. */
class Probe {
	private seq = 0;
	constructor(
		readonly pid: number,
		readonly file: string
	) {}

	async ask<T>(cmd: 'mark' | 'gc' | 'profile'): Promise<T> {
		const seq = ++this.seq;
		writeFileSync(`${this.file}.cmd`, JSON.stringify({ cmd, seq }));
		process.kill(this.pid, 'SIGUSR2');
		const deadline = Date.now() + 30_000;
		for (;;) {
			try {
				const body = JSON.parse(readFileSync(this.file, 'utf8'));
				if (body.seq === seq) return body as T;
			} catch {
				/* not written yet */
			}
			if (Date.now() > deadline) throw new Error(`the server's loop-delay probe did not answer ${cmd}`);
			await sleep(20);
		}
	}

	/** Event-loop delay since the previous mark. */
	mark() {
		return this.ask<{
			window: { seconds: number; p50Ms: number; p99Ms: number; maxMs: number; meanMs: number };
		}>('mark').then((b) => b.window);
	}

	/** VmRSS of the server (KiB) read from /proc after two full GCs and a settle. */
	async rssAfterGc(settleMs = 1000): Promise<{ rssKiB: number; heapUsedKiB: number }> {
		const b = await this.ask<{ heapUsedKiB: number }>('gc');
		await sleep(settleMs);
		return { rssKiB: vmRssKiB(this.pid), heapUsedKiB: b.heapUsedKiB };
	}
}

function vmRssKiB(pid: number): number {
	const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	if (!m) throw new Error(`no VmRSS for ${pid}`);
	return Number(m[1]);
}

/** CPU time (ms) a process has used, from /proc/<pid>/stat (utime + stime); 0 once it is gone. */
const TICK_MS = 10; // USER_HZ is 100 on Linux
function cpuMs(pid: number): number {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
		return (Number(f[11]) + Number(f[12])) * TICK_MS;
	} catch {
		return 0;
	}
}

/** Busy CPU time of the whole machine (ms), from /proc/stat: everything but idle and iowait. */
function machineBusyMs(): number {
	const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
	const total = f.slice(0, 8).reduce((a, b) => a + b, 0); // user … steal (guest is inside user)
	return (total - f[3] - f[4]) * TICK_MS;
}

/**
 * Share of one core each group of processes used over a window, in % (a 2-core machine has
 * 200 %), and `other`: what the rest of the machine used meanwhile (the bench's own process,
 * PostgreSQL's background writers, and anything else running, e.g. someone's test suite).
 */
class CpuMeter {
	private start = new Map<string, Map<number, number>>();
	private t = 0;
	private machine = 0;
	constructor(private readonly groups: () => Promise<Record<string, number[]>>) {}
	async begin() {
		this.start.clear();
		for (const [name, pids] of Object.entries(await this.groups()))
			this.start.set(name, new Map(pids.map((p) => [p, cpuMs(p)])));
		this.t = performance.now();
		this.machine = machineBusyMs();
	}
	/** Only processes alive at both ends count (PostgreSQL's backends are a fixed pool). */
	async end(): Promise<Record<string, number>> {
		const seconds = (performance.now() - this.t) / 1000;
		const now = await this.groups();
		const out: Record<string, number> = {};
		let ours = 0;
		for (const [name, pids] of this.start) {
			let used = 0;
			for (const [pid, ms] of pids) if (now[name]?.includes(pid)) used += cpuMs(pid) - ms;
			ours += used;
			out[name] = Math.round(used / 10 / seconds);
		}
		out.other = Math.max(0, Math.round((machineBusyMs() - this.machine - ours) / 10 / seconds));
		return out;
	}
}
const cpuText = (c: Record<string, number>) =>
	Object.entries(c)
		.map(([k, v]) => `${k} ${v}%`)
		.join(', ');

// ---------------------------------------------------------------- child processes

interface Child {
	proc: ChildProcess;
	call<T = any>(msg: object): Promise<T>;
}

function forkChild(file: string, onMessage?: (m: any) => void): Child {
	const proc = fork(join(ROOT, 'bench', file), [], {
		cwd: ROOT,
		execArgv: ['--import', 'tsx'],
		stdio: ['ignore', 'inherit', 'inherit', 'ipc']
	});
	let next = 1;
	const waiting = new Map<number, { resolve: (v: any) => void; reject: (e: Error) => void }>();
	proc.on('message', (m: any) => {
		if (m && typeof m.id === 'number' && waiting.has(m.id)) {
			const w = waiting.get(m.id)!;
			waiting.delete(m.id);
			if (m.error) w.reject(new Error(`${file}: ${m.error}`));
			else w.resolve(m);
		} else onMessage?.(m);
	});
	proc.on('exit', (code, signal) => {
		for (const w of waiting.values()) w.reject(new Error(`${file} exited (${code ?? signal})`));
		waiting.clear();
	});
	return {
		proc,
		call(msg) {
			const id = next++;
			return new Promise((resolve, reject) => {
				waiting.set(id, { resolve, reject });
				proc.send({ ...msg, id });
			});
		}
	};
}

// ---------------------------------------------------------------- writes through the API

interface Step {
	id: number;
	version: number;
	companyId: number;
	status: string;
	busy: boolean;
}

interface Writer {
	username: string;
	cookie: string;
}

class WriteStats {
	ok = 0;
	failed = 0;
	statuses: Record<string, number> = {};
	latency = new Histogram();
	/** The server's own `server-timing: app;dur=…` of each write. */
	serverLatency = new Histogram();
	skipped = 0;
	seconds = 0;
	firstError: string | null = null;
	summary() {
		const l = this.latency.summary();
		const sv = this.serverLatency.summary();
		return {
			ok: this.ok,
			failed: this.failed,
			statuses: this.statuses,
			skipped: this.skipped,
			perSec: round(this.ok / this.seconds, 1),
			p50Ms: l.p50Ms,
			p95Ms: l.p95Ms,
			p99Ms: l.p99Ms,
			maxMs: l.maxMs,
			serverP50Ms: sv.p50Ms,
			serverP95Ms: sv.p95Ms,
			firstError: this.firstError
		};
	}
}

const agent = new Agent({ keepAlive: true, maxSockets: 64 });

function postJson(
	baseUrl: string,
	path: string,
	body: unknown,
	cookie: string
): Promise<{ status: number; text: string; serverMs: number }> {
	const url = new URL(path, baseUrl);
	const data = JSON.stringify(body);
	return new Promise((resolve, reject) => {
		const req = request(
			{
				method: 'POST',
				hostname: url.hostname,
				port: url.port,
				path: url.pathname,
				agent,
				headers: {
					'content-type': 'application/json',
					'content-length': Buffer.byteLength(data),
					origin: baseUrl, // cross-origin API writes are refused
					cookie
				}
			},
			(res) => {
				const chunks: Buffer[] = [];
				res.on('data', (c: Buffer) => chunks.push(c));
				res.on('error', reject);
				res.on('end', () => {
					const timing = /app;dur=([\d.]+)/.exec(String(res.headers['server-timing'] ?? ''));
					resolve({
						status: res.statusCode ?? 0,
						text: Buffer.concat(chunks).toString('utf8'),
						serverMs: timing ? Number(timing[1]) : NaN
					});
				});
			}
		);
		req.on('error', reject);
		req.end(data);
	});
}

// ---------------------------------------------------------------- the run

interface Figures {
	clients: number;
	writesPerSec: number;
	expected: number;
	delivered: number;
	lost: number;
	duplicated: number;
	unexpected: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	maxMs: number;
	deliveredPerSec: number;
	bareP50Ms: number;
	bareP99Ms: number;
	bareLost: number;
	ratioP99: number;
	idleKiBPerConn: number;
	eventLoopP99Ms: number;
	writeP95Ms: number;
	/** Share of one core used during the writes, per process group. */
	cpuPct: Record<string, number>;
	bareCpuPct: Record<string, number>;
}

let server: AppServer | null = null;
let sql: postgres.Sql | null = null;
const children: Child[] = [];
let loopDir: string | null = null;

async function cleanup() {
	for (const c of children.splice(0)) {
		if (c.proc.exitCode === null && c.proc.signalCode === null) c.proc.kill('SIGTERM');
	}
	await sql?.end({ timeout: 5 }).catch(() => {});
	sql = null;
	const s = server;
	server = null;
	// stop() drains (SIGTERM) and drops the database; a server that hangs is killed after 20 s.
	const kill = setTimeout(() => s?.process.kill('SIGKILL'), 20_000);
	await s?.stop().catch((e) => progress(`stopping the server: ${(e as Error).message}`));
	clearTimeout(kill);
	agent.destroy();
	if (loopDir) rmSync(loopDir, { recursive: true, force: true });
}
for (const signal of ['SIGINT', 'SIGTERM'] as const)
	process.on(signal, () => {
		progress(`${signal}: cleaning up`);
		void cleanup().finally(() => process.exit(130));
	});

async function main() {
	process.chdir(ROOT); // startAppServer runs `node server.js` from the working directory
	progress(
		`${cpus().length} cores, load average ${loadavg()
			.map((l) => round(l, 2))
			.join(' ')}`
	);
	progress('checking the build…');
	const buildMs = buildIfNeeded();
	if (buildMs !== null) progress(`built in ${round(buildMs / 1000)} s`);

	loopDir = mkdtempSync(join(tmpdir(), 'eo-bench-fanout-'));
	const loopFile = join(loopDir, 'loop.json');
	process.env.TEST_DATABASE_URL = ADMIN_URL; // startAppServer: a throwaway PostgreSQL database
	const t0 = performance.now();
	server = await startAppServer({
		// BENCH_SERVER_NODE_OPTIONS: more for the server only (V8 flags such as --cpu-prof are not allowed there).
		NODE_OPTIONS: [
			env.NODE_OPTIONS,
			`--require ${join(ROOT, 'bench', 'loop-delay.cjs')}`,
			env.BENCH_SERVER_NODE_OPTIONS
		]
			.filter(Boolean)
			.join(' '),
		BENCH_LOOP_FILE: loopFile
	});
	const baseUrl = server.url;
	const serverPid = server.process.pid!;
	let serverTail = '';
	let serverErrors = 0;
	const watch = (d: Buffer) => {
		const text = String(d);
		serverTail = (serverTail + text).slice(-4000);
		serverErrors += (text.match(/error|Error|ERR/g) ?? []).length;
	};
	server.process.stdout!.on('data', watch);
	server.process.stderr!.on('data', watch);
	progress(
		`server up at ${baseUrl} (pid ${serverPid}) in ${round((performance.now() - t0) / 1000)} s, database ${server.databaseUrl?.replace(/.*\//, '')}`
	);
	const probe = new Probe(serverPid, loopFile);
	await probe.mark(); // the preload answers: it is in place

	sql = postgres(server.databaseUrl!, { max: 2, onnotice: () => {} });
	const db = sql;

	// Sign-ins: a handful of sessions, each shared by many sockets; one loopback address each.
	let address = 200;
	const socketUsers: { username: string; cookie: string; companies: number[] }[] = [];
	for (const username of SOCKET_USERS) {
		const c = new HttpClient(baseUrl, loopback(address++));
		await c.login(username);
		const me = (await c.get('/api/v1/me')).json<{
			user: { permissions: string[]; scope: string; companyIds: number[] };
		}>().user;
		// Production events carry no owner: company-scoped readers with production.read hear them.
		const companies =
			me.permissions.includes('production.read') && me.scope === 'company' ? me.companyIds : [];
		socketUsers.push({ username, cookie: `session=${c.session}`, companies });
	}
	const writers: Writer[] = [];
	for (const username of WRITER_USERS) {
		const c = new HttpClient(baseUrl, loopback(address++));
		await c.login(username);
		writers.push({ username, cookie: `session=${c.session}` });
	}
	progress(
		`signed in: ${socketUsers.map((u) => `${u.username} (companies ${u.companies.join(',') || 'none'})`).join(', ')}`
	);

	const steps: Step[] = (
		await db<{ id: number; version: number; company_id: number; status: string }[]>`
			select id, version, company_id, status from work_order_steps
			where status in ('pending', 'ready') order by id limit ${STEPS}`
	).map((r) => ({ id: r.id, version: r.version, companyId: r.company_id, status: r.status, busy: false }));
	if (steps.length < WRITERS) throw new Error(`only ${steps.length} pending/ready steps`);
	const byCompany = new Map<number, number>();
	for (const s of steps) byCompany.set(s.companyId, (byCompany.get(s.companyId) ?? 0) + 1);
	progress(
		`${steps.length} steps to toggle (by company: ${[...byCompany].map(([c, n]) => `${c}: ${n}`).join(', ')})`
	);

	async function writeStep(step: Step, writer: Writer, stats: WriteStats) {
		step.busy = true;
		const action = step.status === 'in_progress' ? 'pause' : 'start';
		const t = performance.now();
		try {
			const r = await postJson(
				baseUrl,
				`/api/v1/work-order-steps/${step.id}/progress`,
				{ action, version: step.version },
				writer.cookie
			);
			stats.latency.add(performance.now() - t);
			if (!Number.isNaN(r.serverMs)) stats.serverLatency.add(r.serverMs);
			if (r.status === 200) {
				const row = JSON.parse(r.text) as { version: number; status: string };
				step.version = row.version;
				step.status = row.status;
				stats.ok++;
			} else {
				stats.failed++;
				stats.statuses[r.status] = (stats.statuses[r.status] ?? 0) + 1;
				stats.firstError ??= `${r.status} ${r.text.slice(0, 200)}`;
				const [now] = await db<
					{ version: number; status: string }[]
				>`select version, status from work_order_steps where id = ${step.id}`;
				step.version = now.version;
				step.status = now.status;
			}
		} catch (e) {
			stats.failed++;
			stats.firstError ??= (e as Error).message;
		} finally {
			step.busy = false;
		}
	}

	/** Open loop: one write every 1/rate s, each on the next step with none in flight. */
	async function pacedWrites(rate: number, seconds: number): Promise<WriteStats> {
		const stats = new WriteStats();
		const n = Math.round(rate * seconds);
		const inflight = new Set<Promise<void>>();
		let p = 0;
		const start = performance.now();
		for (let i = 0; i < n; i++) {
			const wait = start + (i * 1000) / rate - performance.now();
			if (wait > 0) await sleep(wait);
			let step: Step | undefined;
			for (let tries = 0; tries < steps.length && !step; tries++) {
				const s = steps[p++ % steps.length];
				if (!s.busy) step = s;
			}
			if (!step) {
				stats.skipped++;
				continue;
			}
			const w: Promise<void> = writeStep(step, writers[i % writers.length], stats).finally(() =>
				inflight.delete(w)
			);
			inflight.add(w);
		}
		stats.seconds = Math.max(seconds, (performance.now() - start) / 1000);
		await Promise.all(inflight);
		return stats;
	}

	/** Closed loop: `writers` concurrent loops, each on its own steps, for `seconds`. */
	async function closedWrites(concurrency: number, seconds: number): Promise<WriteStats> {
		const stats = new WriteStats();
		const start = performance.now();
		const end = start + seconds * 1000;
		await Promise.all(
			Array.from({ length: concurrency }, async (_, w) => {
				const mine = steps.filter((_, i) => i % concurrency === w);
				for (let i = 0; performance.now() < end; i++)
					await writeStep(mine[i % mine.length], writers[w % writers.length], stats);
			})
		);
		stats.seconds = (performance.now() - start) / 1000;
		return stats;
	}

	// ------------------------------------------------------------ workers and clients

	const workers = Array.from({ length: WORKERS }, () => forkChild('fanout-worker.ts'));
	children.push(...workers);
	let bareUrl = '';
	let bareChild: Child | null = null;
	const bareListening = new Promise<void>((resolve) => {
		const bare = forkChild('fanout-bare.ts', (m) => {
			if (m?.type === 'listening') {
				bareUrl = m.url;
				resolve();
			}
		});
		children.push(bare);
		bareChild = bare;
	});
	await bareListening;
	progress(`${WORKERS} client workers and the bare Socket.IO server (${bareUrl}) started`);

	const specOf = (key: number): ClientSpec => {
		const u = socketUsers[key % socketUsers.length];
		return { key, cookie: u.cookie, companies: u.companies };
	};
	const workerOf = (key: number) => key % WORKERS;
	let appClients = 0;
	const all = <T = any>(msg: object | ((w: number) => object)) =>
		Promise.all(workers.map((w, i) => w.call<T>(typeof msg === 'function' ? msg(i) : msg)));

	/** Opens or closes app clients until exactly n are connected and live. */
	async function resize(n: number) {
		const t = performance.now();
		if (n > appClients) {
			const keys = Array.from({ length: n - appClients }, (_, i) => appClients + i);
			const answers = await all<{ failed: number }>((w) => ({
				type: 'open',
				target: 'app',
				url: baseUrl,
				specs: keys.filter((k) => workerOf(k) === w).map(specOf)
			}));
			const failed = answers.reduce((s, a) => s + a.failed, 0);
			if (failed) throw new Error(`${failed} app clients did not connect`);
			progress(`${n} app clients live (+${keys.length} in ${round((performance.now() - t) / 1000, 2)} s)`);
		} else if (n < appClients) {
			const keys = Array.from({ length: appClients - n }, (_, i) => n + i);
			await all((w) => ({ type: 'close', target: 'app', keys: keys.filter((k) => workerOf(k) === w) }));
			progress(`${n} app clients left`);
		}
		appClients = n;
	}

	/** Expected deliveries of events with ids in `events` to the first `clients` clients. */
	function expectedTotal(events: { ids: number[]; companies: number[] }, clients: number): number {
		let total = 0;
		for (let k = 0; k < clients; k++) {
			const own = new Set(specOf(k).companies);
			for (const c of events.companies) if (own.has(c)) total++;
		}
		return total;
	}

	async function maxEventId(): Promise<number> {
		const [r] = await db<{ id: string | null }[]>`select max(id)::text as id from events`;
		return Number(r.id ?? 0);
	}

	async function eventsAfter(base: number) {
		const rows = await db<{ id: string; company_id: number | null; topic: string }[]>`
			select id::text, company_id, topic from events where id > ${base} order by id`;
		const production = rows.filter((r) => r.topic === 'production' && r.company_id !== null);
		if (production.length !== rows.length)
			progress(
				`note: ${rows.length - production.length} other events in the window (not expected by anyone)`
			);
		return { ids: production.map((r) => Number(r.id)), companies: production.map((r) => r.company_id!) };
	}

	/** Waits until the workers' clients applied `total` tracked events (or the timeout). */
	async function drain(target: 'app' | 'bare', total: number, timeoutMs: number): Promise<number> {
		const t = performance.now();
		for (;;) {
			const s = await all<{ received: Record<string, number>; notLive: number }>({ type: 'status' });
			const got = s.reduce((sum, x) => sum + x.received[target], 0);
			const notLive = s.reduce((sum, x) => sum + x.notLive, 0);
			if ((got >= total && (target === 'bare' || notLive === 0)) || performance.now() - t > timeoutMs)
				return performance.now() - t;
			await sleep(200);
		}
	}

	interface Report {
		expected: number;
		delivered: number;
		duplicated: number;
		rawDuplicated: number;
		unexpected: number;
		clientsMissing: number;
		minShare: number;
		latency: Histogram;
		catchup: Histogram;
		outage: Histogram;
		cuts: number;
		cutsSkipped: number;
		resets: number;
	}
	async function collect(target: 'app' | 'bare', expected: object): Promise<Report> {
		const parts = await all<any>({ type: 'report', target, expected });
		const r: Report = {
			expected: 0,
			delivered: 0,
			duplicated: 0,
			rawDuplicated: 0,
			unexpected: 0,
			clientsMissing: 0,
			minShare: 1,
			latency: new Histogram(),
			catchup: new Histogram(),
			outage: new Histogram(),
			cuts: 0,
			cutsSkipped: 0,
			resets: 0
		};
		for (const p of parts) {
			for (const k of [
				'expected',
				'delivered',
				'duplicated',
				'rawDuplicated',
				'unexpected',
				'clientsMissing',
				'cuts',
				'cutsSkipped',
				'resets'
			] as const)
				r[k] += p[k];
			r.minShare = Math.min(r.minShare, p.minShare);
			r.latency.merge(p.latency);
			if (p.catchup) r.catchup.merge(p.catchup);
			if (p.outage) r.outage.merge(p.outage);
		}
		return r;
	}

	const bareRef = () => bareChild?.proc.pid;
	const cpu = new CpuMeter(async () => ({
		server: [serverPid],
		postgres: (
			await db<{ pid: number }[]>`select pid from pg_stat_activity where datname = current_database()`
		).map((r) => r.pid),
		clients: workers.map((w) => w.proc.pid!),
		bare: [bareRef()!]
	}));

	/** One app window: track, write, drain, count. */
	async function appWindow(write: () => Promise<WriteStats>, drainMs: number) {
		const base = await maxEventId();
		await all({ type: 'track', target: 'app', base });
		await probe.mark();
		await cpu.begin();
		const stats = await write();
		const cpuPct = await cpu.end();
		const events = await eventsAfter(base);
		const total = expectedTotal(events, appClients);
		const waited = await drain('app', total, drainMs);
		const loop = await probe.mark();
		const r = await collect('app', events);
		return { stats, events, r, loop, cpuPct, drainedMs: waited };
	}

	// ------------------------------------------------------------ warm-up and idle memory

	await resize(20);
	await pacedWrites(RATE, 2);
	await sleep(1000);
	await resize(0);
	await sleep(2000);
	const rss0 = await probe.rssAfterGc();
	progress(`idle server, no clients: VmRSS ${rss0.rssKiB} KiB (heap ${rss0.heapUsedKiB} KiB)`);

	const idle = new Map<
		number,
		{ rssKiB: number; heapUsedKiB: number; kiBPerConn: number; heapKiBPerConn: number }
	>();
	for (const c of CASES) {
		await resize(c);
		await sleep(3000);
		const m = await probe.rssAfterGc(2000);
		const kiBPerConn = round((m.rssKiB - rss0.rssKiB) / c, 1);
		const heapKiBPerConn = round((m.heapUsedKiB - rss0.heapUsedKiB) / c, 1);
		idle.set(c, { ...m, kiBPerConn, heapKiBPerConn });
		progress(
			`idle ${c} clients: VmRSS ${m.rssKiB} KiB (+${m.rssKiB - rss0.rssKiB}), ${kiBPerConn} KiB per connection (heap ${heapKiBPerConn} KiB)`
		);
	}

	// ------------------------------------------------------------ 1 + 2: the cases

	const [sample] = await db<Record<string, unknown>[]>`
		select id, company_id as "companyId", topic, entity, entity_id as "entityId", entity_version as "version",
			type, payload, actor_id as "actorId", at
		from events where topic = 'production' order by id desc limit 1`;
	const [{ cursor: sampleCursor }] = await db<
		{ cursor: string }[]
	>`select pg_current_snapshot()::text as cursor`;
	const cases: Figures[] = [];
	for (const c of [...CASES].sort((a, b) => b - a)) {
		await resize(c);
		await sleep(1000);
		const w = await appWindow(() => pacedWrites(RATE, CASE_SECONDS), 20_000);
		const ours = w.r.latency.summary();
		if (w.drainedMs >= 20_000) progress(`${c} clients: still missing deliveries after 20 s of waiting`);

		// The bare server: same clients count, same workers, same payload and rate.
		const b0 = performance.now();
		await all((wi) => ({
			type: 'open',
			target: 'bare',
			url: bareUrl,
			specs: Array.from({ length: c }, (_, k) => k)
				.filter((k) => workerOf(k) === wi)
				.map((key) => ({ key }))
		}));
		progress(`${c} bare clients connected in ${round((performance.now() - b0) / 1000, 2)} s`);
		await sleep(1000);
		await all({ type: 'track', target: 'bare', base: 0 });
		const done = new Promise<number>((resolve) => {
			const on = (m: any) => {
				if (m?.type === 'done') {
					bareChild!.proc.off('message', on);
					resolve(m.sent);
				}
			};
			bareChild!.proc.on('message', on);
		});
		bareChild!.proc.send({
			type: 'run',
			rate: RATE,
			seconds: CASE_SECONDS,
			sample: { ...sample, at: undefined },
			cursor: sampleCursor
		});
		await cpu.begin();
		const sent = await done;
		const bareCpuPct = await cpu.end();
		await drain('bare', sent * c, 20_000);
		const br = await collect('bare', { count: sent });
		await all({ type: 'close', target: 'bare', keys: 'all' });
		const bare = br.latency.summary();

		const f: Figures = {
			clients: c,
			writesPerSec: round(w.stats.ok / w.stats.seconds, 1),
			expected: w.r.expected,
			delivered: w.r.delivered,
			lost: w.r.expected - w.r.delivered,
			duplicated: w.r.duplicated,
			unexpected: w.r.unexpected,
			p50Ms: ours.p50Ms,
			p95Ms: ours.p95Ms,
			p99Ms: ours.p99Ms,
			maxMs: ours.maxMs,
			deliveredPerSec: Math.round(w.r.delivered / w.stats.seconds),
			bareP50Ms: bare.p50Ms,
			bareP99Ms: bare.p99Ms,
			bareLost: br.expected - br.delivered,
			ratioP99: round(ours.p99Ms / bare.p99Ms, 2),
			idleKiBPerConn: idle.get(c)!.kiBPerConn,
			eventLoopP99Ms: w.loop.p99Ms,
			writeP95Ms: w.stats.summary().p95Ms,
			cpuPct: w.cpuPct,
			bareCpuPct: { bare: bareCpuPct.bare, clients: bareCpuPct.clients, other: bareCpuPct.other }
		};
		cases.push(f);
		progress(
			`case ${c} clients: ${f.writesPerSec} writes/s (${w.stats.failed} failed), ${w.events.ids.length} events, ` +
				`delivered ${f.delivered}/${f.expected} (lost ${f.lost}, duplicated ${f.duplicated}, raw duplicates ${w.r.rawDuplicated}, not entitled ${f.unexpected}), ` +
				`${f.deliveredPerSec} deliveries/s; commit→receive p50 ${f.p50Ms} p95 ${f.p95Ms} p99 ${f.p99Ms} max ${f.maxMs} ms; ` +
				`bare p50 ${f.bareP50Ms} p99 ${f.bareP99Ms} ms (lost ${f.bareLost} of ${br.expected}), ratio p99 ${f.ratioP99}; ` +
				`idle ${f.idleKiBPerConn} KiB/conn; server event loop p99 ${f.eventLoopP99Ms} ms (max ${w.loop.maxMs}); write p95 ${f.writeP95Ms} ms; ` +
				`CPU (% of a core) ours: ${cpuText(f.cpuPct)}; bare: ${cpuText(f.bareCpuPct)}`
		);
	}

	// ------------------------------------------------------------ 3: the write path

	async function writePathPhase() {
		// First with no client connected: the cost of the command itself, without the fan-out;
		// one writer at a time, then all of them.
		await resize(0);
		await sleep(1000);
		const one = await closedWrites(1, Math.min(5, WRITE_SECONDS));
		const ones = one.summary();
		progress(
			`one writer at a time, no clients: ${ones.perSec} writes/s, p50 ${ones.p50Ms} p95 ${ones.p95Ms} ms (server-timing p50 ${ones.serverP50Ms} p95 ${ones.serverP95Ms} ms)`
		);
		const wp0 = await appWindow(() => closedWrites(WRITERS, WRITE_SECONDS), 10_000);
		const wp0s = wp0.stats.summary();
		const writePathNoClients = {
			writesPerSec: wp0s.perSec,
			p50Ms: wp0s.p50Ms,
			p95Ms: wp0s.p95Ms,
			p99Ms: wp0s.p99Ms,
			failed: wp0s.failed,
			serverP50Ms: wp0s.serverP50Ms,
			serverP95Ms: wp0s.serverP95Ms,
			eventLoopP99Ms: wp0.loop.p99Ms,
			cpuPct: wp0.cpuPct,
			oneWriter: {
				writesPerSec: ones.perSec,
				p50Ms: ones.p50Ms,
				p95Ms: ones.p95Ms,
				serverP50Ms: ones.serverP50Ms,
				serverP95Ms: ones.serverP95Ms
			}
		};
		progress(
			`write path, ${WRITERS} writers, no clients: ${wp0s.perSec} writes/s, p50 ${wp0s.p50Ms} p95 ${wp0s.p95Ms} p99 ${wp0s.p99Ms} ms ` +
				`(server-timing p50 ${wp0s.serverP50Ms} p95 ${wp0s.serverP95Ms} ms) ` +
				`(${wp0s.failed} failed${wp0s.firstError ? `: ${wp0s.firstError}` : ''}); server event loop p99 ${wp0.loop.p99Ms} ms (max ${wp0.loop.maxMs}); ` +
				`CPU ${cpuText(wp0.cpuPct)}`
		);

		await resize(WRITE_CLIENTS);
		await sleep(1000);
		const wp = await appWindow(() => closedWrites(WRITERS, WRITE_SECONDS), 90_000);
		const wps = wp.stats.summary();
		const wpl = wp.r.latency.summary();
		const writePath = {
			clients: WRITE_CLIENTS,
			writers: WRITERS,
			seconds: round(wp.stats.seconds, 1),
			writesPerSec: wps.perSec,
			p50Ms: wps.p50Ms,
			p95Ms: wps.p95Ms,
			p99Ms: wps.p99Ms,
			serverP50Ms: wps.serverP50Ms,
			serverP95Ms: wps.serverP95Ms,
			failed: wps.failed,
			eventLoopP99Ms: wp.loop.p99Ms,
			eventLoopMaxMs: wp.loop.maxMs,
			expected: wp.r.expected,
			delivered: wp.r.delivered,
			duplicated: wp.r.duplicated,
			deliveryP50Ms: wpl.p50Ms,
			deliveryP99Ms: wpl.p99Ms,
			drainedAfterMs: Math.round(wp.drainedMs),
			cpuPct: wp.cpuPct,
			noClients: writePathNoClients
		};
		progress(
			`write path, ${WRITERS} writers, ${WRITE_CLIENTS} clients listening: ${wps.perSec} writes/s, p50 ${wps.p50Ms} p95 ${wps.p95Ms} p99 ${wps.p99Ms} ms ` +
				`(server-timing p50 ${wps.serverP50Ms} p95 ${wps.serverP95Ms} ms) ` +
				`(${wps.failed} failed${wps.firstError ? `: ${wps.firstError}` : ''}); server event loop p99 ${wp.loop.p99Ms} ms (max ${wp.loop.maxMs}); ` +
				`delivered ${wp.r.delivered}/${wp.r.expected} (duplicated ${wp.r.duplicated}), commit→receive p50 ${wpl.p50Ms} p99 ${wpl.p99Ms} ms, ` +
				`drained ${round(wp.drainedMs / 1000, 1)} s after the last write; CPU ${cpuText(wp.cpuPct)}`
		);

		// The goal as a load: writes offered at the goal's rate, each on its own (open loop, as
		// independent users press), while the same clients listen. A closed loop of N writers
		// could not show it: at 500/s, 16 writers in flight mean 32 ms each on average.
		await sleep(1000);
		const g = await appWindow(() => pacedWrites(WRITE_GOAL.perSec, WRITE_SECONDS), 90_000);
		const gs = g.stats.summary();
		const gl = g.r.latency.summary();
		const atGoalRate = {
			offeredPerSec: WRITE_GOAL.perSec,
			writesPerSec: gs.perSec,
			p50Ms: gs.p50Ms,
			p95Ms: gs.p95Ms,
			p99Ms: gs.p99Ms,
			failed: gs.failed,
			skipped: gs.skipped,
			eventLoopP99Ms: g.loop.p99Ms,
			expected: g.r.expected,
			delivered: g.r.delivered,
			deliveryP50Ms: gl.p50Ms,
			deliveryP99Ms: gl.p99Ms,
			cpuPct: g.cpuPct,
			meetsGoal: gs.ok >= WRITE_GOAL.perSec * WRITE_SECONDS * 0.98 && gs.p95Ms < WRITE_GOAL.p95Ms
		};
		progress(
			`write path at ${WRITE_GOAL.perSec}/s offered, ${WRITE_CLIENTS} clients listening: ${gs.perSec} writes/s, p50 ${gs.p50Ms} p95 ${gs.p95Ms} p99 ${gs.p99Ms} ms ` +
				`(${gs.failed} failed, ${gs.skipped} not sent: every step busy); server event loop p99 ${g.loop.p99Ms} ms; ` +
				`delivered ${g.r.delivered}/${g.r.expected}, commit→receive p50 ${gl.p50Ms} p99 ${gl.p99Ms} ms; CPU ${cpuText(g.cpuPct)}; ` +
				`goal ≥${WRITE_GOAL.perSec}/s with p95 < ${WRITE_GOAL.p95Ms} ms: ${atGoalRate.meetsGoal ? 'met' : 'MISSED'}`
		);
		return { ...writePath, atGoalRate };
	}

	// ------------------------------------------------------------ 4: drops

	async function dropPhase() {
		await resize(DROP_CLIENTS);
		await sleep(1000);
		progress(
			`drop test: ${DROP_CLIENTS} clients, each cut ${DROP_CUT_MS} ms every ${DROP_PERIOD_MS} ms, ${DROP_RATE} writes/s for ${DROP_SECONDS} s…`
		);
		const dropStart = Date.now() + 500;
		const dw = await appWindow(async () => {
			await all({
				type: 'drop',
				total: DROP_CLIENTS,
				startAt: dropStart,
				endAt: dropStart + DROP_SECONDS * 1000,
				periodMs: DROP_PERIOD_MS,
				cutMs: DROP_CUT_MS
			});
			return pacedWrites(DROP_RATE, DROP_SECONDS);
		}, 60_000);
		const catchupS = dw.r.catchup.summary();
		const outageS = dw.r.outage.summary();
		const dropLat = dw.r.latency.summary();
		const drop = {
			clients: DROP_CLIENTS,
			seconds: DROP_SECONDS,
			writesPerSec: round(dw.stats.ok / dw.stats.seconds, 1),
			cuts: dw.r.cuts,
			cutsSkipped: dw.r.cutsSkipped,
			reconnects: catchupS.n,
			expected: dw.r.expected,
			delivered: dw.r.delivered,
			deliveredShare: dw.r.expected ? dw.r.delivered / dw.r.expected : 1,
			clientsMissing: dw.r.clientsMissing,
			duplicated: dw.r.duplicated,
			unexpected: dw.r.unexpected,
			resets: dw.r.resets,
			catchupP50Ms: catchupS.p50Ms,
			catchupP99Ms: catchupS.p99Ms,
			catchupMaxMs: catchupS.maxMs,
			outageP50Ms: outageS.p50Ms,
			deliveryP50Ms: dropLat.p50Ms,
			deliveryP99Ms: dropLat.p99Ms,
			eventLoopP99Ms: dw.loop.p99Ms,
			cpuPct: dw.cpuPct
		};
		progress(
			`drops: ${drop.cuts} cuts (${drop.cutsSkipped} skipped), ${drop.reconnects} catch-ups, ${drop.writesPerSec} writes/s; ` +
				`delivered ${drop.delivered}/${drop.expected} = ${round(drop.deliveredShare * 100, 4)} % (${drop.clientsMissing} clients missing some, ` +
				`duplicated ${drop.duplicated}, not entitled ${drop.unexpected}, resets ${drop.resets}); catch-up p50 ${drop.catchupP50Ms} p99 ${drop.catchupP99Ms} max ${drop.catchupMaxMs} ms ` +
				`(cut to reconnect p50 ${drop.outageP50Ms} ms); delivery p99 incl. catch-ups ${drop.deliveryP99Ms} ms; CPU ${cpuText(drop.cpuPct)}; ${drop.deliveredShare === 1 ? '100 % delivered' : 'EVENTS LOST'}`
		);
		return drop;
	}

	const writePath = PHASES.has('writes') ? await writePathPhase() : null;
	const drop = PHASES.has('drops') ? await dropPhase() : null;

	await all({ type: 'exit' }).catch(() => {});
	if (env.BENCH_SERVER_PROFILE) {
		const p = await probe.ask<{ written: string | null; error?: string }>('profile');
		progress(p.written ? `server CPU profile written to ${p.written}` : `no CPU profile: ${p.error}`);
	}
	const headline = cases.find((c) => c.clients === HEADLINE_CLIENTS) ?? cases[cases.length - 1];
	const out = {
		clients: headline.clients,
		writesPerSec: headline.writesPerSec,
		expected: headline.expected,
		delivered: headline.delivered,
		lost: headline.lost,
		duplicated: headline.duplicated,
		p50Ms: headline.p50Ms,
		p95Ms: headline.p95Ms,
		p99Ms: headline.p99Ms,
		deliveredPerSec: headline.deliveredPerSec,
		bareP99Ms: headline.bareP99Ms,
		ratioP99: headline.ratioP99,
		idleKiBPerConn: headline.idleKiBPerConn,
		dropDeliveredShare: drop?.deliveredShare ?? null,
		dropCatchupP99Ms: drop?.catchupP99Ms ?? null,
		writePathPerSec: writePath?.atGoalRate.writesPerSec ?? null,
		writePathP95Ms: writePath?.atGoalRate.p95Ms ?? null,
		writePathClosedLoopPerSec: writePath?.writesPerSec ?? null,
		eventLoopP99Ms: writePath?.atGoalRate.eventLoopP99Ms ?? null,
		quick: QUICK,
		cores: cpus().length,
		loadAvg1mAtEnd: round(loadavg()[0], 2),
		serverErrorLines: serverErrors,
		cases: [...cases].sort((a, b) => a.clients - b.clients),
		writePath,
		drop,
		buildMs: buildMs === null ? null : Math.round(buildMs)
	};
	if (serverErrors)
		progress(`the server logged ${serverErrors} error-looking lines; its last output:\n${serverTail}`);
	return out;
}

let out: object | null = null;
try {
	out = await main();
} catch (e) {
	progress(`failed: ${(e as Error).stack ?? e}`);
	process.exitCode = 1;
} finally {
	await cleanup();
}
if (out) result(out);
