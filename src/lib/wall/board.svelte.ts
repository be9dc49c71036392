import { tick } from 'svelte';
import { liveFeed } from '$lib/live/live.svelte';
import type { LiveEvent } from '$lib/live/feed';
import { figures, type Board, type BoardFigures } from './board';
import { BoardIndex } from './board-events';

export interface Snapshot {
	board: Board;
	cursor: string;
}

/**
 * A wall board kept current by live events only: no polling. Each batch is applied to the
 * board in place and the figures derived again; an event the board cannot place asks for one
 * fresh read of the snapshot (debounced, so a burst costs one request), after which the events
 * since that read are applied on top. Created in the page (never at module level: a server
 * render must not share it).
 */
export class LiveBoard {
	#board: Board = $state.raw({} as Board);
	#index!: BoardIndex;
	#cursor = '';
	#changes = $state(0);
	#timer: ReturnType<typeof setTimeout> | undefined;
	#reloading = false;
	#pending = false;
	/** Reads of the snapshot so far (the first one is the page's own): shown for diagnosis. */
	reloads = $state(0);

	readonly figures: BoardFigures = $derived.by(() => {
		void this.#changes;
		return figures(this.#board);
	});

	constructor(
		snapshot: Snapshot,
		/** Where a fresh snapshot is read: the API with the page's company filter. */
		private readonly url: string,
		private readonly delayMs = 250
	) {
		this.replace(snapshot);
	}

	get today(): string {
		return this.#board.today;
	}

	get companies() {
		return this.#board.companies;
	}

	get centres() {
		return this.#board.centres;
	}

	/** Adopts a snapshot (the page's data, or a fresh read) and the stream position it was read at. */
	replace(snapshot: Snapshot): void {
		this.#board = snapshot.board;
		this.#index = new BoardIndex(snapshot.board);
		this.#cursor = snapshot.cursor;
		this.#changes++;
	}

	/** Follows the live feed from the snapshot's position; returns the stop function. */
	follow(): () => void {
		const feed = liveFeed();
		const off = feed.subscribe((events) => this.apply(events));
		// A reload that failed (offline) is retried once the connection is back and caught up.
		const offState = feed.onState((s) => {
			if (s.status === 'live' && this.#pending) this.reload();
		});
		void this.catchUp(this.#cursor);
		return () => {
			off();
			offState();
			clearTimeout(this.#timer);
		};
	}

	apply(events: readonly LiveEvent[]): void {
		const start = performance.now();
		const { changed, reload } = this.#index.apply(events);
		if (changed) {
			this.#changes++;
			// How long an event takes to reach the screen once it is here (bench/wall.ts reads it).
			void tick().then(() => performance.measure('wall:apply', { start }));
		}
		if (reload) this.reload();
	}

	/** One fresh read of the snapshot a moment after the last event that asked for it. */
	reload(): void {
		this.#pending = true;
		clearTimeout(this.#timer);
		this.#timer = setTimeout(() => void this.read(), this.delayMs);
	}

	private async read(): Promise<void> {
		if (this.#reloading) return void this.reload();
		this.#reloading = true;
		try {
			const res = await fetch(this.url, { headers: { accept: 'application/json' } });
			if (!res.ok) return void setTimeout(() => this.reload(), 5000);
			const snapshot = (await res.json()) as Snapshot;
			this.#pending = false;
			this.replace(snapshot);
			this.reloads++;
			await this.catchUp(snapshot.cursor);
		} catch {
			// Offline: #pending stays set and the next 'live' state reads again.
		} finally {
			this.#reloading = false;
		}
	}

	private async catchUp(cursor: string): Promise<void> {
		const result = await liveFeed().since(cursor, (events) => this.apply(events));
		if (result === 'reset') this.reload();
	}
}
