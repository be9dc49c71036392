import { eq, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, rows, type Tx } from '../db';
import type { Actor } from '../authz';
import type { Locale } from '../validate';
import { chinaToday } from './order-common';
import type { PhotoMime, PhotoUpload } from './field-photos';
import type { ProgressEntry } from './installation-job';
import {
	afterReport,
	firstOpenStage,
	jobRefusal,
	nextStage,
	overallPercent,
	progressRefusal,
	stagePercents,
	type FieldRefusal,
	type StagePercents
} from '../../domain/installation-progress';
import { INSTALLATION_STAGES, type InstallationStage, type InstallationStatus } from '../../domain/statuses';

/**
 * Applying one judged field report inside the caller's transaction (the job row already locked):
 * the progress row and its photos, the job's stage, status and version, and the units following
 * the job (installing, installed, handed over). Nothing here commits or emits.
 */
const { installationProgress, installationPhotos, installationJobs } = schema;
type JobRow = typeof installationJobs.$inferSelect;

export interface ReportInput {
	action: 'progress' | 'problem';
	stage?: InstallationStage;
	percent?: number;
	note?: string;
	problem?: string;
	occurredAt: number;
	sentAt: number;
	photos: (PhotoUpload & { mime: PhotoMime })[];
	inCrew: boolean;
	crewName: string | null;
}

export type ReportOutcome =
	| { kind: 'refused'; code: FieldRefusal; message: string }
	| {
			kind: 'applied';
			job: JobRow;
			progress: ProgressEntry;
			stages: StagePercents;
			overall: number;
			message: string;
	  };

/** The unit status each job status brings its units to (never back). */
const UNIT_STATUS: Partial<Record<InstallationStatus, string>> = {
	in_progress: 'installing',
	inspection: 'installed',
	handed_over: 'handed_over'
};

export async function applyReport(
	tx: Tx,
	a: Actor,
	job: JobRow,
	r: ReportInput,
	serverNow: Date
): Promise<ReportOutcome> {
	const o = { locale: a.locale };
	const log = await tx
		.select({
			stage: installationProgress.stage,
			percent: installationProgress.percent,
			at: installationProgress.at
		})
		.from(installationProgress)
		.where(eq(installationProgress.jobId, job.id));
	const percents = stagePercents(log);
	// A problem belongs to the stage under way.
	const stage: InstallationStage = r.action === 'progress' ? r.stage! : (nextStage(percents) ?? 'handover');
	const percent = r.action === 'progress' ? r.percent! : percents[stage];
	const code =
		r.action === 'progress'
			? progressRefusal(job, percents, { stage, percent }, r.inCrew)
			: jobRefusal(job, r.inCrew);
	if (code)
		return {
			kind: 'refused',
			code,
			message: refusalMessage(code, job, percents, stage, percent, r.crewName, a.locale)
		};

	const at = reportedAt(r, serverNow, [job.assignedAt, ...log.map((l) => l.at)]);
	const [row] = await tx
		.insert(installationProgress)
		.values({
			jobId: job.id,
			stage,
			percent,
			note: r.note?.trim() || null,
			problem: r.action === 'problem' ? r.problem!.trim() : null,
			reporterId: a.id,
			at
		})
		.returning({ id: installationProgress.id });
	const photoIds: number[] = [];
	for (const p of r.photos) {
		const [ph] = await tx
			.insert(installationPhotos)
			.values({
				companyId: job.companyId,
				jobId: job.id,
				progressId: row.id,
				stage,
				mime: p.mime,
				size: p.bytes.length,
				data: p.bytes,
				uploadedBy: a.id,
				at
			})
			.returning({ id: installationPhotos.id });
		photoIds.push(ph.id);
	}
	const next =
		r.action === 'progress'
			? afterReport(job, percents, { stage, percent })
			: { status: job.status, currentStage: job.currentStage };
	const [updated] = await tx
		.update(installationJobs)
		.set({
			status: next.status,
			currentStage: next.currentStage,
			version: sql`${installationJobs.version} + 1`,
			updatedAt: sql`now()`
		})
		.where(eq(installationJobs.id, job.id))
		.returning();
	if (next.status !== job.status) await unitsFollow(tx, job.id, next.status);
	const stages = { ...percents, [stage]: percent };
	const progress: ProgressEntry = {
		id: row.id,
		stage,
		percent,
		note: r.note?.trim() || null,
		problem: r.action === 'problem' ? r.problem!.trim() : null,
		reporterId: a.id,
		reporterName: a.displayName,
		at: at.toISOString(),
		photoIds
	};
	const stageName = m[`stage_${stage}`]({}, o);
	const message =
		r.action === 'problem'
			? m.fld_applied_problem({ number: job.number }, o)
			: m.fld_applied_progress({ number: job.number, stage: stageName, percent }, o);
	return { kind: 'applied', job: updated, progress, stages, overall: overallPercent(stages), message };
}

/**
 * The report's time on the server's clock: the phone's time of the report moved by how far its
 * clock is off (server now − its send time), never before the job's last report or assignment
 * and never in the future. A report queued offline keeps its real time.
 */
function reportedAt(r: ReportInput, serverNow: Date, floors: (Date | string | null)[]): Date {
	const floor = Math.max(0, ...floors.map((t) => (t ? new Date(t).getTime() : 0)));
	const corrected = r.occurredAt + (serverNow.getTime() - r.sentAt);
	return new Date(Math.min(serverNow.getTime(), Math.max(floor, corrected)));
}

/** The job's units move forward with it (a unit already further along stays where it is). */
async function unitsFollow(tx: Tx, jobId: number, status: InstallationStatus) {
	const to = UNIT_STATUS[status];
	if (!to) return;
	const order = sql.raw(
		`array['planned','in_production','produced','shipped','installing','installed','handed_over','in_service']`
	);
	await rows(
		tx,
		sql`update units set status = ${to}, version = version + 1, updated_at = now(),
				handed_over_on = case when ${to} = 'handed_over' then ${chinaToday()}::date else handed_over_on end
			where id in (select unit_id from installation_job_units where job_id = ${jobId})
				and array_position(${order}, status) < array_position(${order}, ${to}::text)`
	);
}

function refusalMessage(
	code: FieldRefusal,
	job: JobRow,
	percents: StagePercents,
	stage: InstallationStage,
	percent: number,
	crew: string | null,
	locale: Locale
): string {
	const o = { locale };
	const stageName = (s: InstallationStage) => m[`stage_${s}`]({}, o);
	const number = job.number;
	switch (code) {
		case 'closed':
			return m.fld_refused_closed({ number, status: m[`inst_${job.status}`]({}, o) }, o);
		case 'not_assigned':
			return m.fld_refused_not_assigned({ number }, o);
		case 'not_in_crew':
			return m.fld_refused_not_in_crew({ number, crew: crew ?? '—' }, o);
		case 'previous_not_done': {
			const open = firstOpenStage(percents, stage) ?? INSTALLATION_STAGES[0];
			return m.fld_refused_previous(
				{ stage: stageName(stage), previous: stageName(open), percent: percents[open] },
				o
			);
		}
		case 'stage_done':
			return m.fld_refused_stage_done({ stage: stageName(stage), number }, o);
		case 'backwards':
			return m.fld_refused_backwards({ stage: stageName(stage), current: percents[stage], percent }, o);
		default:
			return m.fld_refused_not_found({}, o);
	}
}
