import { z } from 'zod';
import { and, desc, eq, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, rows, type Tx } from '../db';
import { authorize, canSeeCompany, type Actor } from '../authz';
import { parseInput, text, type Locale } from '../validate';
import { NotFoundError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { jobEvent, jobState } from './dispatch';
import { checkPhotos, type PhotoUpload } from './field-photos';
import { crewOfUser } from './installation-job';
import { applyReport, type ReportInput } from './field-report';
import { orderFollowsInstallation } from './order-installation';
import { INSTALLATION_STAGES } from '../../domain/statuses';
import type { FieldRefusal } from '../../domain/installation-progress';
import type { Ctx } from './context';

/**
 * One report from an installer's phone (a stage's progress, or a problem), sent now or replayed
 * from the phone's offline outbox; the shop-floor terminal's pattern (terminal-actions.ts).
 * Malformed input and bad photos are refused before anything is written (a 400). Otherwise the
 * idempotency key is claimed first (unique per user and key), so a replay, or two copies racing,
 * is applied once and answers what the first answered; the report is then judged against the
 * job as it is now, and a refusal is stored too, so its replay says the same.
 */
const { fieldActions, installationJobs, crews } = schema;

const MAX_INT = 2_147_483_647;
/** Epoch milliseconds from 2020 to 2100: anything else is a broken clock or a forgery. */
const epochMs = z.number().int().min(1_577_836_800_000).max(4_102_444_800_000);

const actionInput = (locale: Locale) =>
	z
		.object({
			key: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
			jobId: z.number().int().min(1).max(MAX_INT),
			action: z.enum(['progress', 'problem']),
			stage: z.enum(INSTALLATION_STAGES).optional(),
			percent: z.number().int().min(0).max(100).optional(),
			note: text(0, 1000).optional(),
			problem: text(0, 1000).optional(),
			occurredAt: epochMs,
			sentAt: epochMs
		})
		.strict()
		.refine((v) => v.action !== 'progress' || (v.stage !== undefined && v.percent !== undefined), {
			path: ['percent'],
			message: m.fld_err_stage_required({}, { locale })
		})
		.refine((v) => v.action !== 'problem' || !!v.problem?.trim(), {
			path: ['problem'],
			message: m.fld_err_problem_required({}, { locale })
		});
export type FieldActionInput = z.output<ReturnType<typeof actionInput>>;

export interface FieldAnswer {
	outcome: 'applied' | 'refused';
	code: FieldRefusal | null;
	message: string;
	/** The job as it is after the report (its dispatch state, as events carry it), when visible. */
	job: (ReturnType<typeof jobState> & { id: number }) | null;
	progressId: number | null;
	photoIds: number[];
	occurredAt: string;
	replayed?: boolean;
}

export async function fieldAction(
	{ db, actor }: Ctx,
	input: { fields: unknown; photos?: PhotoUpload[] }
): Promise<FieldAnswer> {
	const a = authorize(actor, 'installation.report');
	const v = parseInput(actionInput(a.locale), input.fields, a.locale);
	const photos = checkPhotos(a, input.photos ?? []);
	return runCommand(db, async (tx, emit) => {
		const [{ now }] = await rows<{ now: string | Date }>(tx, sql`select clock_timestamp() as now`);
		const serverNow = new Date(now);
		const [found] = await tx
			.select({ companyId: installationJobs.companyId })
			.from(installationJobs)
			.where(eq(installationJobs.id, v.jobId));
		const visible = found && canSeeCompany(a, found.companyId) ? found : null;
		const companyId = visible?.companyId ?? a.homeCompanyId ?? a.companyIds[0];
		if (companyId === undefined || companyId === null) throw new NotFoundError();
		// Claim the key before anything else: a second copy waits here for the first to commit.
		const [claimed] = await tx
			.insert(fieldActions)
			.values({
				companyId,
				userId: a.id,
				key: v.key,
				action: v.action,
				jobId: visible ? v.jobId : null,
				occurredAt: serverNow,
				outcome: 'refused',
				result: {}
			})
			.onConflictDoNothing({ target: [fieldActions.userId, fieldActions.key] })
			.returning({ id: fieldActions.id });
		if (!claimed) {
			const [prior] = await tx
				.select({ result: fieldActions.result })
				.from(fieldActions)
				.where(and(eq(fieldActions.userId, a.id), eq(fieldActions.key, v.key)));
			return { ...(prior.result as FieldAnswer), replayed: true };
		}
		const answer = visible
			? await judge(tx, emit, a, v, photos, serverNow)
			: refused('not_found', m.fld_refused_not_found({}, { locale: a.locale }), null, serverNow);
		await tx
			.update(fieldActions)
			.set({ outcome: answer.outcome, result: answer, occurredAt: new Date(answer.occurredAt) })
			.where(eq(fieldActions.id, claimed.id));
		return answer;
	});
}

const refused = (code: FieldRefusal, message: string, job: FieldAnswer['job'], at: Date): FieldAnswer => ({
	outcome: 'refused',
	code,
	message,
	job,
	progressId: null,
	photoIds: [],
	occurredAt: at.toISOString()
});

async function judge(
	tx: Tx,
	emit: Parameters<Parameters<typeof runCommand>[1]>[1],
	a: Actor,
	v: FieldActionInput,
	photos: ReturnType<typeof checkPhotos>,
	serverNow: Date
): Promise<FieldAnswer> {
	const [job] = await tx
		.select()
		.from(installationJobs)
		.where(eq(installationJobs.id, v.jobId))
		.for('update');
	const [crew] = job.crewId
		? await tx.select({ name: crews.name }).from(crews).where(eq(crews.id, job.crewId))
		: [undefined];
	const state = { ...jobState(job, crew?.name ?? null), id: job.id };
	const myCrew = await crewOfUser(tx, a.id);
	const report: ReportInput = {
		...v,
		photos,
		inCrew: myCrew !== null && myCrew === job.crewId,
		crewName: crew?.name ?? null
	};
	const outcome = await applyReport(tx, a, job, report, serverNow);
	if (outcome.kind === 'refused') return refused(outcome.code, outcome.message, state, serverNow);
	const updated = outcome.job;
	const next = { ...jobState(updated, crew?.name ?? null), id: updated.id };
	await emit(
		jobEvent(
			updated,
			crew?.name ?? null,
			`installation_job.${v.action === 'problem' ? 'problem' : 'progress'}`,
			a.id,
			{
				id: updated.id,
				progress: outcome.progress,
				stages: outcome.stages,
				overall: outcome.overall
			}
		)
	);
	if (updated.status !== job.status) await orderFollowsInstallation(tx, emit, updated.orderId, a.id);
	return {
		outcome: 'applied',
		code: null,
		message: outcome.message,
		job: next,
		progressId: outcome.progress.id,
		photoIds: outcome.progress.photoIds,
		occurredAt: outcome.progress.at
	};
}

/** The user's latest reports and what became of them: the phone's history, and how tests read what the server kept. */
export async function recentFieldActions({ db, actor }: Ctx, limit = 50) {
	const a = authorize(actor, 'installation.report');
	if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw new ValidationError('limit');
	return db
		.select({
			key: fieldActions.key,
			jobId: fieldActions.jobId,
			action: fieldActions.action,
			outcome: fieldActions.outcome,
			occurredAt: fieldActions.occurredAt,
			receivedAt: fieldActions.receivedAt,
			message: sql<string>`${fieldActions.result}->>'message'`
		})
		.from(fieldActions)
		.where(eq(fieldActions.userId, a.id))
		.orderBy(desc(fieldActions.id))
		.limit(limit);
}
