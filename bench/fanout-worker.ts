/**
 * One of bench/fanout.ts's client processes: holds a share of the Socket.IO clients, counts
 * every event each of them applies (by id), and records commit-to-receive latency.
 *
 * App clients are what a browser tab runs: a socket.io-client socket (WebSocket only, the
 * session cookie in the handshake) driven by the app's own LiveFeed (src/lib/live/feed.ts), so
 * catch-up after a reconnect and de-duplication are the real client's. Latency is taken when
 * the feed hands the events to its subscriber. Bare clients are plain sockets on the bare
 * server (fanout-bare.ts), for comparison.
 *
 * Forked by fanout.ts; every IPC request carries an `id` and is answered with the same `id`.
 */
import { io as connect, type Socket } from 'socket.io-client';
import { LiveFeed, type LiveEvent } from '../src/lib/live/feed';
import { Histogram, atMs, wallMs } from './lib/histogram';

type Target = 'app' | 'bare';

export interface ClientSpec {
	key: number;
	/** App clients: `session=<token>`. */
	cookie?: string;
	/** App clients: the companies whose production events this client may hear. */
	companies?: number[];
}

/** How often each event id reached one client; index = id − the tracking base − 1. */
class Counts {
	a = new Uint8Array(1024);
	bump(i: number): number {
		if (i >= this.a.length) {
			let n = this.a.length;
			while (n <= i) n *= 2;
			const b = new Uint8Array(n);
			b.set(this.a);
			this.a = b;
		}
		const v = this.a[i];
		if (v < 255) this.a[i] = v + 1;
		return v;
	}
	get(i: number): number {
		return i < this.a.length ? this.a[i] : 0;
	}
}

interface Client {
	key: number;
	socket: Socket;
	feed?: LiveFeed;
	companies: Set<number>;
	/** Events the client applied (after LiveFeed for app clients). */
	applied: Counts;
	/** Events as they arrived on the socket's 'events' message (live pushes only). */
	raw: Counts;
	connectAt: number;
	cutAt: number;
	awaitingCatchup: boolean;
	cuts: number;
	timers: NodeJS.Timeout[];
}

const clients: Record<Target, Map<number, Client>> = { app: new Map(), bare: new Map() };
const track: Record<Target, { on: boolean; base: number }> = {
	app: { on: false, base: 0 },
	bare: { on: false, base: 0 }
};
const latency: Record<Target, Histogram> = { app: new Histogram(), bare: new Histogram() };
const received: Record<Target, number> = { app: 0, bare: 0 };
const catchup = new Histogram();
const outage = new Histogram();
let cutsSkipped = 0;
let resets = 0;

function applied(c: Client, target: Target, events: { id: number; at: string }[]) {
	const t = track[target];
	if (!t.on) return;
	const now = wallMs();
	for (const e of events) {
		if (e.id <= t.base) continue;
		if (c.applied.bump(e.id - t.base - 1) === 0) {
			latency[target].add(now - atMs(e.at));
			received[target]++;
		}
	}
}

function rawSeen(c: Client, target: Target, events: { id: number }[]) {
	const t = track[target];
	if (!t.on) return;
	for (const e of events) if (e.id > t.base) c.raw.bump(e.id - t.base - 1);
}

