import { addDays, dayNumber, dayString } from './days';

/**
 * Planned maintenance: which days a plan's visits fall on. Chinese rules ask for a visit at
 * least every 15 days; each plan keeps its own interval. Pure; days are 'YYYY-MM-DD' in China.
 */

/** Visits are generated this many days ahead, so they show on the dispatcher's map in time. */
export const HORIZON_DAYS = 14;
export const MIN_INTERVAL = 1;
export const MAX_INTERVAL = 366;

export interface PlanSchedule {
	/** The first due day not generated yet. */
	nextDueOn: string;
	intervalDays: number;
}

export interface VisitDays {
	days: string[];
	/** Where the plan goes on from: the due day after the last one generated (unchanged when none). */
	nextDueOn: string;
}

/**
 * The visit days of a plan from its next due day through `through`, every `intervalDays`. A due
 * day already past (the plan was paused, or the sweep did not run) is owed: its visit is put on
 * `today`, and the rhythm goes on from there, never in the past.
 */
export function visitDays(plan: PlanSchedule, today: string, through: string): VisitDays {
	const step = Math.trunc(plan.intervalDays);
	if (!(step >= MIN_INTERVAL && step <= MAX_INTERVAL))
		throw new RangeError(`interval ${plan.intervalDays} out of range`);
	const end = dayNumber(through);
	let d = Math.max(dayNumber(plan.nextDueOn), dayNumber(today));
	if (Number.isNaN(d) || Number.isNaN(end)) throw new RangeError('not a day');
	const days: string[] = [];
	for (; d <= end; d += step) days.push(dayString(d));
	return { days, nextDueOn: days.length ? dayString(d) : plan.nextDueOn };
}

/** The generator's horizon from `today`. */
export const horizonFrom = (today: string, days = HORIZON_DAYS): string => addDays(today, days);

/**
 * After the interval changes, the next due day counts from the last generated visit with the new
 * interval (visits already made stay where they are); a plan with no visit yet keeps its day.
 */
export function nextDueAfterChange(
	lastVisit: string | null,
	nextDueOn: string,
	intervalDays: number
): string {
	return lastVisit ? addDays(lastVisit, intervalDays) : nextDueOn;
}
