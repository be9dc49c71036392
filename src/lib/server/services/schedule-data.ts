import { sql, type SQL } from 'drizzle-orm';
import { rows, type Conn } from '../db';
import {
	allocateMaterials,
	type BomLine,
	type MaterialResult,
	type PurchaseLine
} from '../../domain/materials';
import {
	compareWorkOrders,
	schedule,
	type CentreCalendar,
	type ScheduleResult,
	type StepInput,
	type WorkOrderInput
} from '../../domain/scheduler';
import type { StepStatus } from '../../domain/statuses';

/**
 * What the scheduler needs of one company, read in a handful of set queries (no query per work
 * order), and the run itself: materials first, in priority order, then the schedule. Rows come
 * back as one JSON document per query, so both drivers give the same numbers and day strings.
 */

type StepRow = StepInput & {
	workOrderId: number;
	plannedDate: string | null;
	plannedEnd: string | null;
	startedOn: string | null;
};
export type PlanningOrder = Omit<WorkOrderInput, 'steps'> & {
	modelId: number;
	plannedStart: string | null;
	projectedFinish: string | null;
	/** Under way (a step started or done): its parts were issued when it began. */
	started: boolean;
	/** Never placed by a run yet (`scheduled_at` null). */
	unscheduled: boolean;
	steps: StepRow[];
};

export interface PlanningData {
	companyId: number;
	today: string;
	centres: CentreCalendar[];
	/** Open work orders in scheduling priority order. */
	workOrders: PlanningOrder[];
	bom: Map<number, BomLine[]>;
	reserved: Map<number, Map<number, number>>;
	free: Map<number, number>;
	purchases: PurchaseLine[];
}

const STARTED: readonly StepStatus[] = ['in_progress', 'paused', 'blocked', 'done'];
export const OPEN = sql.raw(`('done', 'cancelled')`);

/** Rows as one JSON document; `column`: aggregate that one column's values instead of whole rows. */
export async function jsonRows<T>(conn: Conn, query: SQL, column?: string): Promise<T[]> {
	const value = column ? sql.raw(`t."${column}"`) : sql.raw('t');
	const [r] = await rows<{ j: string }>(
		conn,
		sql`select coalesce(json_agg(${value}), '[]')::text as j from (${query}) t`
	);
	return JSON.parse(r.j) as T[];
}

