import type { LiveEvent } from './feed';

export interface Versioned {
	id: number;
	version: number;
}

export interface CollectionRules<T extends Versioned> {
	/** The entity name the events carry (e.g. 'work_order_step'). */
	entity: string;
	/** The item after the event; by default the payload's fields over the item's, with the new version. */
	merge?: (item: T, event: LiveEvent) => T;
	/** A record not in the collection yet: the item to add, or null to leave it out (the default). */
	insert?: (event: LiveEvent) => T | null;
}

const defaultMerge = <T extends Versioned>(item: T, e: LiveEvent): T => ({ ...item, ...e.payload, version: e.version });

/**
 * Applies one event to items keyed by id. An event for a version the item already has, or an
 * older one, changes nothing: duplicates and late arrivals are harmless. Returns the new item
 * (or null when the event did not apply) so the caller can update its own store.
 */
export function applyEvent<T extends Versioned>(
	current: T | undefined,
	event: LiveEvent,
	rules: CollectionRules<T>
): T | null {
	if (event.entity !== rules.entity) return null;
	if (!current) return rules.insert?.(event) ?? null;
	if (event.version <= current.version) return null;
	return (rules.merge ?? defaultMerge)(current, event);
}

/** A plain keyed collection (tests, benchmarks); the pages use the rune version in collection.svelte.ts. */
export class Collection<T extends Versioned> {
	readonly items = new Map<number, T>();
	constructor(
		items: readonly T[],
		readonly rules: CollectionRules<T>
	) {
		for (const item of items) this.items.set(item.id, item);
	}
	apply(events: readonly LiveEvent[]): number {
		let changed = 0;
		for (const e of events) {
			const next = applyEvent(this.items.get(e.entityId), e, this.rules);
			if (next) {
				this.items.set(e.entityId, next);
				changed++;
			}
		}
		return changed;
	}
}
