import { aliasedTable, asc, eq, inArray } from 'drizzle-orm';
import { schema, type Db } from '../db';
import {
	chinaMoment,
	iso,
	kindOfStage,
	type InstallationEntry,
	type LifeEntry,
	type Photo
} from './unit-history-entries';
import { eventsOf, str, type Payload, type UnitRef } from './unit-history-rows';

const { users, crews, installationJobs, installationJobUnits, installationProgress, installationPhotos } =
	schema;

/** Job events worth a line; progress and photos come from their own tables. */
const JOB_EVENTS = [
	'installation_job.assigned',
	'installation_job.unassigned',
	'installation_job.change_flagged'
];

function installation(
	key: string,
	at: string,
	what: InstallationEntry['what'],
	over: Partial<InstallationEntry>
): InstallationEntry {
	return {
		key,
		source: 'installation',
		kind: 'installation',
		at,
		day: null,
		actor: null,
		what,
		job: null,
		crew: null,
		reason: null,
		stage: null,
		percent: null,
		note: null,
		problem: null,
		photos: [],
		plannedStart: null,
		plannedEnd: null,
		...over
	};
}

/** The installation job (one per site, covering this unit): assignment, stage reports with photos, handover. */
export async function installationEntries(db: Db, ref: UnitRef, hasHandoverEvent: boolean) {
	const jobs = await db
		.select({ job: installationJobs, crew: crews.name })
		.from(installationJobUnits)
		.innerJoin(installationJobs, eq(installationJobs.id, installationJobUnits.jobId))
		.leftJoin(crews, eq(crews.id, installationJobs.crewId))
		.where(eq(installationJobUnits.unitId, ref.unitId));
	const ids = jobs.map((j) => j.job.id);
	const reporter = aliasedTable(users, 'reporter');
	const [progress, photos, jobEvents] = await Promise.all([
		ids.length
			? db
					.select({ p: installationProgress, reporter: reporter.displayName })
					.from(installationProgress)
					.leftJoin(reporter, eq(reporter.id, installationProgress.reporterId))
					.where(inArray(installationProgress.jobId, ids))
					.orderBy(asc(installationProgress.at), asc(installationProgress.id))
			: [],
		// Never the bytes: the page shows thumbnails from the photo endpoint.
		ids.length
			? db
					.select({
						id: installationPhotos.id,
						jobId: installationPhotos.jobId,
						progressId: installationPhotos.progressId,
						stage: installationPhotos.stage,
						mime: installationPhotos.mime,
						size: installationPhotos.size,
						at: installationPhotos.at,
						uploadedBy: users.displayName
					})
					.from(installationPhotos)
					.leftJoin(users, eq(users.id, installationPhotos.uploadedBy))
					.where(inArray(installationPhotos.jobId, ids))
					.orderBy(asc(installationPhotos.at), asc(installationPhotos.id))
			: [],
		eventsOf(db, 'installation_job', ids, { only: JOB_EVENTS })
	]);
	const photo = (p: (typeof photos)[number]): Photo => ({ id: p.id, mime: p.mime, size: p.size });
	const out: LifeEntry[] = [];
	for (const { job: j, crew } of jobs) {
		const job = { id: j.id, number: j.number, status: j.status };
		const mine = jobEvents.filter((e) => e.entityId === j.id);
		const assignedEvent = mine.some((e) => e.type === 'installation_job.assigned');
		// Jobs assigned before events were kept (the demo's) carry their crew on the first line.
		const crewOnCreate = !assignedEvent && !j.assignedAt ? crew : null;
		out.push(
			installation(`job-${j.id}-c`, iso(j.createdAt)!, 'job_created', {
				job,
				crew: crewOnCreate,
				reason: crewOnCreate ? j.assignmentReason : null,
				plannedStart: j.plannedStart,
				plannedEnd: j.plannedEnd
			})
		);
		if (!assignedEvent && j.assignedAt && j.crewId)
			out.push(
				installation(`job-${j.id}-a`, iso(j.assignedAt)!, 'job_assigned', {
					job,
					crew,
					reason: j.assignmentReason
				})
			);
		for (const e of mine) {
			const p = (e.payload ?? {}) as Payload;
			const what =
				e.type === 'installation_job.assigned'
					? 'job_assigned'
					: e.type === 'installation_job.unassigned'
						? 'job_unassigned'
						: 'job_flagged';
			out.push(
				installation(`ev-${e.id}`, iso(e.at)!, what, {
					job,
					actor: e.actor,
					crew: str(p.crewName),
					reason: str(p.assignmentReason) ?? str(p.changeFlag) ?? str(p.flag),
					plannedStart: str(p.plannedStart),
					plannedEnd: str(p.plannedEnd)
				})
			);
		}
		for (const { p, reporter: who } of progress)
			if (p.jobId === j.id)
				out.push(
					installation(`prog-${p.id}`, iso(p.at)!, 'progress', {
						kind: kindOfStage(p.stage),
						job,
						actor: who,
						stage: p.stage,
						percent: p.percent,
						note: p.note,
						problem: p.problem,
						photos: photos.filter((f) => f.progressId === p.id).map(photo)
					})
				);
		for (const f of photos)
			if (f.jobId === j.id && f.progressId === null)
				out.push(
					installation(`photo-${f.id}`, iso(f.at)!, 'photo', {
						kind: kindOfStage(f.stage),
						job,
						actor: f.uploadedBy,
						stage: f.stage,
						photos: [photo(f)]
					})
				);
	}
	if (ref.handedOverOn && !hasHandoverEvent)
		out.push(
			installation('handover', chinaMoment(ref.handedOverOn, 23), 'handed_over', {
				kind: 'handover',
				day: ref.handedOverOn,
				job: jobs[0] ? { id: jobs[0].job.id, number: jobs[0].job.number, status: jobs[0].job.status } : null
			})
		);
	return { entries: out, jobIds: ids };
}
