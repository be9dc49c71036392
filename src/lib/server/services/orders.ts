import { z } from 'zod';
import { aliasedTable, and, asc, count, desc, eq, gte, lte, sql, type SQL } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, assertInScope, scopeFilter, type Actor } from '../authz';
import { ValidationError } from '../errors';
import { m } from '../../paraglide/messages';
import { parseId, parseInput } from '../validate';
import { ORDER_STATUSES, PRIORITIES } from '../../domain/statuses';
import {
	COUNT_CAP,
	SEARCH_COUNT_CAP,
	containsLower,
	listQuery,
	opt,
	optDate,
	optId,
	ordering,
	type Page
} from './list';
import type { Ctx } from './context';

const {
	orders,
	customers,
	sites,
	users,
	companies,
	orderLines,
	elevatorModels,
	units,
	approvalSteps,
	events,
	invoices
} = schema;

export const ORDER_SORTS = [
	'createdAt',
	'number',
	'orderDate',
	'deliveryDate',
	'totalAmount',
	'status'
] as const;

export const ordersQuery = listQuery(ORDER_SORTS, {
	status: opt(z.enum(ORDER_STATUSES)),
	priority: opt(z.enum(PRIORITIES)),
	companyId: optId(),
	customerId: optId(),
	salesRepId: optId(),
	from: optDate(),
	to: optDate(),
	minAmount: opt(z.coerce.number().int().min(0)),
	maxAmount: opt(z.coerce.number().int().min(0))
});
export type OrdersQuery = z.input<typeof ordersQuery>;

const sortColumns = {
	createdAt: orders.createdAt,
	number: orders.number,
	orderDate: orders.orderDate,
	deliveryDate: orders.deliveryDate,
	totalAmount: orders.totalAmount,
	status: orders.status
} as const;

export interface OrderRow {
	id: number;
	companyId: number;
	companyCode: string;
	number: string;
	status: (typeof ORDER_STATUSES)[number];
	priority: (typeof PRIORITIES)[number];
	customerId: number;
	customerName: string;
	city: string | null;
	salesRepName: string;
	orderDate: string;
	deliveryDate: string | null;
	totalAmount: number;
	unitCount: number;
	version: number;
	updatedAt: Date;
}

/**
 * The WHERE clause of an orders query: the actor's scope and every filter of `ordersQuery`.
 * The list, its count and the exports all read through this one function.
 */
export function ordersWhere(a: Actor, q: z.output<typeof ordersQuery>): SQL | undefined {
	if (q.minAmount !== undefined && q.maxAmount !== undefined && q.minAmount > q.maxAmount) {
		const message = m.track_amount_range_invalid({}, { locale: a.locale });
		throw new ValidationError(message, [{ path: 'maxAmount', message }]);
	}
	return and(
		scopeFilter(a, orders.companyId, orders.salesRepId),
		q.status && eq(orders.status, q.status),
		q.priority && eq(orders.priority, q.priority),
		q.companyId !== undefined ? eq(orders.companyId, q.companyId) : undefined,
		q.customerId !== undefined ? eq(orders.customerId, q.customerId) : undefined,
		q.salesRepId !== undefined ? eq(orders.salesRepId, q.salesRepId) : undefined,
		q.from ? gte(orders.orderDate, q.from) : undefined,
		q.to ? lte(orders.orderDate, q.to) : undefined,
		q.minAmount !== undefined ? gte(orders.totalAmount, q.minAmount) : undefined,
		q.maxAmount !== undefined ? lte(orders.totalAmount, q.maxAmount) : undefined,
		q.q ? containsLower(orders.searchText, q.q) : undefined
	);
}

/** The sort a query asks for, with each column's natural default direction. */
export function ordersSort(q: z.output<typeof ordersQuery>) {
	const sort = q.sort ?? 'createdAt';
	const dir = q.dir ?? (sort === 'number' || sort === 'deliveryDate' ? 'asc' : 'desc');
	return { sort, dir, orderBy: ordering(sortColumns[sort], dir, orders.id) };
}

