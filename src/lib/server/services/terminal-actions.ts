import { z } from 'zod';
import { and, desc, eq, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, rows, type Tx } from '../db';
import { authorize, canSeeCompany } from '../authz';
import { parseInput, text, type Locale } from '../validate';
import { ForbiddenError } from '../errors';
import { runCommand } from '../events/command';
import type { Device } from '../auth/device';
import { raiseAlert } from './alerts';
import { applyStepAction, type Emit, type StepRecord } from './step-transition';
import { requireTerminal } from './terminal-auth';
import { terminalRefusal, type Refusal } from '../../domain/step-progress';
import { ANDON_REASONS, TERMINAL_ACTIONS, type TerminalAction } from '../../domain/statuses';
import type { Actor } from '../authz';
import type { Ctx } from './context';

/**
 * One button press at a terminal, sent now or replayed from the browser's offline queue.
 * The idempotency key is claimed first (a unique index on device and key), so a replay, or two
 * copies racing, is applied once and answers what the first answered. Then the press is judged
 * against the step as it is now: a job moved to another station, a cancelled work order or a
 * step in the wrong state is refused with a message, and the refusal is kept too, so its
 * replay says the same. Times are the server's, from the moment the worker pressed.
 */
const { terminalActions, workOrderSteps, workOrders, workCentres } = schema;

const MAX_INT = 2_147_483_647;
/** Epoch milliseconds from year 2020 to 2100: anything else is a broken clock or a forgery. */
const epochMs = z.number().int().min(1_577_836_800_000).max(4_102_444_800_000);

const actionInput = (locale: Locale) =>
	z
		.object({
			key: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/),
			stepId: z.number().int().min(1).max(MAX_INT),
			action: z.enum(TERMINAL_ACTIONS),
			reason: z.enum(ANDON_REASONS).optional(),
			note: text(0, 500).optional(),
			occurredAt: epochMs,
			sentAt: epochMs
		})
		.strict()
		.refine((v) => v.action !== 'problem' || v.reason !== undefined, {
			path: ['reason'],
			message: m.term_err_reason_required({}, { locale })
		});
export type TerminalActionInput = z.output<ReturnType<typeof actionInput>>;

export interface StepSnapshot {
	id: number;
	workOrderId: number;
	workCentreId: number;
	status: string;
	version: number;
	workedSeconds: number;
	runStartedAt: string | null;
	startedAt: string | null;
	finishedAt: string | null;
}
export interface ActionAnswer {
	outcome: 'applied' | 'refused';
	/** Why it was refused (stable for the client), null when applied. */
	code: Refusal | 'not_found' | 'moved' | 'cancelled' | 'work_order_done' | null;
	message: string;
	step: StepSnapshot | null;
	/** When the server takes it to have happened (ISO). */
	occurredAt: string;
	/** True when this answer is the stored one of an earlier copy of the same key. */
	replayed?: boolean;
}

export async function terminalAction({ db, actor }: Ctx, device: Device | null, input: unknown): Promise<ActionAnswer> {
	const a = authorize(actor, 'production.report');
	const d = requireTerminal(device, a.locale);
	if (!canSeeCompany(a, d.companyId)) throw new ForbiddenError(m.term_err_not_allowed({ name: a.displayName }, { locale: a.locale }));
	const v = parseInput(actionInput(a.locale), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const [{ now }] = await rows<{ now: string | Date }>(tx, sql`select clock_timestamp() as now`);
		const serverNow = new Date(now);
		// Claim the key before anything else: a second copy waits here for the first to commit.
		const [claimed] = await tx
			.insert(terminalActions)
			.values({ companyId: d.companyId, key: v.key, deviceId: d.id, userId: a.id, action: v.action, occurredAt: serverNow, outcome: 'refused', result: {} })
			.onConflictDoNothing({ target: [terminalActions.deviceId, terminalActions.key] })
			.returning({ id: terminalActions.id });
		if (!claimed) {
			const [prior] = await tx
				.select({ result: terminalActions.result })
				.from(terminalActions)
				.where(and(eq(terminalActions.deviceId, d.id), eq(terminalActions.key, v.key)));
			return { ...(prior.result as ActionAnswer), replayed: true };
		}
		const { answer, stepId } = await judge(tx, emit, a, d, v, serverNow);
		await tx
			.update(terminalActions)
			.set({ outcome: answer.outcome, result: answer, stepId, occurredAt: new Date(answer.occurredAt) })
			.where(eq(terminalActions.id, claimed.id));
		return answer;
	});
}

