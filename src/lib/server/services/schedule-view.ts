import { z } from 'zod';
import { asc, eq, sql } from 'drizzle-orm';
import { schema } from '../db';
import { assertInScope, authorize, canSeeCompany, scopeFilter } from '../authz';
import { parseInput } from '../validate';
import { NotFoundError } from '../errors';
import { currentCursor } from '../realtime/stream';
import { addDays, dayNumber, isDay, isoWeekday } from '../../domain/days';
import { chinaToday } from './order-common';
import { jsonRows, OPEN } from './schedule-data';
import type { ReplanSummary } from './production-schedule';
import type { Ctx } from './context';

const { companies, workCentres } = schema;

/** Rows of one centre's Gantt; more than this is more than a screen can show. */
export const MAX_JOBS = 400;

/** A form field left empty means "not given". */
const blank = <T extends z.ZodType>(t: T) => z.preprocess((v) => (v === '' ? undefined : v), t);
const id = blank(z.coerce.number().int().min(1).max(2_147_483_647).optional());
export const scheduleQuery = z
	.object({
		companyId: id,
		workCentreId: id,
		from: blank(z.string().refine(isDay).optional()),
		days: blank(z.coerce.number().int().min(7).max(120).default(28))
	})
	.strict();

export interface ScheduleJob {
	stepId: number;
	seq: number;
	stage: string;
	status: string;
	standardHours: number;
	start: string | null;
	end: string | null;
	hours: Record<string, number> | null;
	id: number;
	number: string;
	version: number;
	priority: 'normal' | 'urgent';
	dueDate: string;
	plannedStart: string | null;
	projectedFinish: string | null;
	late: boolean;
	locked: boolean;
	planRank: number | null;
	notBefore: string | null;
	shortage: boolean;
	materialReadyOn: string | null;
	changeFlagged: boolean;
	serialNo: string;
	modelCode: string;
}

/**
 * One work centre's schedule for the Gantt: its open jobs in sequence (by planned start, then
 * scheduling priority), its load per day against its capacity, the company's figures and the
 * last run. `cursor` is read first so the page's live feed misses nothing.
 */
export async function getSchedule({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'production.read');
	const q = parseInput(scheduleQuery, input, a.locale);
	const cursor = await currentCursor(db);
	const visible = await db
		.select({ id: companies.id, code: companies.code, name: companies.name })
		.from(companies)
		.where(scopeFilter(a, companies.id))
		.orderBy(asc(companies.id));
	let companyId: number | undefined;
	let centreId = q.workCentreId;
	if (q.companyId !== undefined && !canSeeCompany(a, q.companyId)) throw new NotFoundError();
	if (centreId !== undefined) {
		const [c] = await db
			.select({ companyId: workCentres.companyId })
			.from(workCentres)
			.where(eq(workCentres.id, centreId));
		companyId = assertInScope(a, c).companyId;
		// Another company picked while a centre of the first was shown: that company's first centre.
		if (q.companyId !== undefined && q.companyId !== companyId)
			[companyId, centreId] = [q.companyId, undefined];
	} else companyId = q.companyId ?? visible.find((c) => c.id === a.homeCompanyId)?.id ?? visible[0]?.id;
	const today = chinaToday();
	const from = q.from ?? today;
	const to = addDays(from, q.days - 1);
	const empty = {
		companies: visible,
		companyId: companyId ?? null,
		centres: [],
		centre: null,
		today,
		from,
		to,
		jobs: [],
		truncated: false,
		load: [],
		summary: null,
		lastRun: null,
		cursor
	};
	if (companyId === undefined) return empty;

	const centres = await db
		.select({
			id: workCentres.id,
			code: workCentres.code,
			name: workCentres.name,
			nameEn: workCentres.nameEn,
			dailyCapacityHours: sql<number>`${workCentres.dailyCapacityHours}::float8`,
			workDays: workCentres.workDays,
			holidays: sql<string[]>`${workCentres.holidays}::text[]`
		})
		.from(workCentres)
		.where(eq(workCentres.companyId, companyId))
		.orderBy(asc(workCentres.code));
	const centre = centres.find((c) => c.id === centreId) ?? centres[0] ?? null;
	const [summary, lastRun, jobs, used] = await Promise.all([
		jsonRows<{
			open: number;
			late: number;
			shortage: number;
			unscheduled: number;
			flagged: number;
			scheduledAt: string | null;
		}>(
			db,
			sql`select count(*)::int as open, count(*) filter (where projected_finish > due_date)::int as late,
					count(*) filter (where shortage)::int as shortage, count(*) filter (where scheduled_at is null)::int as unscheduled,
					count(*) filter (where change_flag is not null)::int as flagged, max(scheduled_at) as "scheduledAt"
				from work_orders where company_id = ${companyId} and status not in ${OPEN}`
		),
		jsonRows<{ at: string; payload: ReplanSummary & { trigger: string }; by: string | null }>(
			db,
			sql`select e.at, e.payload, u.display_name as by from events e left join users u on u.id = e.actor_id
				where e.entity = 'schedule' and e.entity_id = ${companyId} order by e.id desc limit 1`
		),
		centre
			? jsonRows<ScheduleJob>(
					db,
					sql`select s.id as "stepId", s.seq, s.stage, s.status, s.standard_hours::float8 as "standardHours",
						s.planned_date as start, s.planned_end as "end", s.planned_hours as hours,
						w.id, w.number, w.version, w.priority, w.due_date as "dueDate", w.planned_start as "plannedStart",
						w.projected_finish as "projectedFinish", coalesce(w.projected_finish > w.due_date, false) as late,
						w.locked, w.plan_rank as "planRank", w.not_before as "notBefore", w.shortage,
						w.material_ready_on as "materialReadyOn", w.change_flag is not null as "changeFlagged",
						u.serial_no as "serialNo", m.code as "modelCode"
					from work_order_steps s
						join work_orders w on w.id = s.work_order_id
						join units u on u.id = w.unit_id
						join elevator_models m on m.id = u.model_id
					where s.work_centre_id = ${centre.id} and s.status <> 'done' and w.status not in ${OPEN}
						and (s.planned_date is null or s.planned_date <= ${to})
					order by s.planned_date nulls last, w.plan_rank nulls last, w.priority = 'urgent' desc, w.due_date, w.id
					limit ${MAX_JOBS + 1}`
				)
			: [],
		centre
			? jsonRows<{ day: string; hours: number }>(
					db,
					sql`select e.key as day, sum(e.value::numeric)::float8 as hours
					from work_order_steps s
						join work_orders w on w.id = s.work_order_id
						cross join lateral jsonb_each_text(s.planned_hours) e
					where s.work_centre_id = ${centre.id} and s.status <> 'done' and w.status not in ${OPEN}
						and e.key between ${from} and ${to}
					group by e.key`
				)
			: []
	]);
	const usedOn = new Map(used.map((u) => [u.day, u.hours]));
	const load = centre
		? Array.from({ length: q.days }, (_, i) => {
				const day = addDays(from, i);
				const works = centre.workDays.includes(isoWeekday(dayNumber(day))) && !centre.holidays.includes(day);
				return { day, capacity: works ? centre.dailyCapacityHours : 0, hours: usedOn.get(day) ?? 0 };
			})
		: [];
	return {
		...empty,
		centres,
		centre,
		jobs: jobs.slice(0, MAX_JOBS),
		truncated: jobs.length > MAX_JOBS,
		load,
		summary: summary[0] ?? null,
		lastRun: lastRun[0] ?? null
	};
}
export type ScheduleView = Awaited<ReturnType<typeof getSchedule>>;
