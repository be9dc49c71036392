import { z } from 'zod';
import { eq, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Tx } from '../db';
import { assertInScope, authorize } from '../authz';
import { parseId, parseInput } from '../validate';
import { ConflictError } from '../errors';
import { runCommand } from '../events/command';
import { unblockStep, type Emit } from './step-transition';
import type { AlertKind, AlertStatus, AndonReason } from '../../domain/statuses';
import { alertRow } from './alert-list';
import type { Ctx } from './context';

/** The notification centre's list and the bell's count live beside it. */
export { listAlerts, alertCentre, openAlertCount, type AlertRow } from './alert-list';

const { alerts } = schema;
type AlertRecord = typeof alerts.$inferSelect;

export interface NewAlert {
	companyId: number;
	kind: AlertKind;
	reason?: AndonReason | null;
	message: string;
	workOrderId?: number | null;
	stepId?: number | null;
	workCentreId?: number | null;
	deviceId?: number | null;
	raisedBy?: number | null;
}

/**
 * Raises an alert inside the caller's transaction and publishes it on the production topic,
 * so the planner's and manager's screens, the notification centre and the wall displays show
 * it as soon as the transaction commits.
 */
export async function raiseAlert(tx: Tx, emit: Emit, alert: NewAlert) {
	const [row] = await tx.insert(alerts).values(alert).returning();
	await emitAlert(emit, row, 'alert.raised', alert.raisedBy ?? null);
	return row;
}

/** An alert's state as events carry it: the whole row, so a late or repeated event changes nothing. */
export function alertPayload(row: AlertRecord) {
	return {
		companyId: row.companyId,
		kind: row.kind,
		status: row.status,
		reason: row.reason,
		message: row.message,
		workOrderId: row.workOrderId,
		stepId: row.stepId,
		workCentreId: row.workCentreId,
		deviceId: row.deviceId,
		raisedBy: row.raisedBy,
		raisedAt: row.raisedAt,
		acknowledgedBy: row.acknowledgedBy,
		acknowledgedAt: row.acknowledgedAt,
		closedBy: row.closedBy,
		closedAt: row.closedAt,
		closeNote: row.closeNote
	};
}

/** The event of an alert's change (raised, acknowledged, closed), with its whole new state. */
export function emitAlert(emit: Emit, row: AlertRecord, type: string, actorId: number | null) {
	return emit({
		companyId: row.companyId,
		topic: 'production',
		entity: 'alert',
		entityId: row.id,
		entityVersion: row.version,
		type,
		payload: alertPayload(row),
		actorId
	});
}

const versionInput = z.object({ version: z.number().int().min(1).max(2_147_483_647) }).strict();
const closeInput = (locale: 'zh-CN' | 'en') =>
	versionInput.extend({
		// The note says what was done about it: the history is only worth keeping with it.
		note: z.preprocess(
			(v) => (v === undefined || v === null ? '' : v),
			z
				.string()
				.trim()
				.min(1, m.alert_note_required({}, { locale }))
				.max(1000)
				.refine((s) => !s.includes('\u0000'))
		)
	});

/**
 * Locks the alert, checks scope, the version the user read and that it is still in a state the
 * action applies to; a refusal is a conflict carrying the alert as it is now (who acknowledged
 * or closed it), so the screen can say so.
 */
async function lockAlert(tx: Tx, ctx: Ctx, id: number, version: number, allowed: AlertStatus[]) {
	const a = ctx.actor!;
	const [row] = await tx.select().from(alerts).where(eq(alerts.id, id)).for('update');
	assertInScope(a, row);
	if (row.version !== version || !allowed.includes(row.status))
		throw new ConflictError(row.version !== version ? 'stale version' : `alert is ${row.status}`, await alertRow(tx, id));
	return row;
}

/** Someone has seen the alert and is on it: it stays on the boards, no longer "new". */
export async function acknowledgeAlert(ctx: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(ctx.actor, 'production.report');
	const id = parseId(rawId, a.locale);
	const { version } = parseInput(versionInput, input, a.locale);
	return runCommand(ctx.db, async (tx, emit) => {
		await lockAlert(tx, ctx, id, version, ['open']);
		const [row] = await tx
			.update(alerts)
			.set({
				status: 'acknowledged',
				acknowledgedBy: a.id,
				acknowledgedAt: sql`now()`,
				version: sql`${alerts.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(alerts.id, id))
			.returning();
		await emitAlert(emit, row, 'alert.acknowledged', a.id);
		return alertRow(tx, id);
	});
}

/**
 * Closes an alert with a note (required). Closing an andon releases its step when no other
 * andon still holds it, so the terminal can carry on with it.
 */
export async function closeAlert(ctx: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(ctx.actor, 'production.report');
	const id = parseId(rawId, a.locale);
	const { version, note } = parseInput(closeInput(a.locale), input, a.locale);
	return runCommand(ctx.db, async (tx, emit) => {
		await lockAlert(tx, ctx, id, version, ['open', 'acknowledged']);
		const [row] = await tx
			.update(alerts)
			.set({
				status: 'closed',
				closedBy: a.id,
				closedAt: sql`now()`,
				closeNote: note,
				version: sql`${alerts.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(alerts.id, id))
			.returning();
		await emitAlert(emit, row, 'alert.closed', a.id);
		if (row.kind === 'andon' && row.stepId !== null) {
			const [other] = await tx
				.select({ id: alerts.id })
				.from(alerts)
				.where(sql`${alerts.stepId} = ${row.stepId} and ${alerts.kind} = 'andon' and ${alerts.status} <> 'closed'`)
				.limit(1);
			if (!other) await unblockStep(tx, emit, row.stepId, a.id);
		}
		return alertRow(tx, id);
	});
}