async function judge(tx: Tx, emit: Emit, a: Actor, d: Device & { workCentreId: number }, v: TerminalActionInput, serverNow: Date) {
	const o = { locale: a.locale };
	const [row] = await tx.select().from(workOrderSteps).where(eq(workOrderSteps.id, v.stepId)).for('update');
	// Out of scope reads as not found: nothing of another company's step is told or kept.
	const visible = row && canSeeCompany(a, row.companyId) ? row : null;
	const refuse = (code: ActionAnswer['code'], message: string) => ({
		answer: { outcome: 'refused', code, message, step: visible && snapshot(visible), occurredAt: serverNow.toISOString() } as ActionAnswer,
		stepId: visible?.id ?? null
	});
	if (!visible) return refuse('not_found', m.term_refused_not_found({}, o));
	const step = visible;
	const [wo] = await tx.select({ number: workOrders.number, status: workOrders.status }).from(workOrders).where(eq(workOrders.id, step.workOrderId));
	if (step.workCentreId !== d.workCentreId) {
		const [c] = await tx.select({ name: workCentres.name, nameEn: workCentres.nameEn }).from(workCentres).where(eq(workCentres.id, step.workCentreId));
		return refuse('moved', m.term_refused_moved({ number: wo.number, centre: a.locale === 'en' ? c.nameEn : c.name }, o));
	}
	if (wo.status === 'cancelled') return refuse('cancelled', m.term_refused_cancelled({ number: wo.number }, o));
	if (wo.status === 'done') return refuse('work_order_done', m.term_refused_wo_done({ number: wo.number }, o));
	const [{ open }] = await rows<{ open: boolean }>(
		tx,
		sql`select exists (select 1 from ${workOrderSteps} p where p.work_order_id = ${step.workOrderId} and p.seq < ${step.seq} and p.status <> 'done') as open`
	);
	const refusal = terminalRefusal(step.status, v.action, !open);
	if (refusal) return refuse(refusal, refusalMessage(refusal, step, v.action, wo.number, a.locale));
	const at = await pressedAt(tx, step, v, serverNow);
	const reason = v.reason ? m[`alert_reason_${v.reason}`]({}, o) : '';
	const problem = v.note?.trim() || reason;
	if (v.action === 'problem')
		await raiseAlert(tx, emit, {
			companyId: step.companyId,
			kind: 'andon',
			reason: v.reason,
			message: problem,
			workOrderId: step.workOrderId,
			stepId: step.id,
			workCentreId: step.workCentreId,
			deviceId: d.id,
			raisedBy: a.id
		});
	const updated = await applyStepAction(tx, emit, step, v.action, {
		actorId: a.id,
		actorName: a.displayName,
		at,
		problem: v.action === 'problem' ? `${reason}${v.note?.trim() ? `: ${v.note.trim()}` : ''}` : undefined,
		followWorkOrder: true
	});
	const answer: ActionAnswer = {
		outcome: 'applied',
		code: null,
		message: m[`term_applied_${v.action}`]({ number: wo.number }, o),
		step: snapshot(updated),
		occurredAt: at.toISOString()
	};
	return { answer, stepId: step.id };
}

/**
 * The press time on the server's clock: the browser's time of the press, moved by how far its
 * clock is off (server now − its send time), never before the step's last change and never in
 * the future. A queued action keeps its real time; a wrong device clock does not matter.
 */
async function pressedAt(tx: Tx, step: StepRecord, v: TerminalActionInput, serverNow: Date): Promise<Date> {
	const [last] = await rows<{ at: string | Date | null }>(
		tx,
		sql`select max(occurred_at) as at from ${terminalActions} where step_id = ${step.id} and outcome = 'applied'`
	);
	const floor = Math.max(
		...[step.startedAt, step.runStartedAt, step.finishedAt, last?.at].map((t) => (t ? new Date(t).getTime() : 0))
	);
	const corrected = v.occurredAt + (serverNow.getTime() - v.sentAt);
	return new Date(Math.min(serverNow.getTime(), Math.max(floor, corrected)));
}

const messages = m as unknown as Record<string, ((i: object, o: { locale: Locale }) => string) | undefined>;
const byKey = (key: string, locale: Locale) => messages[key]?.({}, { locale });

function refusalMessage(r: Refusal, step: StepRecord, action: TerminalAction, number: string, locale: Locale): string {
	const o = { locale };
	const stage = byKey(`pstage_${step.stage}`, locale) ?? step.stage;
	switch (r) {
		case 'not_started':
			return m.term_refused_not_started({ stage, number }, o);
		case 'previous_not_done':
			return m.term_refused_previous({ stage, number }, o);
		case 'blocked':
			return m.term_refused_blocked({ number }, o);
		case 'already_done':
			return m.term_refused_done({ stage, number }, o);
		case 'not_applicable':
			return m.term_refused_state({ action: m[`term_action_${action}`]({}, o), status: m[`wstep_${step.status}`]({}, o) }, o);
	}
}

const iso = (t: Date | null) => (t ? new Date(t).toISOString() : null);
/** The step as the answer carries it: plain JSON, so a stored answer replays identically. */
const snapshot = (s: StepRecord): StepSnapshot => ({
	id: s.id,
	workOrderId: s.workOrderId,
	workCentreId: s.workCentreId,
	status: s.status,
	version: s.version,
	workedSeconds: s.workedSeconds,
	runStartedAt: iso(s.runStartedAt),
	startedAt: iso(s.startedAt),
	finishedAt: iso(s.finishedAt)
});

/** The terminal's latest actions, newest first: its own history, and how a test reads what the server kept. */
export async function recentActions({ db, actor }: Ctx, device: Device | null, limit = 50) {
	const a = authorize(actor, 'production.read');
	const d = requireTerminal(device, a.locale);
	return db
		.select({
			key: terminalActions.key,
			stepId: terminalActions.stepId,
			action: terminalActions.action,
			outcome: terminalActions.outcome,
			occurredAt: terminalActions.occurredAt,
			receivedAt: terminalActions.receivedAt,
			message: sql<string>`${terminalActions.result}->>'message'`
		})
		.from(terminalActions)
		.where(eq(terminalActions.deviceId, d.id))
		.orderBy(desc(terminalActions.id))
		.limit(limit);
}