function newClient(target: Target, url: string, spec: ClientSpec): Client {
	const socket = connect(url, {
		transports: ['websocket'],
		forceNew: true, // one connection per client: io() would otherwise multiplex them on one
		extraHeaders: spec.cookie ? { cookie: spec.cookie } : undefined,
		timeout: 30_000,
		reconnectionDelay: 1000,
		reconnectionDelayMax: 5000
	});
	const c: Client = {
		key: spec.key,
		socket,
		companies: new Set(spec.companies ?? []),
		applied: new Counts(),
		raw: new Counts(),
		connectAt: 0,
		cutAt: 0,
		awaitingCatchup: false,
		cuts: 0,
		timers: []
	};
	// Before the feed's own listener is added, so the catch-up is timed from the very connect.
	socket.on('connect', () => {
		c.connectAt = wallMs();
		if (c.cutAt) c.awaitingCatchup = true;
	});
	if (target === 'app') {
		const feed = new LiveFeed(socket as never);
		c.feed = feed;
		feed.subscribe((events: LiveEvent[]) => applied(c, 'app', events));
		feed.onReset(() => resets++);
		feed.onState((s) => {
			if (s.status === 'live' && c.awaitingCatchup) {
				const now = wallMs();
				catchup.add(now - c.connectAt);
				outage.add(c.connectAt - c.cutAt);
				c.awaitingCatchup = false;
			}
		});
		socket.on('events', (batch: { events: LiveEvent[] }) => rawSeen(c, 'app', batch.events));
	} else {
		socket.on('events', (batch: { events: { id: number; at: string }[] }) => {
			rawSeen(c, 'bare', batch.events);
			applied(c, 'bare', batch.events);
		});
	}
	return c;
}

function ready(target: Target, c: Client, timeoutMs: number): Promise<boolean> {
	return new Promise((resolve) => {
		const timer = setTimeout(() => resolve(false), timeoutMs);
		const done = () => {
			clearTimeout(timer);
			resolve(true);
		};
		if (target === 'app') void c.feed!.live().then(done);
		else if (c.socket.connected) done();
		else c.socket.once('connect', done);
	});
}

async function open(target: Target, url: string, specs: ClientSpec[], concurrency: number) {
	const t = performance.now();
	let failed = 0;
	let next = 0;
	const lane = async () => {
		while (next < specs.length) {
			const spec = specs[next++];
			const c = newClient(target, url, spec);
			clients[target].set(spec.key, c);
			if (!(await ready(target, c, 60_000))) failed++;
		}
	};
	await Promise.all(Array.from({ length: Math.min(concurrency, specs.length) }, lane));
	return { opened: specs.length, failed, ms: performance.now() - t };
}

function close(target: Target, keys: number[] | 'all') {
	const map = clients[target];
	const list = keys === 'all' ? [...map.keys()] : keys;
	for (const k of list) {
		const c = map.get(k);
		if (!c) continue;
		for (const t of c.timers) clearTimeout(t);
		c.socket.close();
		map.delete(k);
	}
	return { closed: list.length, left: map.size };
}

function startTracking(target: Target, base: number) {
	track[target] = { on: true, base };
	latency[target].reset();
	received[target] = 0;
	if (target === 'app') {
		catchup.reset();
		outage.reset();
		cutsSkipped = 0;
		resets = 0;
	}
	for (const c of clients[target].values()) {
		c.applied = new Counts();
		c.raw = new Counts();
		c.cuts = 0;
	}
}

/**
 * Each app client is cut off (its engine closed, as a network drop would) every `periodMs`,
 * staggered by its key; the manager's automatic reconnection comes back after `cutMs`, and
 * LiveFeed catches up from its last cursor.
 */
function scheduleDrops(total: number, startAt: number, endAt: number, periodMs: number, cutMs: number) {
	for (const c of clients.app.values()) {
		c.socket.io.reconnectionDelay(cutMs);
		c.socket.io.reconnectionDelayMax(cutMs);
		c.socket.io.randomizationFactor(0);
		for (let at = startAt + ((c.key % total) / total) * periodMs; at + cutMs < endAt; at += periodMs) {
			c.timers.push(
				setTimeout(
					() => {
						if (!c.socket.connected || c.awaitingCatchup) {
							cutsSkipped++;
							return;
						}
						c.cutAt = wallMs();
						c.cuts++;
						(c.socket.io as unknown as { engine: { close(): void } }).engine.close();
					},
					Math.max(0, at - wallMs())
				)
			);
		}
	}
}

