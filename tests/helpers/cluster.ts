import { afterAll, beforeAll, describe } from 'vitest';
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import postgres, { type Sql } from 'postgres';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { LiveFeed, type LiveEvent } from '../../src/lib/live/feed';
import { Collection } from '../../src/lib/live/collection';
import { createTestDatabase, startNode, type AppServer } from './app-server';
import { HttpClient } from './http-client';

/**
 * Helpers for the cluster tests (tests/cluster): several real server.js processes on one
 * throwaway PostgreSQL database, clients made of the browser's own live code (LiveFeed over a
 * socket.io-client socket, Collection), and the database as the judge of what they should show.
 */

export const HAS_POSTGRES = Boolean(process.env.TEST_DATABASE_URL);

/** describe() when PostgreSQL is there; otherwise skipped, saying why. */
export function describeCluster(title: string, fn: () => void): void {
	if (HAS_POSTGRES) describe(title, fn);
	else describe.skip(`${title} (skipped: needs PostgreSQL, set TEST_DATABASE_URL, as CI does)`, fn);
}

/** Polls `cond` until it returns something truthy, which it resolves with; fails after `timeoutMs`. */
export async function waitFor<T>(
	cond: () => T | Promise<T>,
	timeoutMs: number,
	what: string | (() => string | Promise<string>) = 'a condition'
): Promise<NonNullable<T>> {
	const deadline = Date.now() + timeoutMs;
	let last: unknown;
	for (;;) {
		try {
			const v = await cond();
			if (v) return v as NonNullable<T>;
			last = undefined;
		} catch (e) {
			last = e;
		}
		if (Date.now() > deadline) {
			const desc = typeof what === 'function' ? await what() : what;
			throw new Error(
				`timed out after ${timeoutMs} ms waiting for ${desc}${last ? ` (last error: ${String(last)})` : ''}`
			);
		}
		await sleep(25);
	}
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ─── nodes ──────────────────────────────────────────────────────────────────────────────

export interface Cluster {
	databaseUrl: string;
	dbName: string;
	/** The nodes currently in the cluster, by index; restart() replaces one in place. */
	nodes: AppServer[];
	/** A direct connection to the cluster's database, for checks and raw SQL. */
	sql: Sql;
	/** Stops node i (SIGTERM, waits for the exit) and starts it again on the same port and database. */
	restart(i: number): Promise<AppServer>;
	/** Adds a started node so stop() ends it too. */
	adopt(node: AppServer): void;
	stop(): Promise<void>;
}

/** `n` server.js processes on one new database (the first fills it with demo data). */
export async function startCluster(n = 2): Promise<Cluster> {
	const db = await createTestDatabase(process.env.TEST_DATABASE_URL!, 'eo_cluster');
	const all = new Set<AppServer>();
	const sql = postgres(db.url, { max: 4, onnotice: () => {} });
	const stop = async () => {
		await Promise.all([...all].map((node) => node.stop()));
		await sql.end({ timeout: 5 });
		await db.drop();
	};
	try {
		const first = await startNode(db.url);
		all.add(first);
		const rest = await Promise.all(Array.from({ length: n - 1 }, () => startNode(db.url)));
		for (const node of rest) all.add(node);
		const nodes = [first, ...rest];
		return {
			databaseUrl: db.url,
			dbName: new URL(db.url).pathname.slice(1),
			nodes,
			sql,
			async restart(i) {
				const old = nodes[i];
				await old.stop();
				const port = Number(new URL(old.url).port);
				const node = await startNode(db.url, { port });
				all.add(node);
				nodes[i] = node;
				return node;
			},
			adopt(node) {
				all.add(node);
			},
			stop
		};
	} catch (e) {
		await stop();
		throw e;
	}
}

/**
 * A cluster for the file, as useDatabase gives a database: started before its tests and
 * stopped after them (after the file's own afterAll has closed its clients).
 */
export function useCluster(n = 2): Cluster {
	const holder = {} as Cluster;
	beforeAll(async () => {
		Object.assign(holder, await startCluster(n));
	});
	afterAll(async () => {
		await holder.stop?.();
	});
	return holder;
}

export function alive(node: AppServer): boolean {
	return node.process.exitCode === null && node.process.signalCode === null;
}

/**
 * The PostgreSQL backends serving connections opened by a node's process: matched by the
 * client port of each backend against the local ports of the process's TCP sockets (Linux /proc).
 */
export async function backendsOf(
	sql: Sql,
	node: AppServer,
	where: { applicationName?: string; queryLike?: string } = {}
): Promise<{ pid: number; query: string; applicationName: string }[]> {
	const ports = localTcpPorts(node.process.pid!);
	const rows = await sql<{ pid: number; client_port: number; query: string; application_name: string }[]>`
		select pid, client_port, query, application_name from pg_stat_activity
		where datname = current_database() and pid <> pg_backend_pid()
			and (${where.applicationName ?? null}::text is null or application_name = ${where.applicationName ?? null})
			and (${where.queryLike ?? null}::text is null or query ilike ${where.queryLike ?? null})`;
	return rows
		.filter((r) => ports.has(Number(r.client_port)))
		.map((r) => ({ pid: Number(r.pid), query: r.query, applicationName: r.application_name }));
}

/** The LISTEN connection(s) of a node's cluster bus (the Socket.IO PostgreSQL adapter). */
export const busListeners = (sql: Sql, node: AppServer) =>
	backendsOf(sql, node, { applicationName: 'elevator-ops-bus', queryLike: 'LISTEN%' });

function localTcpPorts(pid: number): Set<number> {
	const inodes = new Set<string>();
	for (const fd of readdirSync(`/proc/${pid}/fd`)) {
		try {
			const m = /^socket:\[(\d+)\]$/.exec(readlinkSync(`/proc/${pid}/fd/${fd}`));
			if (m) inodes.add(m[1]);
		} catch {
			/* closed meanwhile */
		}
	}
	const ports = new Set<number>();
	for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
		let text = '';
		try {
			text = readFileSync(table, 'utf8');
		} catch {
			continue;
		}
		for (const line of text.split('\n').slice(1)) {
			const cols = line.trim().split(/\s+/);
			if (cols.length > 9 && inodes.has(cols[9])) ports.add(parseInt(cols[1].split(':').at(-1)!, 16));
		}
	}
	return ports;
}

