import { distanceKm, validPoint, type Point } from './geo';
import type { TicketKind, TicketPriority } from './statuses';

/**
 * Who should take a service ticket: pure ranking of technicians by the skills the ticket needs
 * (with a certificate valid today), the distance from their crew's base to the unit's site,
 * and the work already on their hands. The service turns the facts into words.
 */

export interface TechnicianSkill {
	code: string;
	certificateNo: string | null;
	/** 'YYYY-MM-DD'; null: does not expire. */
	expiresOn: string | null;
}

export interface Technician {
	userId: number;
	name: string;
	crewId: number;
	crewName: string;
	base: Point | null;
	skills: readonly TechnicianSkill[];
	/** Open tickets on their hands (assigned, en route, on site) by priority. */
	open: Partial<Record<TicketPriority, number>>;
}

export interface TicketNeed {
	kind: TicketKind;
	priority: TicketPriority;
	site: Point | null;
	/** Today in China, 'YYYY-MM-DD': certificates are valid through their expiry day. */
	today: string;
}

export type SkillProblem = {
	skill: string;
	problem: 'none' | 'no_certificate' | 'expired';
	expiresOn?: string | null;
};

export interface RankedTechnician extends Technician {
	eligible: boolean;
	/** Higher is better: minus (km from base + LOAD_KM per load point). */
	score: number;
	distanceKm: number | null;
	/** The required skills they hold with a valid certificate. */
	certified: string[];
	missing: SkillProblem[];
	/** Weighted open tickets. */
	load: number;
	openCount: number;
}

/** A trapped passenger needs a rescue certificate; faults and maintenance a maintenance one; inspections an inspection one. */
export function requiredSkills(kind: TicketKind, priority: TicketPriority): string[] {
	if (priority === 'trapped') return ['rescue'];
	if (kind === 'fault' || kind === 'maintenance') return ['maintenance'];
	if (kind === 'inspection') return ['inspection'];
	return [];
}

/** How much an open ticket weighs on a technician's hands. */
export const LOAD_WEIGHT: Record<TicketPriority, number> = {
	trapped: 3,
	urgent: 2,
	high: 1.5,
	normal: 1,
	low: 0.5
};
/** One load point costs as much as this many km of travel. */
export const LOAD_KM = 10;
/** A site or base without coordinates counts as this far away: ranked after known nearby people. */
export const UNKNOWN_KM = 100;

export function loadOf(open: Technician['open']): { load: number; openCount: number } {
	let load = 0;
	let openCount = 0;
	for (const [p, n] of Object.entries(open) as [TicketPriority, number][]) {
		load += LOAD_WEIGHT[p] * n;
		openCount += n;
	}
	return { load, openCount };
}

export function skillProblem(
	skill: string,
	held: readonly TechnicianSkill[],
	today: string
): SkillProblem | null {
	const s = held.find((h) => h.code === skill);
	if (!s) return { skill, problem: 'none' };
	if (!s.certificateNo?.trim()) return { skill, problem: 'no_certificate' };
	if (s.expiresOn !== null && s.expiresOn < today)
		return { skill, problem: 'expired', expiresOn: s.expiresOn };
	return null;
}

/** Every technician with the facts of their ranking: eligible first, then by score, nearer, then id. */
export function rankTechnicians(technicians: readonly Technician[], need: TicketNeed): RankedTechnician[] {
	const required = requiredSkills(need.kind, need.priority);
	const site = need.site && validPoint(need.site) ? need.site : null;
	// Objects of one fixed shape, built field by field: spreading each technician is several times slower.
	const ranked: RankedTechnician[] = technicians.map((t) => {
		const missing: SkillProblem[] = [];
		const certified: string[] = [];
		for (const s of required) {
			const p = skillProblem(s, t.skills, need.today);
			if (p) missing.push(p);
			else certified.push(s);
		}
		const km = site && t.base && validPoint(t.base) ? distanceKm(t.base, site) : null;
		const { load, openCount } = loadOf(t.open);
		return {
			userId: t.userId,
			name: t.name,
			crewId: t.crewId,
			crewName: t.crewName,
			base: t.base,
			skills: t.skills,
			open: t.open,
			eligible: missing.length === 0,
			score: -Math.round(((km ?? UNKNOWN_KM) + LOAD_KM * load) * 10) / 10 || 0,
			distanceKm: km === null ? null : Math.round(km * 10) / 10,
			certified,
			missing,
			load,
			openCount
		};
	});
	return ranked.sort(
		(a, b) =>
			(a.eligible === b.eligible ? 0 : a.eligible ? -1 : 1) ||
			b.score - a.score ||
			(a.distanceKm ?? Infinity) - (b.distanceKm ?? Infinity) ||
			a.userId - b.userId
	);
}

/** The best eligible technician, or null when nobody may take it. */
export const bestTechnician = (ranked: readonly RankedTechnician[]): RankedTechnician | null =>
	ranked[0]?.eligible ? ranked[0] : null;
