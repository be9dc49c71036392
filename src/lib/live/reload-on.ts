import { liveFeed } from './live.svelte';
import type { LiveEvent } from './feed';

export interface ReloadOptions {
	/** The stream position the page's data was read at: what came since is caught up first. */
	cursor?: string | null;
	/** Quiet time before the reload: a burst of events (a replan, a shift's start) is one reload. */
	delayMs?: number;
	/** Sees each batch of matching events at once, before the (debounced) reload. */
	seen?: (events: LiveEvent[]) => void;
}

/**
 * Reads a page's data again when events it cares about arrive, at most once per `delayMs`.
 * Returns the stop function, so `$effect(() => reloadOn(...))` follows the page's lifetime.
 */
export function reloadOn(
	matches: (e: LiveEvent) => boolean,
	reload: () => unknown,
	{ cursor = null, delayMs = 400, seen }: ReloadOptions = {}
): () => void {
	const feed = liveFeed();
	let timer: ReturnType<typeof setTimeout> | undefined;
	const onEvents = (events: LiveEvent[]) => {
		const hits = events.filter(matches);
		if (hits.length === 0) return;
		seen?.(hits);
		clearTimeout(timer);
		timer = setTimeout(() => void reload(), delayMs);
	};
	const off = feed.subscribe(onEvents);
	if (cursor) void feed.since(cursor, onEvents);
	return () => {
		off();
		clearTimeout(timer);
	};
}