// ─── HTTP: sign-in and the step command ────────────────────────────────────────────────

/** Signs in through `url` and returns the session token (valid on every node). */
export async function sessionToken(url: string, username: string, localAddress?: string): Promise<string> {
	const c = new HttpClient(url, localAddress);
	await c.login(username);
	return c.session!;
}

/** A client of `url` carrying an existing session (the same browser, another node behind the balancer). */
export function withSession(url: string, token: string): HttpClient {
	const c = new HttpClient(url);
	c.cookies.set('session', token);
	return c;
}

export async function companiesOf(http: HttpClient): Promise<number[]> {
	const res = await http.get('/api/v1/me');
	if (res.status !== 200) throw new Error(`GET /api/v1/me: ${res.status} ${res.text}`);
	return (res.json().companies as { id: number }[]).map((c) => Number(c.id));
}

export interface StepState {
	version: number;
	status: string;
}
export type StepAction = 'start' | 'pause' | 'finish';

/** The action that applies to a step in `status` (finish only when asked), or null when none does. */
export function actionFor(status: string, finish = false): StepAction | null {
	if (status === 'in_progress') return finish ? 'finish' : 'pause';
	if (status === 'pending' || status === 'ready' || status === 'paused')
		return finish && status === 'paused' ? 'finish' : 'start';
	return null;
}

export type ProgressOutcome =
	{ ok: true; step: StepState & { id: number } } | { ok: false; current: StepState & { id: number } };

