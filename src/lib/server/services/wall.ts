import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { rows } from '../db';
import { authorize, type Actor } from '../authz';
import { parseInput } from '../validate';
import { NotFoundError } from '../errors';
import { currentCursor } from '../realtime/stream';
import { chinaToday } from './order-common';
import { OVERRUN_FACTOR, OVERRUN_MIN_HOURS } from './alert-sweep';
import { optId } from './list';
import { figures, type Board, type BoardAlert, type BoardStep, type BoardWorkOrder } from '../../wall/board';
import type { Ctx } from './context';

/**
 * The production wall board: for a wall display its own company, for a person their
 * companies (or one of them). Raw rows the page keeps current from live events, read after
 * the stream position so nothing committed meanwhile is missed, plus the figures derived
 * from them (the same function the page uses).
 */
export const wallQuery = z.object({ company: optId() }).strict();

/** Moments travel as epoch milliseconds and days as text, the same from either driver. */
const iso = (ms: number | string | null) => (ms === null ? null : new Date(Number(ms)).toISOString());

function companiesOf(a: Actor, company: number | undefined): number[] {
	if (company === undefined) return [...a.companyIds];
	if (!a.companyIds.includes(company)) throw new NotFoundError();
	return [company];
}

export async function wallBoard({ db, actor }: Ctx, input: unknown, now = new Date()) {
	const a = authorize(actor, 'production.read');
	const q = parseInput(wallQuery, input, a.locale);
	const ids = companiesOf(a, q.company);
	const cursor = await currentCursor(db);
	const today = chinaToday(now);
	const at = now.toISOString();
	const C = ids.length ? sql.join(ids.map((id) => sql`${id}`), sql`, `) : sql`null`;
	const dayStart = sql`(${today}::date::timestamp at time zone 'Asia/Shanghai')`;
	// Orders in production: so marked, or with a unit being worked on.
	const inProduction = sql`(select o.id from orders o where o.company_id in (${C}) and o.status = 'in_production'
		union select w.order_id from work_orders w where w.company_id in (${C}) and w.status in ('in_progress', 'paused'))`;
	const [companies, centres, orders, workOrders, steps, alerts] = await Promise.all([
		rows<{ id: number; code: string; name: string }>(db, sql`select id, code, name from companies where id in (${C}) order by id`),
		rows<{ id: number; companyId: number; code: string; name: string; nameEn: string }>(
			db,
			sql`select id, company_id as "companyId", code, name, name_en as "nameEn" from work_centres
				where company_id in (${C}) order by company_id, id`
		),
		rows<{ id: number; companyId: number; number: string; customer: string }>(
			db,
			sql`select o.id, o.company_id as "companyId", o.number, c.name as customer
				from orders o join customers c on c.id = o.customer_id where o.id in ${inProduction} order by o.id`
		),
		rows<BoardWorkOrder>(
			db,
			sql`select w.id, w.order_id as "orderId", w.number, w.status, w.priority, w.due_date::text as "dueDate",
					w.projected_finish::text as "projectedFinish", w.version,
					(select count(*) from work_order_steps s where s.work_order_id = w.id and s.status = 'done')::int as "stepsDone",
					(select count(*) from work_order_steps s where s.work_order_id = w.id)::int as "stepsTotal"
				from work_orders w where w.order_id in ${inProduction} and w.status <> 'cancelled' order by w.id`
		),
		rows<Omit<BoardStep, 'finishedAt'> & { finishedAt: number | null }>(
			db,
			sql`with wo as (
					select id from work_orders w where w.company_id in (${C})
						and (w.status in ('planned', 'released', 'in_progress', 'paused') or (w.status = 'done' and w.finished_at >= ${dayStart}))
				)
				select s.id, s.work_order_id as "workOrderId", s.work_centre_id as "workCentreId", s.status,
					coalesce((s.planned_hours ->> ${today})::float8,
						case when s.planned_hours is null and s.planned_date = ${today}::date then s.standard_hours::float8 end, 0) as "todayHours",
					s.planned_end::text as "plannedEnd", extract(epoch from s.finished_at)::float8 * 1000 as "finishedAt", s.version,
					(s.status = 'in_progress' and s.worked_seconds + coalesce(extract(epoch from (${at}::timestamptz - s.run_started_at)), 0)
						> greatest(s.standard_hours * ${OVERRUN_FACTOR}, s.standard_hours + ${OVERRUN_MIN_HOURS}) * 3600) as overrun
				from work_order_steps s join wo on wo.id = s.work_order_id
				where s.status in ('in_progress', 'paused', 'blocked')
					or (s.planned_hours ->> ${today}) is not null
					or (s.planned_hours is null and s.planned_date = ${today}::date)
					or (s.status <> 'done' and s.planned_end < ${today}::date)
					or (s.status = 'done' and s.finished_at >= ${dayStart})
				order by s.id`
		),
		rows<Omit<BoardAlert, 'raisedAt'> & { raisedAt: number }>(
			db,
			sql`select a.id, a.company_id as "companyId", a.kind, a.status, a.reason, a.message,
					a.work_order_id as "workOrderId", w.number as "workOrderNumber", a.step_id as "stepId",
					a.work_centre_id as "workCentreId", extract(epoch from a.raised_at)::float8 * 1000 as "raisedAt", a.version
				from alerts a left join work_orders w on w.id = a.work_order_id
				where a.company_id in (${C}) and a.status <> 'closed' order by a.raised_at desc, a.id desc limit 200`
		)
	]);
	const board: Board = {
		today,
		companies: companies.map((c) => ({ ...c, id: Number(c.id) })),
		centres: centres.map((c) => ({ ...c, id: Number(c.id), companyId: Number(c.companyId) })),
		orders: orders.map((o) => ({ ...o, id: Number(o.id), companyId: Number(o.companyId) })),
		workOrders: workOrders.map((w) => ({
			...w,
			id: Number(w.id),
			orderId: Number(w.orderId),
			version: Number(w.version)
		})),
		steps: steps.map((s) => ({
			...s,
			id: Number(s.id),
			workOrderId: Number(s.workOrderId),
			workCentreId: Number(s.workCentreId),
			todayHours: Number(s.todayHours),
			finishedAt: iso(s.finishedAt),
			overrun: !!s.overrun,
			version: Number(s.version)
		})),
		alerts: alerts.map((x) => ({
			...x,
			id: Number(x.id),
			companyId: Number(x.companyId),
			workOrderId: x.workOrderId === null ? null : Number(x.workOrderId),
			stepId: x.stepId === null ? null : Number(x.stepId),
			workCentreId: x.workCentreId === null ? null : Number(x.workCentreId),
			raisedAt: iso(x.raisedAt)!,
			version: Number(x.version)
		}))
	};
	return { board, cursor, figures: figures(board) };
}
export type WallSnapshot = Awaited<ReturnType<typeof wallBoard>>;
