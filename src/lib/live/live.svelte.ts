import { io, type Socket } from 'socket.io-client';
import { invalidateAll } from '$app/navigation';
import { LiveFeed, type ConnectionState, type LiveEvent } from './feed';
import { applyEvent, type CollectionRules, type Versioned } from './collection';

/**
 * The live core as the pages use it: one feed per tab, its connection state as rune state for
 * the indicator, and collections whose items are rune state updated by events.
 */
let feed: LiveFeed | null = null;
let socket: Socket | null = null;
export const connection: ConnectionState = $state({ status: 'connecting', since: null });

export function liveFeed(): LiveFeed {
	if (feed) return feed;
	// WebSocket only: with several nodes behind a load balancer no sticky sessions are needed.
	const s = (socket = io({ transports: ['websocket'], reconnectionDelayMax: 5000 }));
	feed = new LiveFeed(s, { online: () => navigator.onLine });
	feed.onState((s) => Object.assign(connection, s));
	// Too far behind to catch up: load the page's data again.
	feed.onReset(() => void invalidateAll());
	addEventListener('online', () => {
		if (!s.connected) s.connect();
	});
	return feed;
}

/** The tab's socket, for requests other than events (presence). */
export function liveSocket(): Socket {
	liveFeed();
	return socket!;
}

/** Closes the connection (sign-out); the next page that needs it opens a new one. */
export function closeLive(): void {
	socket?.close();
	feed = socket = null;
}

export class LiveCollection<T extends Versioned> {
	items: T[] = $state([]);
	/** Ids changed by someone else in the last few seconds, for a brief highlight. */
	recent: Set<number> = $state(new Set());
	private readonly index = new Map<number, number>();
	private readonly off: () => void;

	/** `cursor` is the position the page read its data at (see stream.ts currentCursor). */
	constructor(
		items: readonly T[],
		cursor: string | null,
		private readonly rules: CollectionRules<T>
	) {
		this.items = [...items];
		this.items.forEach((item, i) => this.index.set(item.id, i));
		const f = liveFeed();
		this.off = f.subscribe((events) => this.apply(events));
		if (cursor) void f.since(cursor, (events) => this.apply(events));
	}

	get(id: number): T | undefined {
		const i = this.index.get(id);
		return i === undefined ? undefined : this.items[i];
	}

	/** A write's own answer is applied like an event, so the writer's screen changes at once. */
	put(item: T): void {
		const i = this.index.get(item.id);
		if (i === undefined) {
			this.index.set(item.id, this.items.length);
			this.items.push(item);
		} else if (item.version > this.items[i].version) this.items[i] = item;
	}

	apply(events: readonly LiveEvent[]): void {
		for (const e of events) {
			const i = this.index.get(e.entityId);
			const next = applyEvent(i === undefined ? undefined : this.items[i], e, this.rules);
			if (!next) continue;
			this.put(next);
			this.flash(e.entityId);
		}
	}

	private flash(id: number): void {
		this.recent = new Set(this.recent).add(id);
		setTimeout(() => {
			const rest = new Set(this.recent);
			rest.delete(id);
			this.recent = rest;
		}, 2500);
	}

	destroy(): void {
		this.off();
	}
}
