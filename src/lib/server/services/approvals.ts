import { z } from 'zod';
import { and, count, eq, inArray, lt, sql, type SQL } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, scopeFilter } from '../authz';
import { parseInput } from '../validate';
import { APPROVAL_STEP_STATUSES } from '../../domain/statuses';
import {
	COUNT_CAP,
	SEARCH_COUNT_CAP,
	containsLower,
	listQuery,
	opt,
	optBool,
	optId,
	ordering,
	type Page
} from './list';
import { currentCursor } from '../realtime/stream';
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
	/** Set when the item approves a change or a cancellation of an approved order. */
	changeKind: 'change' | 'cancel' | null;
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
			? // My roles, and the roles delegated to me for a window that includes now.
				sql`${approvalSteps.roleIds} && (select coalesce(array_agg(role_id), '{}') from (
					select role_id from user_roles where user_id = ${a.id}
					union select ur.role_id from approval_delegations d
					join user_roles ur on ur.user_id = d.from_user_id and (d.role_id is null or d.role_id = ur.role_id)
					where d.to_user_id = ${a.id} and d.starts_at <= now() and d.ends_at > now()) mine)`
			: undefined,
		q.q ? containsLower(orders.searchText, q.q) : undefined
	];
	const where = and(...conds);
	const sort = q.sort ?? 'dueAt';
	const dir = q.dir ?? 'asc';
	const offset = (q.page - 1) * q.pageSize;
	// The page is picked first (the partial index on pending steps by due time walks in order and
	// stops after the page) and only its rows are joined to customers, companies and claimers.
	const from = () =>
		db
			.select({ id: approvalSteps.id })
			.from(approvalSteps)
			.innerJoin(orders, eq(orders.id, approvalSteps.orderId))
			.where(where);
	const pageIds = from()
		.orderBy(...ordering(sortColumns[sort], dir, approvalSteps.id))
		.limit(q.pageSize)
		.offset(offset);
	const limit = Math.max(q.q ? SEARCH_COUNT_CAP : COUNT_CAP, offset + q.pageSize) + 1;
	// Counting needs the order only for a rep's own scope or a search (an index-only scan otherwise).
	const counted = (
		a.scope === 'own' || q.q ? from() : db.select({ id: approvalSteps.id }).from(approvalSteps).where(where)
	)
		.limit(limit)
		.as('counted');
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
				changeKind: sql<
					'change' | 'cancel' | null
				>`(select kind from order_changes c where c.id = ${approvalSteps.changeId})`,
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
			.where(inArray(approvalSteps.id, pageIds))
			.orderBy(...ordering(sortColumns[sort], dir, approvalSteps.id)),
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

/**
 * The queue page: the list and the stream position read before it, so the page catches up on
 * whatever changed while it was loading and then follows the queue live.
 */
export async function approvalQueue(ctx: Ctx, input: unknown) {
	authorize(ctx.actor, 'approvals.read');
	const cursor = await currentCursor(ctx.db);
	return { ...(await listApprovals(ctx, input)), cursor };
}
