import { sql } from 'drizzle-orm';
import { authorize } from '../authz';
import { currentCursor } from '../realtime/stream';
import { jsonRows } from './schedule-data';
import { chinaToday } from './order-common';
import { crewOfUser } from './installation-job';
import { overallPercent, stagePercents, type StagePercents } from '../../domain/installation-progress';
import type { InstallationStage, InstallationStatus, Priority } from '../../domain/statuses';
import type { Ctx } from './context';

/**
 * The installer's phone list: the open jobs of their crew (crew_members), those on site now
 * and those coming, with what a person on the road needs: where, what, when, how far along.
 */

/** Job statuses an installer works on; the same ones that book a crew (dispatch-data.ts). */
const OPEN = sql.raw(`('assigned', 'in_progress', 'inspection')`);
/** A phone list stays short; a crew with more open jobs than this is told there are more. */
const LIMIT = 200;

export interface FieldJob {
	id: number;
	number: string;
	status: InstallationStatus;
	priority: Priority;
	currentStage: InstallationStage | null;
	plannedStart: string | null;
	plannedEnd: string | null;
	lat: number | null;
	lng: number | null;
	siteName: string;
	city: string;
	district: string | null;
	address: string;
	units: string[];
	/** The latest problem reported on the job's current stage, if any. */
	problem: string | null;
	version: number;
	stages: StagePercents;
	overall: number;
}

export interface FieldJobs {
	today: string;
	crew: { id: number; name: string } | null;
	jobs: FieldJob[];
	more: boolean;
	cursor: string;
	serverNow: number;
}

type Row = Omit<FieldJob, 'stages' | 'overall'> & {
	progress: { stage: InstallationStage; percent: number }[];
};

export async function fieldJobs({ db, actor }: Ctx): Promise<FieldJobs> {
	const a = authorize(actor, 'installation.report');
	const cursor = await currentCursor(db);
	const today = chinaToday();
	const crewId = await crewOfUser(db, a.id);
	if (crewId === null) return { today, crew: null, jobs: [], more: false, cursor, serverNow: Date.now() };
	const [[crew], found] = await Promise.all([
		jsonRows<{ id: number; name: string }>(db, sql`select id, name from crews where id = ${crewId}`),
		jsonRows<Row>(
			db,
			sql`select j.id, j.number, j.status, j.priority, j.current_stage as "currentStage",
					j.planned_start as "plannedStart", j.planned_end as "plannedEnd",
					coalesce(j.lat, s.lat) as lat, coalesce(j.lng, s.lng) as lng,
					s.name as "siteName", s.city, s.district, s.address, j.version,
					coalesce((select json_agg(u.serial_no order by u.serial_no) from installation_job_units ju
						join units u on u.id = ju.unit_id where ju.job_id = j.id), '[]') as units,
					coalesce((select json_agg(json_build_object('stage', p.stage, 'percent', p.percent))
						from installation_progress p where p.job_id = j.id), '[]') as progress,
					(select p.problem from installation_progress p where p.job_id = j.id and p.stage = j.current_stage
						and p.problem is not null order by p.at desc, p.id desc limit 1) as problem
				from installation_jobs j join sites s on s.id = j.site_id
				where j.crew_id = ${crewId} and j.status in ${OPEN}
					and j.company_id = any(${`{${a.companyIds.join(',')}}`}::int[])
				order by (j.planned_start is null or j.planned_start > ${today}), (j.priority = 'urgent') desc,
					case when j.planned_start <= ${today} then j.planned_end end, j.planned_start, j.id
				limit ${LIMIT + 1}`
		)
	]);
	const jobs = found.slice(0, LIMIT).map(({ progress, ...j }) => {
		const stages = stagePercents(progress);
		return { ...j, stages, overall: overallPercent(stages) };
	});
	return { today, crew: crew ?? null, jobs, more: found.length > LIMIT, cursor, serverNow: Date.now() };
}
