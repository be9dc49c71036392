import { sql, type SQL } from 'drizzle-orm';
import { rows, type Conn } from '../db';

/**
 * The aggregates behind production analytics, each one statement computed by the database
 * (no rows are shipped to be counted here). `where` is the caller's scope and company filter on
 * the query's main table; `from`/`to` are the range's bounds as moments.
 * Days are China's calendar days: the shop floor works in China time.
 */
export interface Range {
	/** ISO moments: [from, to). */
	from: string;
	to: string;
}

/** `col` within the range; the bounds are cast so both drivers send them as text. */
const within = (col: SQL, r: Range) => sql`${col} >= ${r.from}::timestamptz and ${col} < ${r.to}::timestamptz`;

const chinaDay = (col: SQL) => sql`to_char(${col} at time zone 'Asia/Shanghai', 'YYYY-MM-DD')`;
const hoursBetween = sql`extract(epoch from (work_order_steps.finished_at - work_order_steps.started_at)) / 3600`;

export interface CycleRow {
	stage: string;
	/** Null on the stage's all-models row. */
	model: string | null;
	n: number;
	avg_hours: number;
	median_hours: number;
	worked_hours: number;
	standard_hours: number;
}

/** Done steps' cycle (start to finish) and worked hours by stage and model, and by stage alone. */
export function cycleByStageAndModel(conn: Conn, r: Range, where: SQL) {
	return rows<CycleRow>(
		conn,
		sql`select work_order_steps.stage as stage,
			case when grouping(elevator_models.code) = 1 then null else elevator_models.code end as model,
			count(*)::int as n,
			round(avg(${hoursBetween})::numeric, 2)::float8 as avg_hours,
			round((percentile_cont(0.5) within group (order by ${hoursBetween}))::numeric, 2)::float8 as median_hours,
			round(avg(work_order_steps.worked_seconds / 3600.0)::numeric, 2)::float8 as worked_hours,
			round(avg(work_order_steps.standard_hours)::numeric, 2)::float8 as standard_hours
		from work_order_steps
		join work_orders on work_orders.id = work_order_steps.work_order_id
		join units on units.id = work_orders.unit_id
		join elevator_models on elevator_models.id = units.model_id
		where work_order_steps.status = 'done'
			and work_order_steps.started_at is not null
			and ${within(sql`work_order_steps.finished_at`, r)}
			and ${where}
		group by grouping sets ((work_order_steps.stage, elevator_models.code), (work_order_steps.stage))`
	);
}

export interface DoneDayRow {
	day: string;
	n: number;
	on_time: number;
	/** Work orders with a start time, and their start-to-finish seconds, for the average lead time. */
	timed: number;
	cycle_seconds: number;
}

/** Work orders finished per day: how many, how many on or before their due date, lead time. */
export function workOrdersDonePerDay(conn: Conn, r: Range, where: SQL) {
	return rows<DoneDayRow>(
		conn,
		sql`select ${chinaDay(sql`work_orders.finished_at`)} as day,
			count(*)::int as n,
			count(*) filter (where (work_orders.finished_at at time zone 'Asia/Shanghai')::date <= work_orders.due_date)::int as on_time,
			count(work_orders.started_at)::int as timed,
			coalesce(sum(extract(epoch from (work_orders.finished_at - work_orders.started_at))), 0)::float8 as cycle_seconds
		from work_orders
		where work_orders.status = 'done' and ${within(sql`work_orders.finished_at`, r)}
			and ${where}
		group by 1 order by 1`
	);
}

export interface StepDayRow {
	day: string;
	stage: string;
	n: number;
}

export function stepsDonePerDay(conn: Conn, r: Range, where: SQL) {
	return rows<StepDayRow>(
		conn,
		sql`select ${chinaDay(sql`work_order_steps.finished_at`)} as day, work_order_steps.stage as stage, count(*)::int as n
		from work_order_steps
		where work_order_steps.status = 'done'
			and ${within(sql`work_order_steps.finished_at`, r)}
			and ${where}
		group by 1, 2 order by 1, 2`
	);
}

export interface WipRow {
	work_centre_id: number;
	code: string;
	name: string;
	name_en: string;
	company_code: string;
	in_progress: number;
	paused: number;
	blocked: number;
	ready: number;
	hours: number;
}

/** Steps at each work centre now: running, paused, blocked and ready to start, with their hours. */
export function wipByWorkCentre(conn: Conn, where: SQL) {
	return rows<WipRow>(
		conn,
		sql`select work_centres.id as work_centre_id, work_centres.code, work_centres.name, work_centres.name_en,
			companies.code as company_code,
			count(*) filter (where work_order_steps.status = 'in_progress')::int as in_progress,
			count(*) filter (where work_order_steps.status = 'paused')::int as paused,
			count(*) filter (where work_order_steps.status = 'blocked')::int as blocked,
			count(*) filter (where work_order_steps.status = 'ready')::int as ready,
			round(sum(work_order_steps.standard_hours)::numeric, 2)::float8 as hours
		from work_order_steps
		join work_orders on work_orders.id = work_order_steps.work_order_id
		join work_centres on work_centres.id = work_order_steps.work_centre_id
		join companies on companies.id = work_centres.company_id
		where work_order_steps.status in ('ready', 'in_progress', 'paused', 'blocked')
			and work_orders.status not in ('done', 'cancelled')
			and ${where}
		group by work_centres.id, companies.code
		order by work_centres.company_id, work_centres.code`
	);
}

export interface ProblemRow {
	reason: string | null;
	n: number;
	open: number;
	avg_close_hours: number | null;
}

/** Andons raised in the range by reason, how many are still open, and how long closing took. */
export function problemsByReason(conn: Conn, r: Range, where: SQL) {
	return rows<ProblemRow>(
		conn,
		sql`select alerts.reason as reason, count(*)::int as n,
			count(*) filter (where alerts.status <> 'closed')::int as open,
			round((avg(extract(epoch from (alerts.closed_at - alerts.raised_at))) / 3600)::numeric, 1)::float8 as avg_close_hours
		from alerts
		where alerts.kind = 'andon' and ${within(sql`alerts.raised_at`, r)}
			and ${where}
		group by alerts.reason order by n desc, reason`
	);
}
