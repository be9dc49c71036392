/**
 * Calendar days as the planner sees them: 'YYYY-MM-DD' strings at the edges, whole day numbers
 * (days since 1970-01-01) inside the scheduler, where millions of day steps must stay cheap.
 * Pure and time-zone free: a day is a date, never a moment.
 */
const DAY_MS = 86_400_000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

const strings = new Map<number, string>();

/** Days since 1970-01-01 of a 'YYYY-MM-DD'; NaN for anything else (including 2026-02-30). */
export function dayNumber(day: string): number {
	const m = DAY.exec(day);
	if (!m) return NaN;
	const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
	const n = ms / DAY_MS;
	// Date.UTC rolls 02-30 over to 03-02: a day that does not exist is not a day.
	return dayString(n) === day ? n : NaN;
}

export function dayString(n: number): string {
	let s = strings.get(n);
	if (s === undefined) {
		s = new Date(n * DAY_MS).toISOString().slice(0, 10);
		if (strings.size < 20_000) strings.set(n, s);
	}
	return s;
}

export const isDay = (day: string): boolean => !Number.isNaN(dayNumber(day));

export const addDays = (day: string, n: number): string => dayString(dayNumber(day) + n);

export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/** ISO weekday (1 = Monday … 7 = Sunday) of a day number. */
export const isoWeekday = (n: number): number => ((((n + 3) % 7) + 7) % 7) + 1;

export const maxDay = (a: string, b: string): string => (a > b ? a : b);
