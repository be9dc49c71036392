const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

// Day strings are parsed millions of times in a big seed; the few thousand distinct days are cached.
const dayNums = new Map<string, number>();
const dayStrs = new Map<number, string>();

/** Days since 1970-01-01 of a 'YYYY-MM-DD'. */
function dayNum(day: string): number {
	let n = dayNums.get(day);
	if (n === undefined) {
		n = Math.round(Date.parse(`${day}T00:00:00Z`) / DAY_MS);
		if (Number.isNaN(n)) throw new Error(`bad day ${day}`);
		dayNums.set(day, n);
	}
	return n;
}

function dayStr(n: number): string {
	let s = dayStrs.get(n);
	if (s === undefined) {
		s = new Date(n * DAY_MS).toISOString().slice(0, 10);
		dayStrs.set(n, s);
	}
	return s;
}

/** 'YYYY-MM-DD' plus n days. */
export function addDays(day: string, n: number): string {
	return dayStr(dayNum(day) + n);
}

export function daysBetween(from: string, to: string): number {
	return dayNum(to) - dayNum(from);
}

export function maxDay(a: string, b: string): string {
	return a > b ? a : b;
}

export function minDay(a: string, b: string): string {
	return a < b ? a : b;
}

/**
 * The seed's notion of "now": the start of today in China time. Every date is relative to it,
 * so the demo looks current, yet the same seed gives the same rows all day long.
 */
export class Clock {
	readonly today: string;
	readonly anchor: Date;

	constructor(today?: string) {
		this.today = today ?? new Date(Date.now() + 8 * HOUR_MS).toISOString().slice(0, 10);
		if (!/^\d{4}-\d{2}-\d{2}$/.test(this.today)) throw new Error(`bad day ${this.today}`);
		this.anchor = new Date(`${this.today}T00:00:00+08:00`);
	}

	/** Today plus n days. */
	day(n: number): string {
		return addDays(this.today, n);
	}

	/** A moment of a day, in hours after midnight China time (may exceed 24). */
	at(day: string, hours: number): Date {
		return new Date(dayNum(day) * DAY_MS - 8 * HOUR_MS + Math.round(hours * HOUR_MS));
	}

	/** The anchor moved by hours. */
	hoursFromNow(hours: number): Date {
		return new Date(this.anchor.getTime() + Math.round(hours * HOUR_MS));
	}

	/** The China-time date of a moment. */
	dayOf(t: Date): string {
		return dayStr(Math.floor((t.getTime() + 8 * HOUR_MS) / DAY_MS));
	}

	/** Keeps a past event in the past: never later than `marginMin` minutes before the anchor. */
	past(t: Date, marginMin = 20): Date {
		const limit = this.anchor.getTime() - marginMin * 60_000;
		return t.getTime() > limit ? new Date(limit) : t;
	}
}

/** b, but never before a (for timestamps that must follow each other). */
export function notBefore(a: Date, b: Date, gapMin = 5): Date {
	return b.getTime() >= a.getTime() ? b : new Date(a.getTime() + gapMin * 60_000);
}

export function plusHours(t: Date, hours: number): Date {
	return new Date(t.getTime() + Math.round(hours * HOUR_MS));
}
