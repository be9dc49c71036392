import type { Snippet } from 'svelte';
import type { LabelList } from '$lib/labels';

/** A column of a server-paged list. */
export interface Column<Row> {
	key: string;
	label: () => string;
	/** The sort key the service accepts, when the column can be sorted. */
	sort?: string;
	kind?: 'text' | 'money' | 'date' | 'datetime' | 'number' | 'badge';
	/** For badges: which label list names the value. */
	labels?: LabelList;
	value: (row: Row) => string | number | boolean | null | undefined;
	href?: (row: Row) => string;
	/** Long text (names, descriptions) may wrap; other cells stay on one line. */
	wrap?: boolean;
	/** Highlight the row's cell (e.g. overdue). */
	alert?: (row: Row) => boolean;
	/** Draws the cell itself (a live countdown, a badge with its own colours) instead of the text of `value`. */
	snippet?: Snippet<[Row]>;
}

export interface PageData<Row> {
	rows: Row[];
	total: number;
	page: number;
	pageSize: number;
	sort: string;
	dir: 'asc' | 'desc';
	/** `total` is a lower bound: counting stopped there. */
	totalCapped?: boolean;
}

/** The current URL with some query parameters replaced (undefined removes one). */
export function withParams(url: URL, changes: Record<string, string | number | undefined>): string {
	const next = new URL(url);
	for (const [k, v] of Object.entries(changes)) {
		if (v === undefined || v === '') next.searchParams.delete(k);
		else next.searchParams.set(k, String(v));
	}
	return next.pathname + next.search;
}

/** A user's saved filter of a list page: the query parameters it applies. */
export interface SavedFilterItem {
	id: number;
	name: string;
	query: Record<string, string>;
}
