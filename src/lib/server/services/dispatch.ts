import { z } from 'zod';
import { eq, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Tx } from '../db';
import { assertInScope, authorize, type Actor } from '../authz';
import { parseId, parseInput } from '../validate';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import type { NewEvent } from '../events/append';
import { addDays, isDay } from '../../domain/days';
import {
	rankCrews,
	refusalFor,
	requiredSkills,
	type JobNeed,
	type Refusal,
	type Suggestion
} from '../../domain/dispatch';
import { chinaToday } from './order-common';
import { loadCrews, loadJob, skillNames, type JobFacts } from './dispatch-data';
import type { Ctx } from './context';

const { installationJobs, crews } = schema;

/**
 * The dispatcher's commands on installation jobs: the ranked crews for a job, assigning a crew
 * and taking it back. An assignment locks the job (its version is the one the dispatcher saw)
 * and then the crew row, so two dispatchers booking the same crew at the same moment are served
 * one after the other and the second sees the first's booking: a double booking is refused,
 * never written.
 */

const CLOSED = new Set(['handed_over', 'cancelled']);
const version = z.number().int().min(1).max(2_147_483_647);

const assignInput = (locale: Actor['locale']) => {
	const day = z.string().refine(isDay, { message: m.disp_bad_day({}, { locale }) });
	return z
		.object({
			crewId: z.number().int().min(1).max(2_147_483_647),
			version,
			plannedStart: day.optional(),
			plannedEnd: day.optional()
		})
		.strict()
		.refine((p) => (p.plannedStart === undefined) === (p.plannedEnd === undefined), {
			path: ['plannedEnd'],
			message: m.disp_dates_both({}, { locale })
		})
		.refine((p) => !p.plannedStart || !p.plannedEnd || p.plannedEnd >= p.plannedStart, {
			path: ['plannedEnd'],
			message: m.disp_end_before_start({}, { locale })
		});
};

function needOf(a: Actor, job: JobFacts, dates?: { start: string; end: string }): JobNeed {
	const start = dates?.start ?? job.plannedStart;
	const end = dates?.end ?? job.plannedEnd;
	if (!start || !end)
		throw new ValidationError(m.disp_no_dates({ number: job.number }, { locale: a.locale }));
	if (job.lat === null || job.lng === null)
		throw new ValidationError(m.disp_no_location({ number: job.number }, { locale: a.locale }));
	return {
		id: job.id,
		at: { lat: job.lat, lng: job.lng },
		start,
		end,
		skills: requiredSkills(job.modelKinds)
	};
}

const list = (codes: readonly string[], names: Map<string, string>, locale: Actor['locale']) =>
	codes.map((c) => names.get(c) ?? c).join(locale === 'en' ? ', ' : '、');

export function refusalText(a: Actor, crew: string, r: Refusal, names: Map<string, string>): string {
	const locale = a.locale;
	if (r.code === 'inactive') return m.disp_refused_inactive({ crew }, { locale });
	if (r.code === 'uncertified')
		return m.disp_refused_uncertified({ crew, skills: list(r.missing, names, locale) }, { locale });
	return m.disp_refused_full({ crew, day: r.day, capacity: r.capacity }, { locale });
}

/** The reasons shown beside a suggestion, in the dispatcher's language. */
function reasonsOf(a: Actor, s: Suggestion, job: JobNeed, names: Map<string, string>): string[] {
	const locale = a.locale;
	const out: string[] = [];
	if (s.refusal) out.push(refusalText(a, s.crew.name, s.refusal, names));
	else out.push(m.disp_reason_certified({ skills: list(job.skills, names, locale) }, { locale }));
	if (s.expiringSoon.length)
		out.push(m.disp_reason_expiring({ skills: list(s.expiringSoon, names, locale) }, { locale }));
	out.push(m.disp_reason_distance({ km: Math.round(s.distanceKm), city: s.crew.baseCity }, { locale }));
	out.push(m.disp_reason_load({ peak: s.peak, capacity: s.crew.capacity }, { locale }));
	return out;
}

export interface CrewSuggestion {
	crewId: number;
	name: string;
	baseCity: string;
	eligible: boolean;
	score: number;
	distanceKm: number;
	peak: number;
	capacity: number;
	missing: string[];
	reasons: string[];
}

