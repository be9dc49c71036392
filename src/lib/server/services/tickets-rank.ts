import { sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import type { Conn } from '../db';
import type { Locale } from '../validate';
import { jsonRows } from './schedule-data';
import {
	rankTechnicians,
	requiredSkills,
	type RankedTechnician,
	type Technician,
	type TicketNeed
} from '../../domain/technician-rank';
import { WORKING_STATUSES } from '../../domain/service-sla';
import type { TicketKind, TicketPriority } from '../../domain/statuses';

/**
 * The technicians of some companies with their skills and the work on their hands, read in two
 * queries, so ranking one ticket or a thousand generated visits costs the same few round trips;
 * and the ranking's facts in the user's words.
 */

type Base = Omit<Technician, 'open'> & { companyId: number };
type OpenRow = { userId: number; priority: TicketPriority; plannedOn: string | null; n: number };

export interface Workforce {
	skills: Map<string, { name: string; nameEn: string }>;
	technicians: Base[];
	open: OpenRow[];
	today: string;
}

const WORKING = sql.raw(WORKING_STATUSES.map((s) => `'${s}'`).join(', '));

export async function loadWorkforce(
	conn: Conn,
	companyIds: readonly number[],
	today: string
): Promise<Workforce> {
	const ids = companyIds.length
		? sql.join(
				companyIds.map((id) => sql`${id}`),
				sql`, `
			)
		: sql`null`;
	const [skills, technicians, open] = await Promise.all([
		jsonRows<{ code: string; name: string; nameEn: string }>(
			conn,
			sql`select code, name, name_en as "nameEn" from skills`
		),
		jsonRows<Base & { baseLat: number; baseLng: number }>(
			conn,
			sql`select cm.user_id as "userId", u.display_name as name, c.id as "crewId", c.name as "crewName",
					c.company_id as "companyId", c.base_lat as "baseLat", c.base_lng as "baseLng",
					coalesce((select json_agg(json_build_object('code', s.code, 'certificateNo', ts.certificate_no,
						'expiresOn', ts.certificate_expires_on) order by s.code)
						from technician_skills ts join skills s on s.id = ts.skill_id where ts.user_id = cm.user_id), '[]') as skills
				from crew_members cm join crews c on c.id = cm.crew_id join users u on u.id = cm.user_id
				where c.company_id in (${ids}) and c.active = 1 and u.active
				order by cm.user_id`
		),
		jsonRows<OpenRow>(
			conn,
			sql`select t.technician_id as "userId", t.priority, t.planned_on as "plannedOn", count(*)::int as n
				from service_tickets t join crew_members cm on cm.user_id = t.technician_id join crews c on c.id = cm.crew_id
				where c.company_id in (${ids}) and t.status in (${WORKING})
				group by 1, 2, 3`
		)
	]);
	return {
		skills: new Map(skills.map((s) => [s.code, { name: s.name, nameEn: s.nameEn }])),
		technicians: technicians.map(({ baseLat, baseLng, ...t }) => ({
			...t,
			base: { lat: baseLat, lng: baseLng }
		})),
		open,
		today
	};
}

/**
 * Open tickets per technician that weigh on a ticket for `day`: for today (or a call with no
 * day) every open call and the visits due by today; for a visit on a later day, that day's visits.
 */
export function openOn(w: Workforce, day: string | null): Map<number, Technician['open']> {
	const future = day !== null && day > w.today;
	const out = new Map<number, Technician['open']>();
	for (const r of w.open) {
		const counts = future ? r.plannedOn === day : r.plannedOn === null || r.plannedOn <= w.today;
		if (!counts) continue;
		const o = out.get(r.userId) ?? {};
		o[r.priority] = (o[r.priority] ?? 0) + r.n;
		out.set(r.userId, o);
	}
	return out;
}

export interface NeedOf {
	companyId: number;
	kind: TicketKind;
	priority: TicketPriority;
	lat: number | null;
	lng: number | null;
	plannedOn: string | null;
}

/** The company's technicians ranked for a ticket. */
export function rankFor(w: Workforce, t: NeedOf, open = openOn(w, t.plannedOn)): RankedTechnician[] {
	const need: TicketNeed = {
		kind: t.kind,
		priority: t.priority,
		site: t.lat !== null && t.lng !== null ? { lat: t.lat, lng: t.lng } : null,
		today: w.today
	};
	const techs: Technician[] = [];
	for (const x of w.technicians)
		if (x.companyId === t.companyId)
			techs.push({
				userId: x.userId,
				name: x.name,
				crewId: x.crewId,
				crewName: x.crewName,
				base: x.base,
				skills: x.skills,
				open: open.get(x.userId) ?? {}
			});
	return rankTechnicians(techs, need);
}

const skillName = (w: Workforce, code: string, locale: Locale) => {
	const s = w.skills.get(code);
	return s ? (locale === 'en' ? s.nameEn : s.name) : code;
};

/** "持有困人救援证 · 距离 12 km · 手上 2 张工单", or why they may not take it. */
export function reasonText(w: Workforce, r: RankedTechnician, locale: Locale): string {
	const o = { locale };
	const parts: string[] = [];
	for (const s of r.certified) parts.push(m.svc_reason_cert({ skill: skillName(w, s, locale) }, o));
	for (const p of r.missing) {
		const skill = skillName(w, p.skill, locale);
		parts.push(
			p.problem === 'none'
				? m.svc_reason_missing({ skill }, o)
				: p.problem === 'no_certificate'
					? m.svc_reason_no_cert({ skill }, o)
					: m.svc_reason_expired({ skill, day: p.expiresOn ?? '' }, o)
		);
	}
	parts.push(
		r.distanceKm === null
			? m.svc_reason_km_unknown({}, o)
			: m.svc_reason_km({ km: Math.round(r.distanceKm) }, o)
	);
	parts.push(r.openCount ? m.svc_reason_load({ n: r.openCount }, o) : m.svc_reason_no_load({}, o));
	return parts.join(' · ');
}

/** Why nobody was assigned: no technicians at all, or nobody holds the skill with a valid certificate. */
export function nobodyText(w: Workforce, t: NeedOf, ranked: RankedTechnician[], locale: Locale): string {
	const o = { locale };
	if (ranked.length === 0) return m.svc_nobody_no_technicians({}, o);
	const skills = requiredSkills(t.kind, t.priority).map((s) => skillName(w, s, locale));
	return m.svc_nobody_certified({ skill: skills.join(locale === 'en' ? ', ' : '、') }, o);
}
