import { z } from 'zod';
import { asc, desc, sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { trimmed } from '../validate';

/**
 * Server-side paging, sorting and search shared by every list: the same query parameters
 * (page, pageSize, sort, dir, q) for pages, the API and exports.
 */
export const PAGE_SIZES = [10, 25, 50, 100] as const;

const emptyToUndefined = (v: unknown) => (v === '' || v === null ? undefined : v);

export function listQuery<S extends readonly [string, ...string[]], F extends z.ZodRawShape>(
	sorts: S,
	filters: F
) {
	return z
		.object({
			page: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(1_000_000).default(1)),
			pageSize: z.preprocess(emptyToUndefined, z.coerce.number().int().min(1).max(200).default(25)),
			sort: z.preprocess(emptyToUndefined, z.enum(sorts).optional()),
			dir: z.preprocess(emptyToUndefined, z.enum(['asc', 'desc']).optional()),
			q: z.preprocess(emptyToUndefined, trimmed(0, 100).optional()),
			...filters
		})
		.strict();
}

/** An optional filter parameter: empty strings count as absent. */
export const opt = <T extends z.ZodType>(schema: T) => z.preprocess(emptyToUndefined, schema.optional());
export const optId = () => opt(z.coerce.number().int().min(1).max(2_147_483_647));
/** A calendar date PostgreSQL can store (year 1 to 9999). */
export const optDate = () => opt(z.iso.date().refine((d) => d >= '0001-01-01'));
export const optBool = () => opt(z.enum(['true', 'false']).transform((v) => v === 'true'));

export interface Page<T> {
	rows: T[];
	total: number;
	page: number;
	pageSize: number;
	sort: string;
	dir: 'asc' | 'desc';
	/** True when `total` is a lower bound: there are more rows than were counted. */
	totalCapped?: boolean;
}

/** ORDER BY the chosen column, then id, so paging is stable when values tie. */
export function ordering(column: AnyColumn | SQL, dir: 'asc' | 'desc', id: AnyColumn): SQL[] {
	return dir === 'asc' ? [asc(column), asc(id)] : [desc(column), desc(id)];
}

/** `%q%` for ILIKE with the user's % and _ taken literally. */
export function likePattern(q: string): string {
	return `%${q.toLowerCase().replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}

export function ilike(column: AnyColumn | SQL, q: string): SQL {
	return sql`${column} ilike ${likePattern(q)}`;
}

/**
 * Substring match on a column that is stored lower-cased (orders.search_text): LIKE with the
 * lower-cased pattern finds the same rows as ILIKE, uses the same trigram index, and costs a
 * fraction of ILIKE on a sequential scan (no per-row case folding of multibyte text).
 */
export function containsLower(column: AnyColumn | SQL, q: string): SQL {
	return sql`${column} like ${likePattern(q)}`;
}

/**
 * Lists count at most this many rows (or up to the page asked for): past it the total reads
 * "10,000+". A text search stops at 1,000: a two-character Chinese fragment cannot use the
 * trigram index, and "1,000+ matches" says all a search box needs to.
 */
export const COUNT_CAP = 10_000;
export const SEARCH_COUNT_CAP = 1_000;

/** Query-string parameters as a plain object (the first value of each), for `listQuery` schemas. */
export function paramsOf(url: URL | URLSearchParams): Record<string, string> {
	const params = url instanceof URL ? url.searchParams : url;
	// No prototype: `constructor` or `__proto__` reach the strict schema and are refused there.
	const out: Record<string, string> = Object.create(null);
	for (const [k, v] of params) if (!Object.hasOwn(out, k)) out[k] = v;
	return out;
}