/** POST …/progress through `http`'s node; a conflict answers the step as it is now. Other answers throw. */
export async function reportProgress(
	http: HttpClient,
	id: number,
	action: StepAction,
	version: number
): Promise<ProgressOutcome> {
	const res = await http.post(
		`/api/v1/work-order-steps/${id}/progress`,
		{ action, version },
		{ origin: http.baseUrl }
	);
	if (res.status === 200) {
		const s = res.json();
		return { ok: true, step: { id: Number(s.id), version: Number(s.version), status: s.status } };
	}
	if (res.status === 409) {
		const body = res.json();
		if (body.error?.code !== 'conflict' || !body.error.current)
			throw new Error(`409 without the current step: ${res.text}`);
		const c = body.error.current;
		return { ok: false, current: { id: Number(c.id), version: Number(c.version), status: c.status } };
	}
	throw new Error(`progress ${action} of step ${id} via ${http.baseUrl}: ${res.status} ${res.text}`);
}

/**
 * Moves a step on by one action from what `known` says about it, retrying with the version a
 * conflict reports. Returns the committed version, or null if the step has nothing left to do.
 */
export async function advanceStep(
	http: HttpClient,
	id: number,
	known: Map<number, StepState>,
	opts: { finish?: boolean; onConflict?: () => void; maxTries?: number } = {}
): Promise<number | null> {
	for (let tries = 0; tries < (opts.maxTries ?? 20); tries++) {
		const state = known.get(id)!;
		const action = actionFor(state.status, opts.finish);
		if (!action) return null;
		const out = await reportProgress(http, id, action, state.version);
		const seen = out.ok ? out.step : out.current;
		const now = known.get(id)!;
		if (seen.version > now.version) known.set(id, { version: seen.version, status: seen.status });
		if (out.ok) return out.step.version;
		opts.onConflict?.();
	}
	throw new Error(`step ${id}: too many conflicts in a row`);
}

export interface Writers {
	/** Writes answered 200 (each committed one event), conflicts met, per writer and in all. */
	readonly writes: number[];
	readonly conflicts: number[];
	total(): number;
	/** Stops every writer and rethrows the first unexpected error. */
	stop(): Promise<void>;
}

/**
 * Writers moving steps on concurrently, each through its own node and with its own idea of the
 * versions (so they conflict, and retry with the version the conflict reports). `finishes` is
 * how many steps may be finished in all; the rest only start and pause. A writer whose error
 * `tolerate` accepts ends quietly (its node was killed).
 */
export function startWriters(
	writers: { http: HttpClient; steps: readonly number[] }[],
	initial: readonly StepRow[],
	opts: { pauseMs?: number; finishes?: number; tolerate?: (e: unknown, writer: number) => boolean } = {}
): Writers {
	let stopped = false;
	let finishes = opts.finishes ?? 0;
	const writes = writers.map(() => 0);
	const conflicts = writers.map(() => 0);
	const loops = writers.map(async ({ http, steps }, w) => {
		const known = new Map<number, StepState>(
			initial.map((s) => [s.id, { version: s.version, status: s.status }])
		);
		while (!stopped) {
			const id = steps[Math.floor(Math.random() * steps.length)];
			const finish = finishes > 0 && Math.random() < 0.01;
			if (finish) finishes--;
			try {
				if ((await advanceStep(http, id, known, { finish, onConflict: () => conflicts[w]++ })) !== null)
					writes[w]++;
			} catch (e) {
				if (opts.tolerate?.(e, w)) return;
				throw e;
			}
			await sleep(Math.random() * (opts.pauseMs ?? 20));
		}
	});
	const done = Promise.all(loops);
	done.catch(() => (stopped = true)); // one failing writer stops the others; stop() reports it
	return {
		writes,
		conflicts,
		total: () => writes.reduce((a, b) => a + b, 0),
		async stop() {
			stopped = true;
			await done;
		}
	};
}

// ─── the database as the judge ──────────────────────────────────────────────────────────

export interface StepRow extends StepState {
	id: number;
	companyId: number;
}

export async function stepRows(sql: Sql, ids: readonly number[]): Promise<StepRow[]> {
	const rows = await sql<{ id: number; version: number; status: string; company_id: number }[]>`
		select id, version, status, company_id from work_order_steps where id in ${sql(ids as number[])} order by id`;
	return rows.map((r) => ({
		id: Number(r.id),
		version: Number(r.version),
		status: r.status,
		companyId: Number(r.company_id)
	}));
}