function status() {
	let notLive = 0;
	let disconnected = 0;
	for (const c of clients.app.values()) {
		if (!c.socket.connected) disconnected++;
		if (c.feed && c.feed.state.status !== 'live') notLive++;
		else if (c.awaitingCatchup) notLive++;
	}
	let bareDisconnected = 0;
	for (const c of clients.bare.values()) if (!c.socket.connected) bareDisconnected++;
	return {
		app: clients.app.size,
		bare: clients.bare.size,
		notLive,
		disconnected,
		bareDisconnected,
		received: { ...received }
	};
}

/**
 * Per client, against what it may hear: `ids` (ascending, all > base) with `companies[i]` the
 * company of ids[i]; bare clients expect every id 1..count.
 */
function report(target: Target, expected: { ids: number[]; companies: number[] } | { count: number }) {
	const base = track[target].base;
	let exp = 0;
	let delivered = 0;
	let duplicated = 0;
	let rawDuplicated = 0;
	let unexpected = 0;
	let clientsMissing = 0;
	let minShare = 1;
	let cuts = 0;
	const ids = 'ids' in expected ? expected.ids : Array.from({ length: expected.count }, (_, i) => i + 1);
	const companyOf = 'ids' in expected ? expected.companies : null;
	const span = ids.length ? ids[ids.length - 1] - base : 0;
	for (const c of clients[target].values()) {
		let e = 0;
		let d = 0;
		const entitled = new Uint8Array(span);
		for (let i = 0; i < ids.length; i++) {
			if (companyOf && !c.companies.has(companyOf[i])) continue;
			const idx = ids[i] - base - 1;
			entitled[idx] = 1;
			e++;
			const n = c.applied.get(idx);
			if (n > 0) d++;
			if (n > 1) duplicated += n - 1;
			const r = c.raw.get(idx);
			if (r > 1) rawDuplicated += r - 1;
		}
		for (let idx = 0; idx < c.applied.a.length; idx++)
			if (c.applied.a[idx] && !(idx < span && entitled[idx])) unexpected++;
		exp += e;
		delivered += d;
		if (d < e) clientsMissing++;
		if (e > 0) minShare = Math.min(minShare, d / e);
		cuts += c.cuts;
	}
	track[target].on = false;
	return {
		clients: clients[target].size,
		expected: exp,
		delivered,
		duplicated,
		rawDuplicated,
		unexpected,
		clientsMissing,
		minShare,
		cuts,
		cutsSkipped,
		resets,
		latency: latency[target].toSparse(),
		catchup: target === 'app' ? catchup.toSparse() : null,
		outage: target === 'app' ? outage.toSparse() : null
	};
}

type Request =
	| { id: number; type: 'open'; target: Target; url: string; specs: ClientSpec[]; concurrency?: number }
	| { id: number; type: 'close'; target: Target; keys: number[] | 'all' }
	| { id: number; type: 'track'; target: Target; base: number }
	| {
			id: number;
			type: 'drop';
			total: number;
			startAt: number;
			endAt: number;
			periodMs: number;
			cutMs: number;
	  }
	| { id: number; type: 'status' }
	| {
			id: number;
			type: 'report';
			target: Target;
			expected: { ids: number[]; companies: number[] } | { count: number };
	  }
	| { id: number; type: 'exit' };

process.on('message', async (msg: Request) => {
	const reply = (body: object) => process.send!({ id: msg.id, ...body });
	try {
		switch (msg.type) {
			case 'open':
				return reply(await open(msg.target, msg.url, msg.specs, msg.concurrency ?? 20));
			case 'close':
				return reply(close(msg.target, msg.keys));
			case 'track':
				startTracking(msg.target, msg.base);
				return reply({ ok: true });
			case 'drop':
				scheduleDrops(msg.total, msg.startAt, msg.endAt, msg.periodMs, msg.cutMs);
				return reply({ ok: true });
			case 'status':
				return reply(status());
			case 'report':
				return reply(report(msg.target, msg.expected));
			case 'exit':
				close('app', 'all');
				close('bare', 'all');
				reply({ ok: true });
				setTimeout(() => process.exit(0), 50);
				return;
		}
	} catch (e) {
		reply({ error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
	}
});
process.on('disconnect', () => process.exit(0));
