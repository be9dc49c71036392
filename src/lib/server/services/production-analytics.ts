import { z } from 'zod';
import { and, eq, type Column } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { schema } from '../db';
import { authorize, canSeeCompany, scopeFilter, type Actor } from '../authz';
import { parseInput, type Locale } from '../validate';
import { currentCursor } from '../realtime/stream';
import { addDays, daysBetween, dayNumber, isoWeekday, maxDay } from '../../domain/days';
import { chinaToday } from './order-common';
import { optDate, optId } from './list';
import { issue, refuse } from './production-setup-input';
import * as q from './production-analytics-sql';
import type { Ctx } from './context';

/**
 * Production analytics for a date range (China days, default the last 30, at most 366) and
 * optionally one company, always within the user's companies: cycle time by stage and model,
 * throughput per day, on-time rate per week, work in progress by work centre now, and the
 * reasons andons were pulled. The page and GET /api/v1/production/analytics answer the same.
 */
export const DEFAULT_DAYS = 30;
export const MAX_DAYS = 366;

const { workOrders, workOrderSteps, alerts } = schema;

const minDay = (a: string, b: string) => (a < b ? a : b);

const analyticsInput = z.object({ from: optDate(), to: optDate(), companyId: optId() });

interface Filter {
	from: string;
	to: string;
	companyId: number | null;
}

function parseFilter(a: Actor, input: unknown, today: string): Filter {
	const o = { locale: a.locale as Locale };
	const f = parseInput(analyticsInput, input, a.locale);
	// Only a start given: the default span from it, not past today (unless the start is later).
	const to = f.to ?? (f.from ? maxDay(f.from, minDay(addDays(f.from, DEFAULT_DAYS - 1), today)) : today);
	const from = f.from ?? addDays(to, -(DEFAULT_DAYS - 1));
	const issues = [];
	if (from > to) issues.push(issue('to', m.pa_err_to_before_from({}, o)));
	else if (daysBetween(from, to) + 1 > MAX_DAYS) issues.push(issue('from', m.pa_err_range({ max: MAX_DAYS }, o)));
	if (f.companyId !== undefined && !canSeeCompany(a, f.companyId)) issues.push(issue('companyId', m.wc_err_company({}, o)));
	refuse(issues);
	return { from, to, companyId: f.companyId ?? null };
}

/** Midnight in China (UTC+8 all year, no daylight saving) of a day, as an ISO moment. */
const chinaMidnight = (day: string) => new Date(`${day}T00:00:00+08:00`).toISOString();

/** Monday of the ISO week a day is in. */
const weekOf = (day: string) => addDays(day, 1 - isoWeekday(dayNumber(day)));

const ratio = (n: number, d: number) => (d > 0 ? Math.round((n / d) * 1000) / 1000 : null);

export async function productionAnalytics({ db, actor }: Ctx, input: unknown = {}) {
	const a = authorize(actor, 'production.read');
	const f = parseFilter(a, input, chinaToday());
	const range = { from: chinaMidnight(f.from), to: chinaMidnight(addDays(f.to, 1)) };
	const where = (company: Column) =>
		and(scopeFilter(a, company), f.companyId !== null ? eq(company, f.companyId) : undefined)!;
	const cursor = await currentCursor(db);
	const [cycle, done, steps, wip, problems] = await Promise.all([
		q.cycleByStageAndModel(db, range, where(workOrderSteps.companyId)),
		q.workOrdersDonePerDay(db, range, where(workOrders.companyId)),
		q.stepsDonePerDay(db, range, where(workOrderSteps.companyId)),
		q.wipByWorkCentre(db, where(workOrderSteps.companyId)),
		q.problemsByReason(db, range, where(alerts.companyId))
	]);

	const days = Array.from({ length: daysBetween(f.from, f.to) + 1 }, (_, i) => addDays(f.from, i));
	const doneByDay = new Map(done.map((d) => [d.day, d]));
	const weeks = new Map<string, { week: string; done: number; onTime: number }>();
	for (const d of done) {
		const w = weeks.get(weekOf(d.day)) ?? { week: weekOf(d.day), done: 0, onTime: 0 };
		w.done += d.n;
		w.onTime += d.on_time;
		weeks.set(w.week, w);
	}
	const sum = <T>(xs: T[], f: (x: T) => number) => xs.reduce((t, x) => t + f(x), 0);
	const stageRows = cycle.filter((c) => c.model === null);
	const workOrdersDone = sum(done, (d) => d.n);
	const timed = sum(done, (d) => d.timed);
	const stepsDone = sum(steps, (s) => s.n);
	const wipTotals = {
		inProgress: sum(wip, (w) => w.in_progress),
		paused: sum(wip, (w) => w.paused),
		blocked: sum(wip, (w) => w.blocked),
		ready: sum(wip, (w) => w.ready)
	};
	return {
		filter: f,
		cursor,
		summary: {
			workOrdersDone,
			stepsDone,
			perDay: Math.round((workOrdersDone / days.length) * 10) / 10,
			onTimeRate: ratio(sum(done, (d) => d.on_time), workOrdersDone),
			avgCycleDays: timed > 0 ? Math.round((sum(done, (d) => d.cycle_seconds) / timed / 86_400) * 10) / 10 : null,
			avgStepHours:
				stepsDone > 0 && stageRows.length
					? Math.round((sum(stageRows, (s) => s.avg_hours * s.n) / sum(stageRows, (s) => s.n)) * 100) / 100
					: null,
			wip: wipTotals,
			andons: sum(problems, (p) => p.n)
		},
		cycle: {
			stages: stageRows.map(({ model: _, ...s }) => s),
			byModel: cycle.filter((c) => c.model !== null) as (q.CycleRow & { model: string })[]
		},
		throughput: {
			days: days.map((day) => ({ day, workOrders: doneByDay.get(day)?.n ?? 0, onTime: doneByDay.get(day)?.on_time ?? 0 })),
			steps
		},
		onTime: [...weeks.values()]
			.sort((x, y) => x.week.localeCompare(y.week))
			.map((w) => ({ ...w, rate: ratio(w.onTime, w.done) })),
		wip,
		problems
	};
}
export type ProductionAnalytics = Awaited<ReturnType<typeof productionAnalytics>>;