/** `n` steps that can still be started or paused, spread evenly over the companies. */
export async function openSteps(sql: Sql, perCompany: number): Promise<StepRow[]> {
	const rows = await sql<{ id: number; version: number; status: string; company_id: number }[]>`
		select id, version, status, company_id from (
			select s.*, row_number() over (partition by company_id order by id) as n
			from work_order_steps s where status in ('pending', 'ready', 'paused', 'in_progress')
		) x where n <= ${perCompany} order by id`;
	return rows.map((r) => ({
		id: Number(r.id),
		version: Number(r.version),
		status: r.status,
		companyId: Number(r.company_id)
	}));
}

/**
 * The ids of the step events a user of `companyIds` is entitled to after `cursor`: everything
 * committed since that snapshot, in their companies.
 */
export async function stepEventIdsSince(
	sql: Sql,
	companyIds: readonly number[],
	cursor: string
): Promise<number[]> {
	const rows = await sql<{ id: number }[]>`
		select id from events
		where entity = 'work_order_step' and topic = 'production' and company_id in ${sql(companyIds as number[])}
			and tx_id >= pg_snapshot_xmin(${cursor}::pg_snapshot) and not pg_visible_in_snapshot(tx_id, ${cursor}::pg_snapshot)
		order by id`;
	return rows.map((r) => Number(r.id));
}

/** Inserts one raw step event (tx_id and at take their defaults), inside `tx` if given. */
export async function insertRawStepEvent(sql: Sql, step: StepRow, version: number): Promise<number> {
	const [row] = await sql<{ id: number }[]>`
		insert into events (company_id, topic, entity, entity_id, entity_version, type, payload)
		values (${step.companyId}, 'production', 'work_order_step', ${step.id}, ${version}, 'work_order_step.start', '{}')
		returning id`;
	return Number(row.id);
}

// ─── live clients: the browser's own code ───────────────────────────────────────────────

export interface StepItem extends StepRow {}

export interface LiveClient {
	name: string;
	socket: Socket;
	feed: LiveFeed;
	steps: Collection<StepItem>;
	companyIds: number[];
	/** The snapshot the client's data was read at: it is entitled to every event after it. */
	startCursor: string;
	/**
	 * Step event id → how many times the feed handed it to its subscribers. Only step events
	 * count: the nodes' background sweeps (late-step alerts, maintenance visits) may add events
	 * of other kinds at any moment, which the tests' entitled lists do not cover.
	 */
	delivered: Map<number, number>;
	/** Events of any kind the feed handed over for a company outside the client's grant. */
	foreign: LiveEvent[];
	/** Every event the feed handed over, in order. */
	events: LiveEvent[];
	/** Raw 'events' messages per event id, before the feed's deduplication. */
	raw: Map<number, number>;
	/** Events the collection applied (changed an item). */
	applied: number;
	connects: number;
	disconnects: string[];
	close(): void;
}

/**
 * A page as the browser has it: its steps and the snapshot cursor read together (one repeatable
 * read transaction, as a page load reads its data after the cursor), then a LiveFeed from that
 * cursor over a socket.io-client socket, feeding a Collection.
 */
