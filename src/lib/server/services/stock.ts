import { z } from 'zod';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, scopeFilter } from '../authz';
import { parseInput } from '../validate';
import { ITEM_CATEGORIES } from '../../domain/statuses';
import { listQuery, opt, optBool, optId, ordering, ilike, type Page } from './list';
import type { Ctx } from './context';

const { items, stockLevels, companies } = schema;

export const ITEM_SORTS = ['sku', 'name', 'onHand', 'available', 'category'] as const;

export const itemsQuery = listQuery(ITEM_SORTS, {
	category: opt(z.enum(ITEM_CATEGORIES)),
	companyId: optId(),
	/** Items whose stock on hand is at or below their safety stock. */
	low: optBool()
});

const onHand = sql<number>`coalesce((select sum(l.on_hand)::int from ${stockLevels} l where l.item_id = ${items.id}), 0)`;
const reserved = sql<number>`coalesce((select sum(l.reserved)::int from ${stockLevels} l where l.item_id = ${items.id}), 0)`;

const sortColumns = {
	sku: items.sku,
	name: items.name,
	onHand,
	available: sql`${onHand} - ${reserved}`,
	category: items.category
} as const;

export async function listStockItems({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'stock.read');
	const q = parseInput(itemsQuery, input, a.locale);
	const conds: (SQL | undefined)[] = [
		scopeFilter(a, items.companyId),
		q.category && eq(items.category, q.category),
		q.companyId !== undefined ? eq(items.companyId, q.companyId) : undefined,
		q.low === true ? sql`${onHand} <= ${items.safetyStock}` : undefined,
		q.q
			? sql`(${ilike(items.sku, q.q)} or ${ilike(items.name, q.q)} or ${ilike(items.barcode, q.q)})`
			: undefined
	];
	const where = and(...conds);
	const sort = q.sort ?? 'sku';
	const dir = q.dir ?? 'asc';
	const [rows, [{ n }]] = await Promise.all([
		db
			.select({
				id: items.id,
				companyId: items.companyId,
				companyCode: companies.code,
				sku: items.sku,
				name: items.name,
				nameEn: items.nameEn,
				category: items.category,
				uom: items.uom,
				barcode: items.barcode,
				onHand,
				reserved,
				safetyStock: items.safetyStock,
				avgCost: items.avgCost,
				low: sql<boolean>`${onHand} <= ${items.safetyStock}`,
				version: items.version
			})
			.from(items)
			.innerJoin(companies, eq(companies.id, items.companyId))
			.where(where)
			.orderBy(...ordering(sortColumns[sort], dir, items.id))
			.limit(q.pageSize)
			.offset((q.page - 1) * q.pageSize),
		db.select({ n: count() }).from(items).where(where)
	]);
	return { rows, total: Number(n), page: q.page, pageSize: q.pageSize, sort, dir } satisfies Page<unknown>;
}
export type StockItemRow = Awaited<ReturnType<typeof listStockItems>>['rows'][number];
