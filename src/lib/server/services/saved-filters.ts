import { z } from 'zod';
import { and, asc, count, eq, inArray, ne, sql } from 'drizzle-orm';
import { schema } from '../db';
import { authorize } from '../authz';
import type { Permission } from '../../domain/permissions';
import { NotFoundError, UnauthenticatedError, ValidationError } from '../errors';
import { parseId, parseInput, text, trimmed, type Locale } from '../validate';
import { m } from '../../paraglide/messages';
import type { Ctx } from './context';

const { savedFilters, users } = schema;

/**
 * A user's named filters of a list page, reapplied in one click. Each user sees and deletes
 * only their own; saving under a name already used for that list replaces its query.
 */
export const SAVED_FILTER_LISTS = ['orders', 'approvals'] as const;
export type SavedFilterList = (typeof SAVED_FILTER_LISTS)[number];
export const MAX_SAVED_FILTERS = 50;
const MAX_PARAMS = 30;
const MAX_VALUE = 200;

/** Seeing a list's saved filters needs the permission to read that list. */
const READ: Record<SavedFilterList, Permission> = { orders: 'orders.read', approvals: 'approvals.read' };

export interface SavedFilter {
	id: number;
	list: SavedFilterList;
	name: string;
	query: Record<string, string>;
}

function listSchema(locale: Locale) {
	return z.enum(SAVED_FILTER_LISTS, { error: () => m.track_saved_list_invalid({}, { locale }) });
}

/** Parses a save request; any problem with a field reads as that field's one clear message. */
function parseSave(input: unknown, locale: Locale) {
	const messages = {
		list: m.track_saved_list_invalid({}, { locale }),
		name: m.track_saved_name_invalid({}, { locale }),
		query: m.track_saved_query_invalid({}, { locale })
	};
	const shape = z.object({
		list: z.enum(SAVED_FILTER_LISTS),
		name: trimmed(1, 60),
		query: z
			.record(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,59}$/), text(0, MAX_VALUE))
			.refine((q) => Object.keys(q).length <= MAX_PARAMS)
	});
	const result = shape.safeParse(input);
	if (result.success) return result.data;
	const fields = new Set<keyof typeof messages>();
	for (const issue of result.error.issues) {
		const key = issue.path[0];
		fields.add(key === 'list' || key === 'name' || key === 'query' ? key : 'query');
	}
	const issues = [...fields].map((path) => ({ path, message: messages[path] }));
	throw new ValidationError(issues.map((i) => i.message).join(' '), issues);
}

function parseList(raw: unknown, locale: Locale): SavedFilterList {
	return parseInput(z.object({ list: listSchema(locale) }), { list: raw }, locale).list;
}

function actorFor(ctx: Ctx, list: SavedFilterList) {
	return authorize(ctx.actor, READ[list]);
}

/**
 * The actor's saved filters of one list, or with no list given, of every list they may read
 * (by list, then name).
 */
export async function listSavedFilters(ctx: Ctx, rawList?: unknown): Promise<SavedFilter[]> {
	if (!ctx.actor) throw new UnauthenticatedError();
	const actor = ctx.actor;
	const lists =
		rawList === undefined || rawList === null || rawList === ''
			? SAVED_FILTER_LISTS.filter((l) => actor.permissions.has(READ[l]))
			: [parseList(rawList, actor.locale)];
	for (const l of lists) actorFor(ctx, l);
	if (lists.length === 0) return [];
	const rows = await ctx.db
		.select({
			id: savedFilters.id,
			list: savedFilters.list,
			name: savedFilters.name,
			query: savedFilters.query
		})
		.from(savedFilters)
		.where(and(eq(savedFilters.userId, actor.id), inArray(savedFilters.list, lists)))
		.orderBy(asc(savedFilters.list), asc(savedFilters.name), asc(savedFilters.id));
	return rows as SavedFilter[];
}

/** Saves a filter under its name (replacing one of the same name), at most 50 per user and list. */
export async function saveFilter(ctx: Ctx, input: unknown): Promise<SavedFilter> {
	if (!ctx.actor) throw new UnauthenticatedError();
	const locale = ctx.actor.locale;
	const v = parseSave(input, locale);
	const a = actorFor(ctx, v.list);
	return ctx.db.transaction(async (tx) => {
		// Saves of one user take turns, so two at once cannot pass the limit together.
		await tx.select({ id: users.id }).from(users).where(eq(users.id, a.id)).for('update');
		const [{ n }] = await tx
			.select({ n: count() })
			.from(savedFilters)
			.where(
				and(eq(savedFilters.userId, a.id), eq(savedFilters.list, v.list), ne(savedFilters.name, v.name))
			);
		if (Number(n) >= MAX_SAVED_FILTERS) {
			const message = m.track_saved_limit({ max: MAX_SAVED_FILTERS }, { locale });
			throw new ValidationError(message, [{ path: 'name', message }]);
		}
		const [row] = await tx
			.insert(savedFilters)
			.values({ userId: a.id, list: v.list, name: v.name, query: v.query })
			.onConflictDoUpdate({
				target: [savedFilters.userId, savedFilters.list, savedFilters.name],
				set: { query: v.query, updatedAt: sql`now()` }
			})
			.returning({
				id: savedFilters.id,
				list: savedFilters.list,
				name: savedFilters.name,
				query: savedFilters.query
			});
		return row as SavedFilter;
	});
}

/** Deletes one of the actor's own saved filters; anybody else's reads as not found. */
export async function deleteSavedFilter(ctx: Ctx, rawId: unknown): Promise<{ id: number }> {
	if (!ctx.actor) throw new UnauthenticatedError();
	const id = parseId(rawId, ctx.actor.locale);
	const deleted = await ctx.db
		.delete(savedFilters)
		.where(and(eq(savedFilters.id, id), eq(savedFilters.userId, ctx.actor.id)))
		.returning({ id: savedFilters.id });
	if (deleted.length === 0) throw new NotFoundError();
	return { id };
}
