import { sql } from 'drizzle-orm';
import { assertInScope, authorize, can, type Actor } from '../authz';
import { parseId } from '../validate';
import { currentCursor } from '../realtime/stream';
import { jsonRows } from './schedule-data';
import {
	jobRefusal,
	overallPercent,
	stagePercents,
	type StagePercents
} from '../../domain/installation-progress';
import type { InstallationStage, InstallationStatus, Priority } from '../../domain/statuses';
import type { Conn } from '../db';
import type { Ctx } from './context';

/**
 * One installation job as its pages show it: the office job page (/installation/:id), the
 * installer's phone (/field/:id) and GET /api/v1/installation-jobs/:id. Facts, site, crew,
 * units, the stage progress log with its photos (ids only: the bytes are served apart), and
 * whether the reader may report on it.
 */

export interface ProgressEntry {
	id: number;
	stage: InstallationStage;
	percent: number;
	note: string | null;
	problem: string | null;
	reporterId: number | null;
	reporterName: string | null;
	at: string;
	photoIds: number[];
}

export interface JobDetail {
	id: number;
	companyId: number;
	companyCode: string;
	number: string;
	status: InstallationStatus;
	priority: Priority;
	currentStage: InstallationStage | null;
	plannedStart: string | null;
	plannedEnd: string | null;
	lat: number | null;
	lng: number | null;
	changeFlag: string | null;
	assignmentReason: string | null;
	assignedAt: string | null;
	assignedByName: string | null;
	version: number;
	order: { id: number; number: string };
	site: {
		id: number;
		name: string;
		province: string;
		city: string;
		district: string | null;
		address: string;
	};
	crew: {
		id: number;
		name: string;
		baseCity: string;
		members: { id: number; name: string; phone: string | null }[];
	} | null;
	units: {
		id: number;
		serialNo: string;
		status: string;
		modelCode: string;
		modelName: string;
		modelNameEn: string;
	}[];
	progress: ProgressEntry[];
}

/** The job with everything its pages show, or undefined; no scope check (callers do it). */
export async function loadJobDetail(conn: Conn, jobId: number): Promise<JobDetail | undefined> {
	const [job] = await jsonRows<JobDetail>(
		conn,
		sql`select j.id, j.company_id as "companyId", co.code as "companyCode", j.number, j.status, j.priority,
				j.current_stage as "currentStage", j.planned_start as "plannedStart", j.planned_end as "plannedEnd",
				coalesce(j.lat, s.lat) as lat, coalesce(j.lng, s.lng) as lng, j.change_flag as "changeFlag",
				j.assignment_reason as "assignmentReason", j.assigned_at as "assignedAt", ab.display_name as "assignedByName",
				j.version,
				json_build_object('id', o.id, 'number', o.number) as order,
				json_build_object('id', s.id, 'name', s.name, 'province', s.province, 'city', s.city,
					'district', s.district, 'address', s.address) as site,
				case when c.id is null then null else json_build_object('id', c.id, 'name', c.name, 'baseCity', c.base_city,
					'members', coalesce((select json_agg(json_build_object('id', u.id, 'name', u.display_name, 'phone', u.phone)
						order by u.id) from crew_members cm join users u on u.id = cm.user_id where cm.crew_id = c.id), '[]'))
				end as crew,
				coalesce((select json_agg(json_build_object('id', u.id, 'serialNo', u.serial_no, 'status', u.status,
						'modelCode', m.code, 'modelName', m.name, 'modelNameEn', m.name_en) order by u.serial_no)
					from installation_job_units ju join units u on u.id = ju.unit_id
					join elevator_models m on m.id = u.model_id where ju.job_id = j.id), '[]') as units,
				coalesce((select json_agg(json_build_object('id', p.id, 'stage', p.stage, 'percent', p.percent,
						'note', p.note, 'problem', p.problem, 'reporterId', p.reporter_id, 'reporterName', r.display_name,
						'at', p.at, 'photoIds', coalesce((select json_agg(ph.id order by ph.id) from installation_photos ph
							where ph.progress_id = p.id), '[]')) order by p.at desc, p.id desc)
					from installation_progress p left join users r on r.id = p.reporter_id where p.job_id = j.id), '[]') as progress
			from installation_jobs j
			join sites s on s.id = j.site_id
			join orders o on o.id = j.order_id
			join companies co on co.id = j.company_id
			left join crews c on c.id = j.crew_id
			left join users ab on ab.id = j.assigned_by
			where j.id = ${jobId}`
	);
	return job;
}

/** Is the user in the crew (crew_members: a technician belongs to at most one crew)? */
export async function crewOfUser(conn: Conn, userId: number): Promise<number | null> {
	const [r] = await jsonRows<{ crewId: number }>(
		conn,
		sql`select crew_id as "crewId" from crew_members where user_id = ${userId}`
	);
	return r?.crewId ?? null;
}

export interface JobView extends JobDetail {
	stages: StagePercents;
	overall: number;
	/** The reader is in the job's crew and may report on it now. */
	mayReport: boolean;
	/** The reader's crew (null when not in one). */
	myCrewId: number | null;
	cursor: string;
}

function view(a: Actor, job: JobDetail, myCrewId: number | null, cursor: string): JobView {
	const stages = stagePercents(job.progress);
	const inCrew = myCrewId !== null && myCrewId === job.crew?.id;
	const mayReport =
		can(a, 'installation.report') &&
		jobRefusal(job.crew ? { ...job, crewId: job.crew.id } : { ...job, crewId: null }, inCrew) === null;
	return { ...job, stages, overall: overallPercent(stages), mayReport, myCrewId, cursor };
}

/** GET one job for a page or the API; out of scope reads as not found. */
export async function installationJob({ db, actor }: Ctx, rawId: unknown): Promise<JobView> {
	const a = authorize(actor, 'installation.read');
	const id = parseId(rawId, a.locale);
	// The cursor first: whatever commits after it reaches the page as a live event.
	const cursor = await currentCursor(db);
	const [job, myCrewId] = await Promise.all([loadJobDetail(db, id), crewOfUser(db, a.id)]);
	return view(a, assertInScope(a, job), myCrewId, cursor);
}
