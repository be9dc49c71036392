import { sql } from 'drizzle-orm';
import type { Conn } from '../db';
import type { CrewInfo } from '../../domain/dispatch';
import { jsonRows } from './schedule-data';

/** Job statuses that hold a crew's place on the days of the job. */
export const BOOKING_STATUSES = ['assigned', 'in_progress', 'inspection'] as const;
const BOOKED = sql.raw(`(${BOOKING_STATUSES.map((s) => `'${s}'`).join(', ')})`);

/**
 * The crews of a company as the dispatch rules see them: base, capacity, every member's
 * certificates and the sites booked from `from` on (one query each, shaped in SQL as JSON).
 * `crewIds` narrows it (an assignment reads one crew inside its transaction).
 */
export async function loadCrews(
	conn: Conn,
	companyId: number,
	from: string,
	crewIds?: readonly number[]
): Promise<CrewInfo[]> {
	const only = crewIds ? sql`and c.id = any(${`{${crewIds.join(',')}}`}::int[])` : sql``;
	return jsonRows<CrewInfo>(
		conn,
		sql`select c.id, c.name, c.base_city as "baseCity",
				json_build_object('lat', c.base_lat, 'lng', c.base_lng) as base,
				c.capacity, c.active = 1 as active,
				coalesce((select json_agg(json_build_object('skill', s.code, 'certificateNo', ts.certificate_no,
						'expiresOn', ts.certificate_expires_on))
					from crew_members cm
					join technician_skills ts on ts.user_id = cm.user_id
					join skills s on s.id = ts.skill_id
					where cm.crew_id = c.id), '[]') as certificates,
				coalesce((select json_agg(json_build_object('jobId', j.id, 'start', j.planned_start, 'end', j.planned_end)
						order by j.planned_start)
					from installation_jobs j
					where j.crew_id = c.id and j.status in ${BOOKED}
						and j.planned_start is not null and j.planned_end >= ${from}), '[]') as bookings
			from crews c
			where c.company_id = ${companyId} ${only}
			order by c.id`
	);
}

export interface JobFacts {
	id: number;
	companyId: number;
	number: string;
	status: string;
	priority: string;
	crewId: number | null;
	plannedStart: string | null;
	plannedEnd: string | null;
	lat: number | null;
	lng: number | null;
	city: string;
	version: number;
	modelKinds: string[];
}

/** A job with its site's coordinates as fallback and the kinds of elevator it installs. */
export async function loadJob(conn: Conn, jobId: number): Promise<JobFacts | undefined> {
	const [job] = await jsonRows<JobFacts>(
		conn,
		sql`select j.id, j.company_id as "companyId", j.number, j.status, j.priority, j.crew_id as "crewId",
				j.planned_start as "plannedStart", j.planned_end as "plannedEnd",
				coalesce(j.lat, s.lat) as lat, coalesce(j.lng, s.lng) as lng, s.city, j.version,
				coalesce((select json_agg(distinct m.kind) from installation_job_units ju
					join units u on u.id = ju.unit_id join elevator_models m on m.id = u.model_id
					where ju.job_id = j.id), '[]') as "modelKinds"
			from installation_jobs j join sites s on s.id = j.site_id
			where j.id = ${jobId}`
	);
	return job;
}

/** Skill codes to names in the user's language. */
export async function skillNames(conn: Conn, locale: string): Promise<Map<string, string>> {
	const rows = await jsonRows<{ code: string; name: string; nameEn: string }>(
		conn,
		sql`select code, name, name_en as "nameEn" from skills`
	);
	return new Map(rows.map((r) => [r.code, locale === 'en' ? r.nameEn : r.name]));
}
