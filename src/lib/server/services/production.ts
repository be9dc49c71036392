import { z } from 'zod';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, scopeFilter } from '../authz';
import { parseInput } from '../validate';
import { PRIORITIES, WORK_ORDER_STATUSES } from '../../domain/statuses';
import { listQuery, opt, optBool, optId, ordering, ilike, type Page } from './list';
import type { Ctx } from './context';

const { workOrders, workOrderSteps, orders, units, elevatorModels, companies } = schema;

export const WORK_ORDER_SORTS = ['dueDate', 'number', 'status', 'projectedFinish', 'plannedStart'] as const;

export const workOrdersQuery = listQuery(WORK_ORDER_SORTS, {
	status: opt(z.enum(WORK_ORDER_STATUSES)),
	priority: opt(z.enum(PRIORITIES)),
	companyId: optId(),
	late: optBool()
});

const sortColumns = {
	dueDate: workOrders.dueDate,
	number: workOrders.number,
	status: workOrders.status,
	projectedFinish: workOrders.projectedFinish,
	plannedStart: workOrders.plannedStart
} as const;

const closedLast = sql`${workOrders.status} in ('done', 'cancelled')`;

/** Late: the projected finish is after the due date. */
const late = sql<boolean>`coalesce(${workOrders.projectedFinish} > ${workOrders.dueDate}, false)`;

export async function listWorkOrders({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'production.read');
	const q = parseInput(workOrdersQuery, input, a.locale);
	const conds: (SQL | undefined)[] = [
		scopeFilter(a, workOrders.companyId),
		q.status && eq(workOrders.status, q.status),
		q.priority && eq(workOrders.priority, q.priority),
		q.companyId !== undefined ? eq(workOrders.companyId, q.companyId) : undefined,
		q.late === true ? late : undefined,
		q.q
			? sql`(${ilike(workOrders.number, q.q)} or ${ilike(units.serialNo, q.q)} or ${ilike(orders.number, q.q)})`
			: undefined
	];
	const where = and(...conds);
	const sort = q.sort ?? 'dueDate';
	const dir = q.dir ?? 'asc';
	const [rows, [{ n }]] = await Promise.all([
		db
			.select({
				id: workOrders.id,
				companyId: workOrders.companyId,
				companyCode: companies.code,
				number: workOrders.number,
				orderId: orders.id,
				orderNumber: orders.number,
				serialNo: units.serialNo,
				modelCode: elevatorModels.code,
				status: workOrders.status,
				priority: workOrders.priority,
				dueDate: workOrders.dueDate,
				plannedStart: workOrders.plannedStart,
				projectedFinish: workOrders.projectedFinish,
				late,
				stepsDone: sql<number>`(select count(*)::int from ${workOrderSteps} s where s.work_order_id = ${workOrders.id} and s.status = 'done')`,
				stepsTotal: sql<number>`(select count(*)::int from ${workOrderSteps} s where s.work_order_id = ${workOrders.id})`,
				version: workOrders.version
			})
			.from(workOrders)
			.innerJoin(orders, eq(orders.id, workOrders.orderId))
			.innerJoin(units, eq(units.id, workOrders.unitId))
			.innerJoin(elevatorModels, eq(elevatorModels.id, units.modelId))
			.innerJoin(companies, eq(companies.id, workOrders.companyId))
			.where(where)
			// Unsorted, the planner sees the open work first: finished and cancelled ones sink.
			.orderBy(...(q.sort ? [] : [closedLast]), ...ordering(sortColumns[sort], dir, workOrders.id))
			.limit(q.pageSize)
			.offset((q.page - 1) * q.pageSize),
		db
			.select({ n: count() })
			.from(workOrders)
			.innerJoin(orders, eq(orders.id, workOrders.orderId))
			.innerJoin(units, eq(units.id, workOrders.unitId))
			.where(where)
	]);
	return { rows, total: Number(n), page: q.page, pageSize: q.pageSize, sort, dir } satisfies Page<unknown>;
}
export type WorkOrderRow = Awaited<ReturnType<typeof listWorkOrders>>['rows'][number];