export async function listOrders({ db, actor }: Ctx, input: unknown): Promise<Page<OrderRow>> {
	const a = authorize(actor, 'orders.read');
	const q = parseInput(ordersQuery, input, a.locale);
	const where = ordersWhere(a, q);
	const { sort, dir, orderBy } = ordersSort(q);
	const offset = (q.page - 1) * q.pageSize;
	// The page is picked from orders alone (an index walk), and only its rows are joined.
	const page = db
		.select({
			id: orders.id,
			companyId: orders.companyId,
			number: orders.number,
			status: orders.status,
			priority: orders.priority,
			customerId: orders.customerId,
			siteId: orders.siteId,
			salesRepId: orders.salesRepId,
			orderDate: orders.orderDate,
			deliveryDate: orders.deliveryDate,
			totalAmount: orders.totalAmount,
			unitCount: orders.unitCount,
			version: orders.version,
			updatedAt: orders.updatedAt,
			createdAt: orders.createdAt
		})
		.from(orders)
		.where(where)
		.orderBy(...orderBy)
		.limit(q.pageSize)
		.offset(offset)
		.as('page');
	const pageSort = {
		createdAt: page.createdAt,
		number: page.number,
		orderDate: page.orderDate,
		deliveryDate: page.deliveryDate,
		totalAmount: page.totalAmount,
		status: page.status
	} as const;
	// Counting stops past the cap (and past the page asked for): an exact count of 100,000 rows costs more than the page.
	const limit = Math.max(q.q ? SEARCH_COUNT_CAP : COUNT_CAP, offset + q.pageSize) + 1;
	const counted = db
		.select({ one: sql`1` })
		.from(orders)
		.where(where)
		.limit(limit)
		.as('counted');
	const [rows, [{ n }]] = await Promise.all([
		db
			.select({
				id: page.id,
				companyId: page.companyId,
				companyCode: companies.code,
				number: page.number,
				status: page.status,
				priority: page.priority,
				customerId: page.customerId,
				customerName: customers.name,
				city: sites.city,
				salesRepName: users.displayName,
				orderDate: page.orderDate,
				deliveryDate: page.deliveryDate,
				totalAmount: page.totalAmount,
				unitCount: page.unitCount,
				version: page.version,
				updatedAt: page.updatedAt
			})
			.from(page)
			.innerJoin(customers, eq(customers.id, page.customerId))
			.innerJoin(companies, eq(companies.id, page.companyId))
			.innerJoin(users, eq(users.id, page.salesRepId))
			.leftJoin(sites, eq(sites.id, page.siteId))
			.orderBy(...ordering(pageSort[sort], dir, page.id)),
		db.select({ n: count() }).from(counted)
	]);
	const totalCapped = Number(n) >= limit;
	return {
		rows,
		total: totalCapped ? limit - 1 : Number(n),
		totalCapped,
		page: q.page,
		pageSize: q.pageSize,
		sort,
		dir
	};
}

/** An order with everything its page shows; out of the actor's scope reads as not found. */
export async function getOrder({ db, actor }: Ctx, rawId: unknown) {
	const a = authorize(actor, 'orders.read');
	const id = parseId(rawId, a.locale);
	const rep = aliasedTable(users, 'rep');
	const [row] = await db
		.select({
			order: orders,
			companyName: companies.name,
			companyNameEn: companies.nameEn,
			customer: { id: customers.id, name: customers.name, code: customers.code, phone: customers.phone },
			site: sites,
			salesRepName: rep.displayName
		})
		.from(orders)
		.innerJoin(companies, eq(companies.id, orders.companyId))
		.innerJoin(customers, eq(customers.id, orders.customerId))
		.innerJoin(rep, eq(rep.id, orders.salesRepId))
		.leftJoin(sites, eq(sites.id, orders.siteId))
		.where(eq(orders.id, id));
	assertInScope(a, row ? { companyId: row.order.companyId } : null, row?.order.salesRepId);
	const [lines, unitRows, steps, timeline, invoiceRows] = await Promise.all([
		db
			.select({
				line: orderLines,
				modelCode: elevatorModels.code,
				modelName: elevatorModels.name,
				modelNameEn: elevatorModels.nameEn
			})
			.from(orderLines)
			.innerJoin(elevatorModels, eq(elevatorModels.id, orderLines.modelId))
			.where(eq(orderLines.orderId, id))
			.orderBy(asc(orderLines.lineNo)),
		db
			.select({ id: units.id, serialNo: units.serialNo, status: units.status, lineId: units.lineId })
			.from(units)
			.where(eq(units.orderId, id))
			.orderBy(asc(units.serialNo)),
		db
			.select({
				id: approvalSteps.id,
				round: approvalSteps.round,
				stepNo: approvalSteps.stepNo,
				status: approvalSteps.status,
				mode: approvalSteps.mode,
				quorum: approvalSteps.quorum,
				roleIds: approvalSteps.roleIds,
				dueAt: approvalSteps.dueAt,
				decidedAt: approvalSteps.decidedAt,
				claimedByName: users.displayName
			})
			.from(approvalSteps)
			.leftJoin(users, eq(users.id, approvalSteps.claimedById))
			.where(eq(approvalSteps.orderId, id))
			.orderBy(asc(approvalSteps.round), asc(approvalSteps.stepNo)),
		db
			.select({
				id: events.id,
				type: events.type,
				at: events.at,
				payload: events.payload,
				actorName: users.displayName
			})
			.from(events)
			.leftJoin(users, eq(users.id, events.actorId))
			.where(and(eq(events.entity, 'order'), eq(events.entityId, id)))
			.orderBy(desc(events.id))
			.limit(200),
		db
			.select({
				id: invoices.id,
				number: invoices.number,
				status: invoices.status,
				totalAmount: invoices.totalAmount,
				paidAmount: invoices.paidAmount,
				dueOn: invoices.dueOn
			})
			.from(invoices)
			.where(eq(invoices.orderId, id))
			.orderBy(asc(invoices.instalmentNo))
	]);
	return { ...row!, lines, units: unitRows, approvalSteps: steps, timeline, invoices: invoiceRows };
}
export type OrderDetail = Awaited<ReturnType<typeof getOrder>>;

/** Roles by id, for naming who an approval step waits for. */
export async function roleNames({ db }: Ctx) {
	return db
		.select({
			id: schema.roles.id,
			code: schema.roles.code,
			name: schema.roles.name,
			nameEn: schema.roles.nameEn
		})
		.from(schema.roles);
}
