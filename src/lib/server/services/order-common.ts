import { eq, inArray, sql, type SQL } from 'drizzle-orm';
import { schema, type Conn } from '../db';
import type { NewEvent } from '../events/append';

/** What order entry, approval and import share: dates, numbers and the order's event. */

const { orders, customers, numberCounters } = schema;

/** Today in China, where the users and their sites are: the date orders are dated by. */
export const chinaToday = (now = new Date()) =>
	new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now);

/**
 * The next `count` numbers for a prefix such as SO-SH-2026, handed out by one upsert: two saves
 * at the same moment never get the same number. The first use starts after the highest number
 * already in the table (`existingMax`, see maxSuffix), so data made before the counter counts.
 */
export async function nextNumbers(
	tx: Conn,
	prefix: string,
	existingMax: SQL,
	count = 1,
	width = 6
): Promise<string[]> {
	const [{ last }] = await tx
		.insert(numberCounters)
		.values({ prefix, last: sql`coalesce((${existingMax}), 0) + ${count}` })
		.onConflictDoUpdate({
			target: numberCounters.prefix,
			set: { last: sql`${numberCounters.last} + ${count}` }
		})
		.returning({ last: numberCounters.last });
	return Array.from(
		{ length: count },
		(_, i) => `${prefix}-${String(last - count + 1 + i).padStart(width, '0')}`
	);
}

export const nextNumber = async (tx: Conn, prefix: string, existingMax: SQL) =>
	(await nextNumbers(tx, prefix, existingMax))[0];

/** The highest numeric suffix of `prefix-NNN` values in a column, as a subquery. */
export const maxSuffix = (column: SQL, table: SQL, prefix: string) =>
	sql`select max(substring(${column} from ${prefix.length + 2}::int)::int) from ${table} where ${column} like ${prefix + '-%'} and substring(${column} from ${prefix.length + 2}::int) ~ '^[0-9]+$'`;

/** The event every order change publishes: the order's new state for lists and detail pages. */
export async function orderEvent(
	tx: Conn,
	orderId: number,
	type: string,
	actorId: number,
	extra: Record<string, unknown> = {}
): Promise<NewEvent> {
	const [event] = await orderEvents(tx, [orderId], type, actorId, extra);
	return event;
}

/** The same event for many orders at once (the import), read in one query, in the ids' order. */
export async function orderEvents(
	tx: Conn,
	orderIds: number[],
	type: string,
	actorId: number,
	extra: Record<string, unknown> = {}
): Promise<NewEvent[]> {
	if (orderIds.length === 0) return [];
	const found = await tx
		.select({
			id: orders.id,
			companyId: orders.companyId,
			number: orders.number,
			status: orders.status,
			priority: orders.priority,
			customerId: orders.customerId,
			customerName: customers.name,
			salesRepId: orders.salesRepId,
			orderDate: orders.orderDate,
			deliveryDate: orders.deliveryDate,
			totalAmount: orders.totalAmount,
			discountBp: orders.discountBp,
			unitCount: orders.unitCount,
			approvalRound: orders.approvalRound,
			version: orders.version
		})
		.from(orders)
		.innerJoin(customers, eq(customers.id, orders.customerId))
		.where(orderIds.length === 1 ? eq(orders.id, orderIds[0]) : inArray(orders.id, orderIds));
	const byId = new Map(found.map((r) => [r.id, r]));
	return orderIds
		.map((id) => byId.get(id)!)
		.filter(Boolean)
		.map((row) => ({
			companyId: row.companyId,
			topic: 'orders',
			entity: 'order',
			entityId: row.id,
			entityVersion: row.version,
			type,
			payload: { ...row, ...extra },
			actorId,
			ownerId: row.salesRepId
		}));
}
