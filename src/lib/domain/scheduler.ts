import type { Priority, StepStatus } from './statuses';
import { dayNumber, dayString, isoWeekday } from './days';
import { CentreDays } from './centre-days';

/**
 * The finite-capacity scheduler: pure, no I/O, the same code for the replan service, the seed,
 * the tests and the benchmark. Each work centre has a bucket of hours per working day; work
 * orders take their steps' hours from the buckets in priority order, each step after its
 * predecessor, never above a day's capacity. Hours are counted in hundredths (the columns'
 * precision) so capacity checks are exact, not floating-point.
 *
 * Order of placement:
 *  1. locked work orders keep the hours they have from today on (a step whose plan lies wholly
 *     in the past is placed again, first of all);
 *  2. steps running now continue from today, in priority order: a job on the bench is finished
 *     before the next one is started;
 *  3. everything else in priority order (`compareWorkOrders`).
 */

export interface CentreCalendar {
	id: number;
	dailyCapacityHours: number;
	/** ISO weekdays it works, 1 = Monday. */
	workDays: readonly number[];
	holidays: readonly string[];
}

export interface StepInput {
	id: number;
	seq: number;
	workCentreId: number;
	standardHours: number;
	status: StepStatus;
	/** Worked so far, including a run in progress. */
	workedSeconds: number;
	/** The plan the step has now (day → hours): kept when locked; its past days kept once started. */
	plannedHours?: Record<string, number> | null;
}

export interface WorkOrderInput {
	id: number;
	priority: Priority;
	dueDate: string;
	planRank: number | null;
	notBefore: string | null;
	locked: boolean;
	/** Parts are missing: wait until `materialReadyOn`, or, when that is unknown, a default lead time. */
	shortage: boolean;
	materialReadyOn: string | null;
	/** The day the first step started, if any: the planned start of a job under way. */
	startedOn?: string | null;
	steps: StepInput[];
}

export interface ScheduleInput {
	/** Today in the factory's time zone; nothing is placed before it. */
	today: string;
	centres: readonly CentreCalendar[];
	workOrders: readonly WorkOrderInput[];
	/** Days to wait for parts with no expected day (nothing on order). */
	shortageLeadDays?: number;
	/** How far ahead a step may be placed before it counts as unplaceable. */
	maxDays?: number;
}

export interface StepPlan {
	id: number;
	workCentreId: number;
	start: string | null;
	end: string | null;
	hours: Record<string, number>;
}

export interface WorkOrderPlan {
	id: number;
	plannedStart: string | null;
	projectedFinish: string | null;
	late: boolean;
	/** A step could not be placed (a centre without capacity or working days): no finish is known. */
	unplaced: boolean;
	/** Plans of the steps not done, in sequence. */
	steps: StepPlan[];
}

export interface CentreLoad {
	centreId: number;
	/** Hours per day from today: what the centre can do and what is planned on it. */
	capacity: number[];
	used: number[];
}

export interface ScheduleResult {
	today: string;
	/** In the order of the input. */
	workOrders: WorkOrderPlan[];
	/** Work order ids in scheduling priority order. */
	sequence: number[];
	load: CentreLoad[];
	/** Days where locked plans alone exceed a centre's capacity. */
	overloaded: { centreId: number; day: string; hours: number }[];
}

export const DEFAULT_SHORTAGE_LEAD_DAYS = 14;
export const DEFAULT_MAX_DAYS = 3 * 366;
/** A step under way that has used up its standard hours still needs some time to finish. */
export const MIN_REMAINING_HOURS = 0.25;

const STARTED: readonly StepStatus[] = ['in_progress', 'paused', 'blocked'];

/**
 * The scheduling priority: the planner's manual position first (ranked before unranked), then
 * urgent before normal, the earlier due date, and the id so the order is total and stable.
 */
export function compareWorkOrders(
	a: Pick<WorkOrderInput, 'id' | 'planRank' | 'priority' | 'dueDate'>,
	b: Pick<WorkOrderInput, 'id' | 'planRank' | 'priority' | 'dueDate'>
): number {
	if (a.planRank !== b.planRank) {
		if (a.planRank === null) return 1;
		if (b.planRank === null) return -1;
		return a.planRank - b.planRank;
	}
	if (a.priority !== b.priority) return a.priority === 'urgent' ? -1 : 1;
	if (a.dueDate !== b.dueDate) return a.dueDate < b.dueDate ? -1 : 1;
	return a.id - b.id;
}

const centi = (hours: number) => Math.round(hours * 100);

/** Hundredths of an hour a step still needs (0 when done). */
export function remainingCenti(step: Pick<StepInput, 'status' | 'standardHours' | 'workedSeconds'>): number {
	if (step.status === 'done') return 0;
	const standard = centi(step.standardHours);
	if (!STARTED.includes(step.status)) return standard;
	const left = standard - Math.floor(step.workedSeconds / 36);
	return Math.max(left, Math.min(standard, centi(MIN_REMAINING_HOURS)));
}

