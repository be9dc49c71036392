import { addDays, dayNumber, dayString } from './days';
import { distanceKm, type Point } from './geo';

/**
 * Who should install this job: pure rules for the dispatcher's suggestions and for the check
 * every assignment passes. A crew qualifies when its members together hold a valid certificate
 * for every skill the job needs (valid through the job's last planned day) and it has room on
 * every day of the job: its capacity is the number of sites it can run at once. Among those
 * that qualify, nearer and less loaded crews rank first.
 */

/** A booked site of a crew over inclusive days (YYYY-MM-DD). */
export interface Booking {
	jobId: number;
	start: string;
	end: string;
}

export interface Certificate {
	skill: string;
	certificateNo: string | null;
	expiresOn: string | null;
}

export interface CrewInfo {
	id: number;
	name: string;
	baseCity: string;
	base: Point;
	capacity: number;
	active: boolean;
	/** Every member's certificates, flattened: the crew holds a skill when any member does. */
	certificates: Certificate[];
	bookings: Booking[];
}

export interface JobNeed {
	id: number;
	at: Point;
	start: string;
	end: string;
	skills: readonly string[];
}

/** Mechanical and electrical work on every elevator; escalators also need the escalator certificate. */
export function requiredSkills(modelKinds: readonly string[]): string[] {
	const skills = ['mechanical', 'electrical'];
	if (modelKinds.includes('escalator')) skills.push('escalator');
	return skills;
}

/** Skills with a certificate number still valid on `through` (no expiry date = does not expire). */
export function validSkills(certificates: readonly Certificate[], through: string): Set<string> {
	const held = new Set<string>();
	for (const c of certificates)
		if (c.certificateNo && (c.expiresOn === null || c.expiresOn >= through)) held.add(c.skill);
	return held;
}

/** The most sites booked on any one day of [start, end], and the first such day; `except` is left out. */
export function peakLoad(
	bookings: readonly Booking[],
	start: string,
	end: string,
	except?: number
): { peak: number; day: string | null } {
	const from = dayNumber(start);
	const to = dayNumber(end);
	// A sweep over the days where the count changes: +1 where a booking starts, -1 after it ends.
	const delta = new Map<number, number>();
	for (const b of bookings) {
		if (b.jobId === except) continue;
		const s = Math.max(dayNumber(b.start), from);
		const e = Math.min(dayNumber(b.end), to);
		if (s > e) continue;
		delta.set(s, (delta.get(s) ?? 0) + 1);
		delta.set(e + 1, (delta.get(e + 1) ?? 0) - 1);
	}
	let load = 0;
	let peak = 0;
	let day: number | null = null;
	for (const d of [...delta.keys()].sort((a, b) => a - b)) {
		load += delta.get(d)!;
		if (load > peak) {
			peak = load;
			day = d;
		}
	}
	return { peak, day: day === null ? null : dayString(day) };
}

export type Refusal =
	| { code: 'inactive' }
	| { code: 'uncertified'; missing: string[] }
	| { code: 'full'; day: string; capacity: number };

export interface Suggestion {
	crew: CrewInfo;
	eligible: boolean;
	/** 0–100: higher is better; ineligible crews are listed after every eligible one. */
	score: number;
	distanceKm: number;
	/** Sites already booked on the busiest day of the job. */
	peak: number;
	missing: string[];
	/** Required certificates that run out within 30 days after the job. */
	expiringSoon: string[];
	refusal: Refusal | null;
}

/** Why this crew may not take this job, or null when it may. */
export function refusalFor(
	job: JobNeed,
	crew: CrewInfo,
	load = peakLoad(crew.bookings, job.start, job.end, job.id)
): Refusal | null {
	if (!crew.active) return { code: 'inactive' };
	const held = validSkills(crew.certificates, job.end);
	const missing = job.skills.filter((s) => !held.has(s));
	if (missing.length > 0) return { code: 'uncertified', missing };
	if (load.peak >= crew.capacity) return { code: 'full', day: load.day!, capacity: crew.capacity };
	return null;
}

/** Distance counts for up to half of the score, free capacity on the busiest day for the rest. */
function score(distance: number, peak: number, capacity: number): number {
	const near = 50 / (1 + distance / 50);
	const free = 50 * Math.max(0, 1 - peak / capacity);
	return Math.round((near + free) * 10) / 10;
}

export function rankCrews(job: JobNeed, crews: readonly CrewInfo[]): Suggestion[] {
	const soon = addDays(job.end, 30);
	return crews
		.map((crew) => {
			const load = peakLoad(crew.bookings, job.start, job.end, job.id);
			const refusal = refusalFor(job, crew, load);
			const distance = distanceKm(crew.base, job.at);
			const { peak } = load;
			const heldLater = validSkills(crew.certificates, soon);
			const missing = refusal?.code === 'uncertified' ? refusal.missing : [];
			return {
				crew,
				eligible: refusal === null,
				score: score(distance, peak, crew.capacity),
				distanceKm: Math.round(distance * 10) / 10,
				peak,
				missing,
				expiringSoon: job.skills.filter((s) => !heldLater.has(s) && !missing.includes(s)),
				refusal
			};
		})
		.sort(
			(a, b) =>
				Number(b.eligible) - Number(a.eligible) ||
				b.score - a.score ||
				a.distanceKm - b.distanceKm ||
				a.crew.id - b.crew.id
		);
}