export async function openLiveClient(opts: {
	url: string;
	token: string;
	sql: Sql;
	companyIds: number[];
	/** The steps shown; only those of the client's companies are loaded. */
	stepIds: readonly number[];
	name?: string;
	socket?: Partial<ManagerOptions & SocketOptions>;
	/** Wait until the feed is live (default true). */
	waitLive?: boolean;
}): Promise<LiveClient> {
	const { cursor, rows } = await opts.sql.begin('isolation level repeatable read', async (tx) => {
		const [{ cursor }] = await tx<{ cursor: string }[]>`select pg_current_snapshot()::text as cursor`;
		const rows = await tx<{ id: number; version: number; status: string; company_id: number }[]>`
			select id, version, status, company_id from work_order_steps
			where id in ${tx(opts.stepIds as number[])} and company_id in ${tx(opts.companyIds)} order by id`;
		return { cursor, rows };
	});
	const items: StepItem[] = rows.map((r) => ({
		id: Number(r.id),
		version: Number(r.version),
		status: r.status,
		companyId: Number(r.company_id)
	}));
	const socket = io(opts.url, {
		transports: ['websocket'],
		forceNew: true,
		extraHeaders: { cookie: `session=${opts.token}` },
		reconnectionDelay: 300,
		reconnectionDelayMax: 2000,
		timeout: 5000,
		...opts.socket
	});
	const client: LiveClient = {
		name: opts.name ?? opts.url,
		socket,
		feed: new LiveFeed(socket, { cursor }),
		steps: new Collection<StepItem>(items, { entity: 'work_order_step' }),
		companyIds: opts.companyIds,
		startCursor: cursor,
		delivered: new Map(),
		foreign: [],
		events: [],
		raw: new Map(),
		applied: 0,
		connects: 0,
		disconnects: [],
		close: () => socket.close()
	};
	socket.on('connect', () => client.connects++);
	socket.on('disconnect', (reason: string) => client.disconnects.push(reason));
	socket.on('events', (batch: { events: LiveEvent[] }) => {
		for (const e of batch.events) client.raw.set(e.id, (client.raw.get(e.id) ?? 0) + 1);
	});
	client.feed.subscribe((events) => {
		for (const e of events) {
			if (e.companyId !== null && !client.companyIds.includes(e.companyId)) client.foreign.push(e);
			if (e.entity === 'work_order_step' && e.topic === 'production')
				client.delivered.set(e.id, (client.delivered.get(e.id) ?? 0) + 1);
		}
		client.events.push(...events);
		client.applied += client.steps.apply(events);
	});
	if (opts.waitLive !== false) await waitLive(client);
	return client;
}

export async function waitLive(client: LiveClient, timeoutMs = 15_000): Promise<void> {
	await waitFor(
		() => client.socket.connected && client.feed.state.status === 'live',
		timeoutMs,
		`${client.name} to be connected and caught up (state ${client.feed.state.status})`
	);
}

/** What differs between the client's collection and the database rows it may see. */
export function collectionDiff(client: LiveClient, rows: readonly StepRow[]): string[] {
	const diffs: string[] = [];
	const mine = rows.filter((r) => client.companyIds.includes(r.companyId));
	for (const r of mine) {
		const item = client.steps.items.get(r.id);
		if (!item) diffs.push(`step ${r.id}: missing`);
		else if (item.version !== r.version || item.status !== r.status)
			diffs.push(`step ${r.id}: client v${item.version} ${item.status}, database v${r.version} ${r.status}`);
	}
	for (const id of client.steps.items.keys())
		if (!mine.some((r) => r.id === id)) diffs.push(`step ${id}: not the client's to see`);
	return diffs;
}

/**
 * Step events the client was entitled to and never got, got more than once, or got without being
 * entitled; events of any kind from a company outside its grant count as unexpected too.
 */
export function deliveryDiff(client: LiveClient, entitled: readonly number[]) {
	const want = new Set(entitled);
	return {
		missing: entitled.filter((id) => !client.delivered.has(id)),
		twice: [...client.delivered].filter(([, n]) => n > 1).map(([id]) => id),
		unexpected: [...client.delivered.keys()]
			.filter((id) => !want.has(id))
			.concat(client.foreign.map((e) => e.id))
	};
}

/** True once the client shows exactly the database and has every event it is entitled to. */
export async function converged(sql: Sql, client: LiveClient, stepIds: readonly number[]): Promise<boolean> {
	if (!client.socket.connected || client.feed.state.status !== 'live') return false;
	if (collectionDiff(client, await stepRows(sql, stepIds)).length) return false;
	const d = deliveryDiff(client, await stepEventIdsSince(sql, client.companyIds, client.startCursor));
	return d.missing.length === 0;
}

/** Events for `stepId` that the client received (by the feed). */
export function eventsFor(client: LiveClient, stepId: number): LiveEvent[] {
	return client.events.filter((e) => e.entity === 'work_order_step' && e.entityId === stepId);
}