export async function loadPlanningData(conn: Conn, companyId: number, today: string): Promise<PlanningData> {
	const c = companyId;
	const [centres, orders, stepRows, bom, reserved, free, purchases] = await Promise.all([
		jsonRows<CentreCalendar>(
			conn,
			sql`select id, daily_capacity_hours::float8 as "dailyCapacityHours", work_days as "workDays", holidays
				from work_centres where company_id = ${c}`
		),
		jsonRows<Omit<PlanningOrder, 'steps' | 'started'>>(
			conn,
			sql`select w.id, w.priority, w.due_date as "dueDate", w.plan_rank as "planRank", w.not_before as "notBefore",
					w.locked, w.shortage, w.material_ready_on as "materialReadyOn", w.planned_start as "plannedStart",
					w.projected_finish as "projectedFinish", w.scheduled_at is null as unscheduled, u.model_id as "modelId"
				from work_orders w join units u on u.id = w.unit_id
				where w.company_id = ${c} and w.status not in ${OPEN}`
		),
		// The biggest read (eight rows per work order): arrays, not objects, are half the JSON to build.
		jsonRows<
			[
				number,
				number,
				number,
				number,
				number,
				StepStatus,
				number,
				string | null,
				string | null,
				Record<string, number> | null,
				string | null
			]
		>(
			conn,
			sql`select json_build_array(s.id, s.work_order_id, s.seq, s.work_centre_id, s.standard_hours::float8, s.status,
					s.worked_seconds + coalesce(extract(epoch from now() - s.run_started_at)::int, 0),
					s.planned_date, s.planned_end, s.planned_hours, (s.started_at at time zone 'Asia/Shanghai')::date) as r
				from work_order_steps s join work_orders w on w.id = s.work_order_id
				where w.company_id = ${c} and w.status not in ${OPEN}`,
			'r'
		),
		jsonRows<BomLine & { modelId: number }>(
			conn,
			sql`select mp.model_id as "modelId", mp.item_id as "itemId", mp.qty_per_unit as qty
				from model_parts mp join items i on i.id = mp.item_id
				where i.company_id = ${c} and not mp.spare`
		),
		jsonRows<{ workOrderId: number; itemId: number; qty: number }>(
			conn,
			sql`select substring(reference from 12)::int as "workOrderId", item_id as "itemId", sum(qty)::int as qty
				from stock_reservations
				where company_id = ${c} and status in ('open', 'issued') and reference ~ '^work_order:[0-9]{1,9}$'
				group by 1, 2`
		),
		jsonRows<{ itemId: number; qty: number }>(
			conn,
			sql`select item_id as "itemId", sum(greatest(on_hand - reserved, 0))::int as qty
				from stock_levels where company_id = ${c} group by item_id`
		),
		jsonRows<PurchaseLine>(
			conn,
			sql`select po.id as "purchaseOrderId", po.number, l.item_id as "itemId",
					l.qty - l.received_qty as "openQty", po.expected_on as "expectedOn"
				from purchase_orders po join purchase_order_lines l on l.purchase_order_id = po.id
				where po.company_id = ${c} and po.status in ('sent', 'partially_received') and l.qty > l.received_qty`
		)
	]);
	const stepsOf = new Map<number, StepRow[]>();
	for (const [
		id,
		workOrderId,
		seq,
		workCentreId,
		standardHours,
		status,
		workedSeconds,
		plannedDate,
		plannedEnd,
		plannedHours,
		startedOn
	] of stepRows) {
		const s: StepRow = {
			id,
			workOrderId,
			seq,
			workCentreId,
			standardHours,
			status,
			workedSeconds,
			plannedDate,
			plannedEnd,
			plannedHours,
			startedOn
		};
		const list = stepsOf.get(s.workOrderId) ?? [];
		list.push(s);
		stepsOf.set(s.workOrderId, list);
	}
	const workOrders = orders
		.map((o): PlanningOrder => {
			const own = (stepsOf.get(o.id) ?? []).sort((a, b) => a.seq - b.seq);
			const startedOn = own.reduce<string | null>(
				(m, s) => (s.startedOn && (!m || s.startedOn < m) ? s.startedOn : m),
				null
			);
			return {
				...o,
				startedOn,
				started: startedOn !== null || own.some((s) => STARTED.includes(s.status)),
				steps: own
			};
		})
		.sort(compareWorkOrders);
	const bomOf = new Map<number, BomLine[]>();
	for (const b of bom)
		bomOf.set(b.modelId, [...(bomOf.get(b.modelId) ?? []), { itemId: b.itemId, qty: b.qty }]);
	const reservedOf = new Map<number, Map<number, number>>();
	for (const r of reserved) {
		const m = reservedOf.get(r.workOrderId) ?? new Map<number, number>();
		m.set(r.itemId, r.qty);
		reservedOf.set(r.workOrderId, m);
	}
	return {
		companyId,
		today,
		centres,
		workOrders,
		bom: bomOf,
		reserved: reservedOf,
		free: new Map(free.map((f) => [f.itemId, f.qty])),
		purchases
	};
}

/** Materials for the work orders not yet under way, in priority order. */
export function materialsOf(data: PlanningData): MaterialResult {
	const demands = data.workOrders
		.filter((w) => !w.started)
		.map((w) => ({
			workOrderId: w.id,
			bom: data.bom.get(w.modelId) ?? [],
			reserved: data.reserved.get(w.id) ?? new Map()
		}));
	return allocateMaterials(demands, { free: data.free, purchases: data.purchases }, data.today);
}

export interface CompanyPlan {
	materials: MaterialResult;
	result: ScheduleResult;
}

/** Materials, then the schedule with each waiting work order's ready day. `unlock`: ids placed afresh even if locked. */
export function planCompany(data: PlanningData, unlock: ReadonlySet<number> = new Set()): CompanyPlan {
	const materials = materialsOf(data);
	const result = schedule({
		today: data.today,
		centres: data.centres,
		workOrders: data.workOrders.map((w) => {
			const m = materials.byWorkOrder.get(w.id);
			return {
				...w,
				locked: w.locked && !unlock.has(w.id),
				shortage: m?.shortage ?? false,
				materialReadyOn: m?.readyOn ?? null
			};
		})
	});
	return { materials, result };
}
