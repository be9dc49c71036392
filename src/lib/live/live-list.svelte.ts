import { liveFeed } from './live.svelte';
import type { LiveEvent } from './feed';

/**
 * A list page that follows the stream: an event for a row on the page changes that row at once
 * (status, who claimed it, amounts), and a moment later the page's data is read again so rows
 * that enter or leave the filter, or move in the sort, do so too. Used by the orders list and
 * the approval queue.
 */
export class LiveRows<T extends { id: number; version: number }> {
	private patches: Record<number, Partial<T> & { version: number }> = $state({});

	constructor(
		private readonly entity: string,
		/** The row fields an event's payload gives. */
		private readonly shape: (e: LiveEvent) => Partial<T>,
		/** Reads the page's data again (SvelteKit `invalidate` of the page's dependency). */
		private readonly reload: () => unknown,
		private readonly delayMs = 300
	) {}

	/** Follows the feed from `cursor` (where the page's data was read); returns the stop function. */
	follow(cursor: string | null): () => void {
		const feed = liveFeed();
		let timer: ReturnType<typeof setTimeout> | undefined;
		const onEvents = (events: LiveEvent[]) => {
			let any = false;
			for (const e of events) {
				if (e.entity !== this.entity) continue;
				any = true;
				const known = this.patches[e.entityId];
				if (!known || known.version < e.version)
					this.patches[e.entityId] = { ...this.shape(e), version: e.version };
			}
			if (!any) return;
			clearTimeout(timer);
			timer = setTimeout(() => void this.reload(), this.delayMs);
		};
		const off = feed.subscribe(onEvents);
		if (cursor) void feed.since(cursor, onEvents);
		return () => {
			off();
			clearTimeout(timer);
		};
	}

	/** The rows with every newer event applied. */
	apply(rows: readonly T[]): T[] {
		return rows.map((r) => {
			const p = this.patches[r.id];
			return p && p.version > r.version ? { ...r, ...p } : r;
		});
	}
}