export function schedule(input: ScheduleInput): ScheduleResult {
	const today = dayNumber(input.today);
	if (Number.isNaN(today)) throw new RangeError(`today is not a day: ${input.today}`);
	const maxDays = input.maxDays ?? DEFAULT_MAX_DAYS;
	const lead = input.shortageLeadDays ?? DEFAULT_SHORTAGE_LEAD_DAYS;
	const centres = new Map<number, CentreDays>();
	for (const c of input.centres) {
		const holidays = new Set<number>();
		for (const h of c.holidays) {
			const n = dayNumber(h) - today;
			if (n >= 0) holidays.add(n);
		}
		const works = new Set(c.workDays);
		const working = (d: number) => works.has(isoWeekday(today + d)) && !holidays.has(d);
		centres.set(c.id, new CentreDays(centi(c.dailyCapacityHours), working, maxDays));
	}
	/** Day offset from today of a 'YYYY-MM-DD' (negative: in the past). */
	const offset = (day: string) => dayNumber(day) - today;

	const orders = input.workOrders.map((wo) => ({ wo, steps: [...wo.steps].sort((a, b) => a.seq - b.seq) }));
	const sequence = [...orders].sort((a, b) => compareWorkOrders(a.wo, b.wo));
	const plans = new Map<number, StepPlan>();
	/** Per placed step: the day offset it ends on (Infinity when it could not be placed). */
	const ends = new Map<number, number>();

	/** Takes `need` hundredths from a centre's days from `earliest` on; the plan of the step. */
	const place = (step: StepInput, need: number, earliest: number, keepPast: boolean) => {
		const hours = keepPast && step.plannedHours ? pastHours(step.plannedHours, input.today) : {};
		// Past days (kept for a started step) all come before today's: the first of them starts it.
		let start: string | null = null;
		for (const k in hours) if (start === null || k < start) start = k;
		const days = centres.get(step.workCentreId);
		let d = days ? days.find(Math.max(0, earliest)) : -1;
		let end = -1;
		while (need > 0 && d >= 0) {
			const take = days!.take(d, need);
			end = d;
			need -= take;
			const key = dayString(today + d);
			hours[key] = (hours[key] ?? 0) + take / 100;
			start ??= key;
			if (need > 0) d = days!.find(d + 1);
		}
		const placed = need <= 0;
		plans.set(step.id, {
			id: step.id,
			workCentreId: step.workCentreId,
			start,
			end: placed && end >= 0 ? dayString(today + end) : placed ? start : null,
			hours
		});
		ends.set(step.id, placed ? end : Infinity);
	};

	/** A locked step's plan from today on, reserved as it is; false when it has nothing ahead. */
	const keep = (step: StepInput): boolean => {
		const plan = step.plannedHours ?? {};
		const ahead = Object.keys(plan).filter((k) => offset(k) >= 0 && plan[k] > 0);
		if (ahead.length === 0) return false;
		const days = centres.get(step.workCentreId);
		for (const k of ahead) days?.reserve(offset(k), centi(plan[k]));
		const all = Object.keys(plan).sort();
		plans.set(step.id, {
			id: step.id,
			workCentreId: step.workCentreId,
			start: all[0],
			end: all[all.length - 1],
			hours: { ...plan }
		});
		ends.set(step.id, Math.max(...ahead.map(offset)));
		return true;
	};

	/** Places a work order's open steps in sequence; in the locked phase, kept plans are reserved as they are. */
	const walk = (o: (typeof orders)[number], phase: 'locked' | 'rest') => {
		const { wo, steps } = o;
		const material = wo.shortage ? (wo.materialReadyOn ? offset(wo.materialReadyOn) : lead) : 0;
		let earliest = Math.max(0, wo.notBefore ? offset(wo.notBefore) : 0, material);
		for (const s of steps) {
			if (s.status === 'done') continue;
			if (!ends.has(s.id) && !(phase === 'locked' && keep(s)))
				place(s, remainingCenti(s), earliest, STARTED.includes(s.status));
			earliest = Math.max(earliest, ends.get(s.id)!);
		}
	};

	for (const o of sequence) if (o.wo.locked) walk(o, 'locked');
	// Work on the bench now: its remaining hours from today, before anything new starts.
	for (const o of sequence)
		for (const s of o.steps)
			if (s.status === 'in_progress' && !ends.has(s.id)) place(s, remainingCenti(s), 0, true);
	for (const o of sequence) if (!o.wo.locked) walk(o, 'rest');

	const workOrders = orders.map(({ wo, steps }): WorkOrderPlan => {
		const open = steps.filter((s) => s.status !== 'done');
		const unplaced = open.some((s) => ends.get(s.id) === Infinity);
		const plan = open.map((s) => plans.get(s.id)!);
		const finish = unplaced
			? null
			: plan.reduce<string | null>((m, p) => (p.end && (!m || p.end > m) ? p.end : m), null);
		const first = plan.reduce<string | null>((m, p) => (p.start && (!m || p.start < m) ? p.start : m), null);
		const projectedFinish = finish ?? (unplaced ? null : input.today);
		return {
			id: wo.id,
			plannedStart: wo.startedOn ?? first ?? projectedFinish,
			projectedFinish,
			late: projectedFinish !== null && projectedFinish > wo.dueDate,
			unplaced,
			steps: plan
		};
	});

	const load: CentreLoad[] = [];
	const overloaded: ScheduleResult['overloaded'] = [];
	for (const [centreId, days] of centres) {
		const { capacity, used } = days.hours();
		load.push({ centreId, capacity, used });
		used.forEach((u, d) => {
			if (u > capacity[d] + 1e-9)
				overloaded.push({ centreId, day: dayString(today + d), hours: u - capacity[d] });
		});
	}
	return { today: input.today, workOrders, sequence: sequence.map((o) => o.wo.id), load, overloaded };
}

/** The days before today of a plan (what was planned for a step that has started). */
function pastHours(plan: Record<string, number>, today: string): Record<string, number> {
	const out: Record<string, number> = {};
	for (const k in plan) if (k < today && plan[k] > 0) out[k] = plan[k];
	return out;
}
