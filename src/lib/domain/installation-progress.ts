import { INSTALLATION_STAGES, type InstallationStage, type InstallationStatus } from './statuses';

/**
 * The rules of an installer's stage report, pure so the server judges with them and the phone
 * shows a queued report the same way before the server has answered.
 *
 * - Stages run in order (survey → … → handover): a stage may be reported only once every earlier
 *   stage is at 100 %. A stage never passes 100 % and never goes back; at 100 % it is closed.
 * - Only the job's crew reports, and only on an open job (assigned, in progress, inspection).
 * - The first report moves an assigned job to in progress; once commissioning is finished the
 *   job waits for (and goes through) the inspection body's visit: inspection; handover at 100 %
 *   hands it over. The job's current stage is the one under way.
 */

export type StagePercents = Record<InstallationStage, number>;

export type FieldRefusal =
	'not_found' | 'closed' | 'not_assigned' | 'not_in_crew' | 'previous_not_done' | 'stage_done' | 'backwards';

export interface ReportJob {
	status: InstallationStatus;
	currentStage: InstallationStage | null;
	crewId: number | null;
}

export interface StageReport {
	stage: InstallationStage;
	percent: number;
}

const OPEN: readonly InstallationStatus[] = ['assigned', 'in_progress', 'inspection'];
const INDEX = new Map(INSTALLATION_STAGES.map((s, i) => [s, i]));
export const stageIndex = (s: InstallationStage): number => INDEX.get(s) ?? -1;

/** Each stage's percent from the progress log: the highest reported (reports never go back). */
export function stagePercents(
	entries: readonly { stage: InstallationStage; percent: number }[]
): StagePercents {
	const out = Object.fromEntries(INSTALLATION_STAGES.map((s) => [s, 0])) as StagePercents;
	for (const e of entries) if (INDEX.has(e.stage)) out[e.stage] = Math.max(out[e.stage], e.percent);
	return out;
}

/** The whole job's progress: every stage weighs the same. */
export function overallPercent(p: StagePercents): number {
	const sum = INSTALLATION_STAGES.reduce((n, s) => n + p[s], 0);
	return Math.round(sum / INSTALLATION_STAGES.length);
}

/** Why someone may not report on the job at all (problems and stage reports alike), or null. */
export function jobRefusal(job: ReportJob, inCrew: boolean): FieldRefusal | null {
	if (job.status === 'handed_over' || job.status === 'cancelled') return 'closed';
	if (!OPEN.includes(job.status) || job.crewId === null) return 'not_assigned';
	if (!inCrew) return 'not_in_crew';
	return null;
}

/** Why this stage report would be refused, or null when it applies. */
export function progressRefusal(
	job: ReportJob,
	percents: StagePercents,
	r: StageReport,
	inCrew: boolean
): FieldRefusal | null {
	const j = jobRefusal(job, inCrew);
	if (j) return j;
	const i = stageIndex(r.stage);
	for (let k = 0; k < i; k++) if (percents[INSTALLATION_STAGES[k]] < 100) return 'previous_not_done';
	if (percents[r.stage] >= 100) return 'stage_done';
	if (r.percent < percents[r.stage]) return 'backwards';
	return null;
}

/** The first earlier stage that is not finished (what a 'previous_not_done' refusal names). */
export function firstOpenStage(percents: StagePercents, before: InstallationStage): InstallationStage | null {
	const i = stageIndex(before);
	for (let k = 0; k < i; k++) if (percents[INSTALLATION_STAGES[k]] < 100) return INSTALLATION_STAGES[k];
	return null;
}

/**
 * The job's status and current stage once an accepted report is applied: the current stage is
 * the one under way (the first not finished; handover once all are), so finishing commissioning
 * brings the job to inspection.
 */
export function afterReport(
	job: Pick<ReportJob, 'status'>,
	percents: StagePercents,
	r: StageReport
): { status: InstallationStatus; currentStage: InstallationStage } {
	const after = { ...percents, [r.stage]: Math.max(percents[r.stage], r.percent) };
	const current = nextStage(after) ?? 'handover';
	let status: InstallationStatus = job.status === 'assigned' ? 'in_progress' : job.status;
	if (stageIndex(current) >= stageIndex('inspection')) status = 'inspection';
	if (r.stage === 'handover' && r.percent >= 100) status = 'handed_over';
	return { status, currentStage: current };
}

/** The stages as they will be once queued reports apply; a report the server would refuse changes nothing. */
export function projectPercents(
	job: ReportJob,
	percents: StagePercents,
	queued: readonly StageReport[]
): { job: ReportJob; percents: StagePercents } {
	let j = job;
	const p = { ...percents };
	for (const q of queued) {
		if (progressRefusal(j, p, q, true)) continue;
		j = { ...j, ...afterReport(j, p, q) };
		p[q.stage] = q.percent;
	}
	return { job: j, percents: p };
}

/** The stage an installer most likely reports next: the first one not finished. */
export function nextStage(percents: StagePercents): InstallationStage | null {
	return INSTALLATION_STAGES.find((s) => percents[s] < 100) ?? null;
}