async function jobInScope(conn: Tx | Ctx['db'], a: Actor, jobId: number): Promise<JobFacts> {
	return assertInScope(a, await loadJob(conn, jobId));
}

/** The company's crews ranked for a job: eligible first, then by distance and free capacity. */
export async function suggestCrews({ db, actor }: Ctx, rawId: unknown) {
	const a = authorize(actor, 'installation.read');
	const job = await jobInScope(db, a, parseId(rawId, a.locale));
	const need = needOf(a, job);
	const [crewList, names] = await Promise.all([
		loadCrews(db, job.companyId, need.start),
		skillNames(db, a.locale)
	]);
	const suggestions: CrewSuggestion[] = rankCrews(need, crewList).map((s) => ({
		crewId: s.crew.id,
		name: s.crew.name,
		baseCity: s.crew.baseCity,
		eligible: s.eligible,
		score: s.score,
		distanceKm: s.distanceKm,
		peak: s.peak,
		capacity: s.crew.capacity,
		missing: s.missing,
		reasons: reasonsOf(a, s, need, names)
	}));
	return { job: { ...job, skills: need.skills }, suggestions };
}

/** What an installation job event carries: its whole dispatch state, so any screen can apply it. */
export function jobState(row: typeof installationJobs.$inferSelect, crewName: string | null) {
	return {
		number: row.number,
		status: row.status,
		priority: row.priority,
		crewId: row.crewId,
		crewName,
		plannedStart: row.plannedStart,
		plannedEnd: row.plannedEnd,
		currentStage: row.currentStage,
		lat: row.lat,
		lng: row.lng,
		assignmentReason: row.assignmentReason,
		version: row.version
	};
}

/** The event every change of an installation job publishes: its whole dispatch state, plus `extra`. */
export function jobEvent(
	row: typeof installationJobs.$inferSelect,
	crewName: string | null,
	type: string,
	actorId: number,
	extra: Record<string, unknown> = {}
): NewEvent {
	return {
		companyId: row.companyId,
		topic: 'installation',
		entity: 'installation_job',
		entityId: row.id,
		entityVersion: row.version,
		type,
		payload: { ...jobState(row, crewName), ...extra },
		actorId
	};
}

/** Locks the job and checks the version the dispatcher saw and that it is still open. */
async function lockJob(tx: Tx, a: Actor, jobId: number, seen: number) {
	const [row] = await tx.select().from(installationJobs).where(eq(installationJobs.id, jobId)).for('update');
	assertInScope(a, row);
	if (row.version !== seen) throw new ConflictError('stale version', row);
	if (CLOSED.has(row.status))
		throw new ValidationError(m.disp_job_closed({ number: row.number }, { locale: a.locale }));
	return row;
}

