import { z } from 'zod';
import { and, count, eq, lt, sql, type SQL } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, scopeFilter } from '../authz';
import { parseInput } from '../validate';
import { APPROVAL_STEP_STATUSES } from '../../domain/statuses';
import { containsLower, listQuery, opt, optBool, optId, ordering, type Page } from './list';
import type { Ctx } from './context';

const { approvalSteps, orders, customers, companies, users } = schema;

export const APPROVAL_SORTS = ['dueAt', 'activatedAt', 'totalAmount', 'number'] as const;

export const approvalsQuery = listQuery(APPROVAL_SORTS, {
	status: opt(z.enum(APPROVAL_STEP_STATUSES)),
	companyId: optId(),
	overdue: optBool(),
	/** Only steps that one of my roles may decide. */
	mine: optBool()
});

const sortColumns = {
	dueAt: approvalSteps.dueAt,
	activatedAt: approvalSteps.activatedAt,
	totalAmount: orders.totalAmount,
	number: orders.number
} as const;

export interface ApprovalRow {
	id: number;
	companyId: number;
	companyCode: string;
	orderId: number;
	number: string;
	customerName: string;
	totalAmount: number;
	discountBp: number;
	round: number;
	stepNo: number;
	status: (typeof APPROVAL_STEP_STATUSES)[number];
	roleIds: number[];
	mode: string;
	claimedByName: string | null;
	activatedAt: Date | null;
	dueAt: Date | null;
	overdue: boolean;
	version: number;
}

/** The shared approval queue: steps in the actor's companies, the pending ones first by due time. */
export async function listApprovals({ db, actor }: Ctx, input: unknown): Promise<Page<ApprovalRow>> {
	const a = authorize(actor, 'approvals.read');
	const q = parseInput(approvalsQuery, input, a.locale);
	const status = q.status ?? 'pending';
	const conds: (SQL | undefined)[] = [
		scopeFilter(a, approvalSteps.companyId, orders.salesRepId),
		eq(approvalSteps.status, status),
		q.companyId !== undefined ? eq(approvalSteps.companyId, q.companyId) : undefined,
		q.overdue === true ? lt(approvalSteps.dueAt, sql`now()`) : undefined,
		q.mine === true
			? sql`${approvalSteps.roleIds} && (select coalesce(array_agg(role_id), '{}') from user_roles where user_id = ${a.id})`
			: undefined,
		q.q ? containsLower(orders.searchText, q.q) : undefined
	];
	const where = and(...conds);
	const sort = q.sort ?? 'dueAt';
	const dir = q.dir ?? 'asc';
	const [rows, [{ n }]] = await Promise.all([
		db
			.select({
				id: approvalSteps.id,
				companyId: approvalSteps.companyId,
				companyCode: companies.code,
				orderId: orders.id,
				number: orders.number,
				customerName: customers.name,
				totalAmount: orders.totalAmount,
				discountBp: orders.discountBp,
				round: approvalSteps.round,
				stepNo: approvalSteps.stepNo,
				status: approvalSteps.status,
				roleIds: approvalSteps.roleIds,
				mode: approvalSteps.mode,
				claimedByName: users.displayName,
				activatedAt: approvalSteps.activatedAt,
				dueAt: approvalSteps.dueAt,
				overdue: sql<boolean>`coalesce(${approvalSteps.dueAt} < now() and ${approvalSteps.status} = 'pending', false)`,
				version: approvalSteps.version
			})
			.from(approvalSteps)
			.innerJoin(orders, eq(orders.id, approvalSteps.orderId))
			.innerJoin(customers, eq(customers.id, orders.customerId))
			.innerJoin(companies, eq(companies.id, approvalSteps.companyId))
			.leftJoin(users, eq(users.id, approvalSteps.claimedById))
			.where(where)
			.orderBy(...ordering(sortColumns[sort], dir, approvalSteps.id))
			.limit(q.pageSize)
			.offset((q.page - 1) * q.pageSize),
		db
			.select({ n: count() })
			.from(approvalSteps)
			.innerJoin(orders, eq(orders.id, approvalSteps.orderId))
			.where(where)
	]);
	return { rows, total: Number(n), page: q.page, pageSize: q.pageSize, sort, dir };
}
