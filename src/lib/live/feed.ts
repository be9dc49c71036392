/**
 * The browser's end of the live core, free of Svelte so tests and benchmarks run the very same
 * code: one socket per tab, events in order, a catch-up from the last position applied after
 * every (re)connect, and a reload of the page's data when too far behind. Collections
 * (collection.ts) drop duplicates and older versions, so an event may safely arrive twice.
 */

export interface LiveEvent {
	id: number;
	companyId: number | null;
	topic: string;
	entity: string;
	entityId: number;
	version: number;
	type: string;
	payload: Record<string, unknown>;
	actorId: number | null;
	at: string;
}

export type ConnectionStatus = 'connecting' | 'live' | 'reconnecting' | 'offline' | 'signed_out';
export interface ConnectionState {
	status: ConnectionStatus;
	/** When the connection was last lost (for "offline since hh:mm"). */
	since: Date | null;
}

type CatchupAnswer =
	| { ok: true; events: LiveEvent[]; cursor: string }
	| { ok: false; reset?: true; error?: { code: string; message: string } };

/** What the feed needs of a socket.io-client Socket. */
export interface FeedSocket {
	connected: boolean;
	on(event: string, fn: (...args: any[]) => void): unknown;
	timeout(ms: number): { emitWithAck(event: string, ...args: unknown[]): Promise<any> };
	emit(event: string, ...args: unknown[]): unknown;
	connect(): unknown;
	close(): unknown;
	io: { on(event: string, fn: (...args: any[]) => void): unknown };
}

const ACK_TIMEOUT_MS = 10_000;
/** Recently applied event ids, to drop an event heard both live and by catch-up. */
const SEEN_LIMIT = 5000;

export class LiveFeed {
	/** The position after the last event applied; null until the first catch-up answers. */
	cursor: string | null;
	state: ConnectionState = { status: 'connecting', since: null };
	private syncing = true;
	private readonly listeners = new Set<(events: LiveEvent[]) => void>();
	private readonly resetListeners = new Set<() => void>();
	private readonly stateListeners = new Set<(s: ConnectionState) => void>();
	private readonly seen = new Set<number>();

	constructor(
		readonly socket: FeedSocket,
		opts: { cursor?: string | null; online?: () => boolean } = {}
	) {
		this.cursor = opts.cursor ?? null;
		const online = opts.online ?? (() => true);
		socket.on('connect', () => void this.sync());
		socket.on('disconnect', (reason: string) => {
			this.syncing = true;
			this.setState(online() ? 'reconnecting' : 'offline');
			// A server-side close is final for socket.io-client; try again anyway: a signed-out
			// session is then refused ('signed_out'), a restarting node's clients come back.
			if (reason === 'io server disconnect') setTimeout(() => socket.connect(), 500 + Math.random() * 1500);
		});
		socket.on('connect_error', (e: Error) => {
			if (e.message === 'unauthenticated') this.setState('signed_out');
			else if (this.state.status !== 'connecting') this.setState(online() ? 'reconnecting' : 'offline');
		});
		socket.on('events', (batch: { events: LiveEvent[]; cursor: string }) => {
			this.deliver(batch.events);
			if (!this.syncing) this.cursor = batch.cursor;
		});
		socket.on('cursor', (cursor: string) => {
			if (!this.syncing) this.cursor = cursor;
		});
		if (socket.connected) void this.sync();
	}

	/** Every event applied from now on; returns the unsubscribe function. */
	subscribe(fn: (events: LiveEvent[]) => void): () => void {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	/** Called when the feed was too far behind to catch up: reload the data shown. */
	onReset(fn: () => void): () => void {
		this.resetListeners.add(fn);
		return () => this.resetListeners.delete(fn);
	}

	onState(fn: (s: ConnectionState) => void): () => void {
		this.stateListeners.add(fn);
		fn(this.state);
		return () => this.stateListeners.delete(fn);
	}

	/**
	 * The events after `cursor` (a page's snapshot position, read before its data), for data
	 * loaded after the feed started. They go to `fn` only; duplicates are the collection's to drop.
	 */
	async since(cursor: string, fn: (events: LiveEvent[]) => void): Promise<'ok' | 'reset' | 'failed'> {
		await this.live(); // the feed's own catch-up first, so this one is short
		try {
			const answer: CatchupAnswer = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('catchup', { since: cursor });
			if (answer.ok) {
				fn(answer.events);
				return 'ok';
			}
			return answer.reset ? 'reset' : 'failed';
		} catch {
			return 'failed';
		}
	}

	/** Resolves once the feed is connected and caught up. */
	live(): Promise<void> {
		if (!this.syncing) return Promise.resolve();
		return new Promise((resolve) => {
			const off = this.onState((s) => {
				if (s.status === 'live') {
					queueMicrotask(() => off());
					resolve();
				}
			});
		});
	}

	/** After every (re)connect: what was missed since the last position, then live again. */
	private async sync(): Promise<void> {
		this.syncing = true;
		let reset = false;
		for (let attempt = 0; this.socket.connected; attempt++) {
			let answer: CatchupAnswer;
			try {
				answer = await this.socket.timeout(ACK_TIMEOUT_MS).emitWithAck('catchup', { since: this.cursor });
			} catch {
				await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 5000)));
				continue;
			}
			if (answer.ok) {
				this.deliver(answer.events);
				this.cursor = answer.cursor;
				this.syncing = false;
				this.setState('live');
				if (reset) for (const fn of this.resetListeners) fn();
				return;
			}
			if (answer.reset) {
				// Too far behind: take the current position first, then reload, so nothing falls between.
				this.cursor = null;
				this.seen.clear();
				reset = true;
				continue; // the next round answers with the current cursor and no events
			}
			await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 5000)));
		}
	}

	private deliver(events: LiveEvent[]): void {
		const fresh = events.filter((e) => !this.seen.has(e.id));
		if (!fresh.length) return;
		for (const e of fresh) this.seen.add(e.id);
		if (this.seen.size > SEEN_LIMIT) {
			const drop = this.seen.size - SEEN_LIMIT;
			let i = 0;
			for (const id of this.seen) {
				if (i++ >= drop) break;
				this.seen.delete(id);
			}
		}
		for (const fn of this.listeners) fn(fresh);
	}

	private setState(status: ConnectionStatus): void {
		if (status === this.state.status) return;
		const since = status === 'live' || status === 'connecting' ? null : (this.state.since ?? new Date());
		this.state = { status, since };
		for (const fn of this.stateListeners) fn(this.state);
	}
}
