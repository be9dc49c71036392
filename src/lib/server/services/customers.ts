import { z } from 'zod';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, scopeFilter } from '../authz';
import { parseInput } from '../validate';
import { CUSTOMER_KINDS } from '../../domain/statuses';
import { listQuery, opt, optId, ordering, ilike, type Page } from './list';
import type { Ctx } from './context';

const { customers, users, companies, orders, sites } = schema;

export const CUSTOMER_SORTS = ['name', 'code', 'city', 'createdAt', 'creditLimit'] as const;

export const customersQuery = listQuery(CUSTOMER_SORTS, {
	kind: opt(z.enum(CUSTOMER_KINDS)),
	companyId: optId(),
	ownerId: optId()
});

const sortColumns = {
	name: customers.name,
	code: customers.code,
	city: customers.city,
	createdAt: customers.createdAt,
	creditLimit: customers.creditLimit
} as const;

/** Customers; a sales rep ('own' scope) sees only the customers they own. */
export async function listCustomers({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'customers.read');
	const q = parseInput(customersQuery, input, a.locale);
	const conds: (SQL | undefined)[] = [
		scopeFilter(a, customers.companyId, customers.ownerId),
		q.kind && eq(customers.kind, q.kind),
		q.companyId !== undefined ? eq(customers.companyId, q.companyId) : undefined,
		q.ownerId !== undefined ? eq(customers.ownerId, q.ownerId) : undefined,
		q.q
			? sql`(${ilike(customers.name, q.q)} or ${ilike(customers.code, q.q)} or ${ilike(customers.phone, q.q)} or ${ilike(customers.city, q.q)})`
			: undefined
	];
	const where = and(...conds);
	const sort = q.sort ?? 'name';
	const dir = q.dir ?? (sort === 'createdAt' || sort === 'creditLimit' ? 'desc' : 'asc');
	const [rows, [{ n }]] = await Promise.all([
		db
			.select({
				id: customers.id,
				companyId: customers.companyId,
				companyCode: companies.code,
				code: customers.code,
				name: customers.name,
				kind: customers.kind,
				city: customers.city,
				phone: customers.phone,
				ownerName: users.displayName,
				creditLimit: customers.creditLimit,
				orderCount: sql<number>`(select count(*)::int from ${orders} o where o.customer_id = ${customers.id})`,
				siteCount: sql<number>`(select count(*)::int from ${sites} s where s.customer_id = ${customers.id})`,
				nextFollowUpOn: customers.nextFollowUpOn,
				version: customers.version
			})
			.from(customers)
			.innerJoin(companies, eq(companies.id, customers.companyId))
			.leftJoin(users, eq(users.id, customers.ownerId))
			.where(where)
			.orderBy(...ordering(sortColumns[sort], dir, customers.id))
			.limit(q.pageSize)
			.offset((q.page - 1) * q.pageSize),
		db.select({ n: count() }).from(customers).where(where)
	]);
	return { rows, total: Number(n), page: q.page, pageSize: q.pageSize, sort, dir } satisfies Page<unknown>;
}
export type CustomerRow = Awaited<ReturnType<typeof listCustomers>>['rows'][number];