export async function assignJob({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'installation.dispatch');
	const jobId = parseId(rawId, a.locale);
	const p = parseInput(assignInput(a.locale), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		await lockJob(tx, a, jobId, p.version);
		const job = (await loadJob(tx, jobId))!;
		const need = needOf(a, job, p.plannedStart ? { start: p.plannedStart, end: p.plannedEnd! } : undefined);
		// The crew row is the lock every booking of this crew queues on.
		const [crewRow] = await tx.select().from(crews).where(eq(crews.id, p.crewId)).for('update');
		if (!crewRow || crewRow.companyId !== job.companyId)
			throw new ValidationError(m.disp_crew_unknown({}, { locale: a.locale }), [
				{ path: 'crewId', message: m.disp_crew_unknown({}, { locale: a.locale }) }
			]);
		const [crew] = await loadCrews(tx, job.companyId, need.start, [crewRow.id]);
		const names = await skillNames(tx, a.locale);
		const refusal = refusalFor(need, crew);
		if (refusal) {
			const message = refusalText(a, crew.name, refusal, names);
			throw new ValidationError(message, [{ path: 'crewId', message }]);
		}
		const [ranked] = rankCrews(need, [crew]);
		const reason = reasonsOf(a, ranked, need, names).join(' · ');
		const [updated] = await tx
			.update(installationJobs)
			.set({
				crewId: crew.id,
				status: job.status === 'unassigned' ? 'assigned' : (job.status as 'assigned'),
				plannedStart: need.start,
				plannedEnd: need.end,
				assignmentReason: reason,
				assignedBy: a.id,
				assignedAt: sql`now()`,
				version: sql`${installationJobs.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(installationJobs.id, jobId))
			.returning();
		await emit(
			jobEvent(updated, crew.name, 'installation_job.assigned', a.id, { previousCrewId: job.crewId })
		);
		return { job: jobState(updated, crew.name), id: updated.id };
	});
}

/** Takes a crew off a job that has not started yet. */
export async function unassignJob({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'installation.dispatch');
	const jobId = parseId(rawId, a.locale);
	const p = parseInput(z.object({ version }).strict(), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const row = await lockJob(tx, a, jobId, p.version);
		if (row.status === 'unassigned')
			throw new ValidationError(m.disp_not_assigned({ number: row.number }, { locale: a.locale }));
		if (row.status !== 'assigned')
			throw new ValidationError(m.disp_unassign_started({ number: row.number }, { locale: a.locale }));
		const [updated] = await tx
			.update(installationJobs)
			.set({
				crewId: null,
				status: 'unassigned',
				assignmentReason: null,
				assignedBy: null,
				assignedAt: null,
				version: sql`${installationJobs.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(installationJobs.id, jobId))
			.returning();
		await emit(jobEvent(updated, null, 'installation_job.unassigned', a.id, { previousCrewId: row.crewId }));
		return { job: jobState(updated, null), id: updated.id };
	});
}

const timelineInput = z
	.object({
		from: z.string().refine(isDay).optional(),
		days: z.coerce.number().int().min(1).max(92).default(14),
		companyId: z.coerce.number().int().min(1).max(2_147_483_647).optional()
	})
	.strict();

/** Every crew in scope with its bookings and load per day over a window (the dispatcher's timeline). */
export async function crewTimeline({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'installation.read');
	const q = parseInput(timelineInput, input, a.locale);
	const from = q.from ?? chinaToday();
	const to = addDays(from, q.days - 1);
	const companyIds = q.companyId !== undefined ? [q.companyId] : a.companyIds;
	if (q.companyId !== undefined && !a.companyIds.includes(q.companyId)) throw new NotFoundError();
	const out = [];
	for (const companyId of companyIds) {
		const rows = await loadCrews(db, companyId, from);
		const jobs = await db
			.select({
				id: installationJobs.id,
				number: installationJobs.number,
				status: installationJobs.status,
				priority: installationJobs.priority
			})
			.from(installationJobs)
			.where(
				sql`${installationJobs.id} = any(${`{${rows.flatMap((c) => c.bookings.map((b) => b.jobId)).join(',')}}`}::int[])`
			);
		const byId = new Map(jobs.map((j) => [j.id, j]));
		for (const c of rows) {
			const bookings = c.bookings.filter((b) => b.start <= to).map((b) => ({ ...b, ...byId.get(b.jobId)! }));
			const load: number[] = [];
			for (let d = 0; d < q.days; d++) {
				const day = addDays(from, d);
				load.push(bookings.filter((b) => b.start <= day && b.end >= day).length);
			}
			out.push({
				id: c.id,
				companyId,
				name: c.name,
				baseCity: c.baseCity,
				capacity: c.capacity,
				bookings,
				load
			});
		}
	}
	return { from, days: q.days, crews: out };
}

/** The crews in scope with their base, capacity and members' certificates (the dispatcher's crew list). */
export async function listCrews({ db, actor }: Ctx) {
	const a = authorize(actor, 'installation.read');
	const today = chinaToday();
	const names = await skillNames(db, a.locale);
	const out = [];
	for (const companyId of a.companyIds)
		for (const c of await loadCrews(db, companyId, today)) {
			const skills = [...new Set(c.certificates.filter((x) => x.certificateNo).map((x) => x.skill))];
			out.push({
				id: c.id,
				companyId,
				name: c.name,
				baseCity: c.baseCity,
				base: c.base,
				capacity: c.capacity,
				active: c.active,
				skills: skills.map((code) => ({ code, name: names.get(code) ?? code })),
				expiring: c.certificates.filter((x) => x.expiresOn && x.expiresOn < addDays(today, 30)),
				bookedToday: c.bookings.filter((b) => b.start <= today && b.end >= today).length
			});
		}
	return { crews: out };
}
