import { z } from 'zod';
import { aliasedTable, and, count, eq, sql, type SQL } from 'drizzle-orm';
import { schema } from '../db';
import { assertInScope, authorize, scopeFilter } from '../authz';
import { parseId, parseInput } from '../validate';
import { currentCursor } from '../realtime/stream';
import { PRIORITIES, WORK_ORDER_STATUSES } from '../../domain/statuses';
import { listQuery, opt, optBool, optId, ordering, ilike, type Page } from './list';
import type { Ctx } from './context';

const { workOrders, workOrderSteps, workCentres, orders, units, elevatorModels, companies, users } = schema;

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

/**
 * A work order with its steps, for its page. `cursor` is read first: the page's live
 * collection catches up from there, so a change committed while this loads is not missed.
 */
export async function getWorkOrder({ db, actor }: Ctx, rawId: unknown) {
	const a = authorize(actor, 'production.read');
	const id = parseId(rawId, a.locale);
	const cursor = await currentCursor(db);
	const [row] = await db
		.select({
			workOrder: workOrders,
			companyCode: companies.code,
			orderNumber: orders.number,
			serialNo: units.serialNo,
			modelCode: elevatorModels.code,
			modelName: elevatorModels.name,
			modelNameEn: elevatorModels.nameEn
		})
		.from(workOrders)
		.innerJoin(companies, eq(companies.id, workOrders.companyId))
		.innerJoin(orders, eq(orders.id, workOrders.orderId))
		.innerJoin(units, eq(units.id, workOrders.unitId))
		.innerJoin(elevatorModels, eq(elevatorModels.id, units.modelId))
		.where(eq(workOrders.id, id));
	assertInScope(a, row ? { companyId: row.workOrder.companyId } : null);
	const operator = aliasedTable(users, 'operator');
	const steps = await db
		.select({
			id: workOrderSteps.id,
			seq: workOrderSteps.seq,
			stage: workOrderSteps.stage,
			workCentre: workCentres.name,
			workCentreEn: workCentres.nameEn,
			standardHours: workOrderSteps.standardHours,
			status: workOrderSteps.status,
			plannedDate: workOrderSteps.plannedDate,
			plannedEnd: workOrderSteps.plannedEnd,
			plannedHours: workOrderSteps.plannedHours,
			startedAt: workOrderSteps.startedAt,
			finishedAt: workOrderSteps.finishedAt,
			workedSeconds: workOrderSteps.workedSeconds,
			runStartedAt: workOrderSteps.runStartedAt,
			operatorId: workOrderSteps.operatorId,
			operatorName: operator.displayName,
			version: workOrderSteps.version
		})
		.from(workOrderSteps)
		.innerJoin(workCentres, eq(workCentres.id, workOrderSteps.workCentreId))
		.leftJoin(operator, eq(operator.id, workOrderSteps.operatorId))
		.where(eq(workOrderSteps.workOrderId, id))
		.orderBy(workOrderSteps.seq);
	return { ...row, steps, cursor };
}
export type WorkOrderDetail = Awaited<ReturnType<typeof getWorkOrder>>;
export type WorkOrderStep = WorkOrderDetail['steps'][number];
