import { and, eq, inArray, ne, sql, type SQL } from 'drizzle-orm';
import { schema, type Tx } from '../db';
import type { NewEvent } from '../events/append';
import { orderEvent } from './order-common';
import { terminalNext } from '../../domain/step-progress';
import type { TerminalAction } from '../../domain/statuses';

/**
 * The one place a work-order step changes state: the planner's manual progress
 * (step-progress.ts), the shop-floor terminals (terminal-actions.ts) and closing an andon
 * (unblockStep) all go through it, so times, worked seconds and events follow one rule.
 * The caller has locked the step (`FOR UPDATE`) and checked that the action applies.
 */
const { workOrderSteps, workOrders, units, orders } = schema;

export type Emit = (e: NewEvent) => Promise<number>;
export type StepRecord = typeof workOrderSteps.$inferSelect;

export interface TransitionOptions {
	actorId: number;
	actorName: string;
	/** When it happened (a terminal's corrected press time); default the database's now(). */
	at?: Date;
	/** The andon's text, kept on a blocked step. */
	problem?: string;
	/**
	 * Move the work order, its unit and its order along with the step (terminals). The
	 * planner's manual progress changes the step only: its clients expect one event per action.
	 */
	followWorkOrder: boolean;
}

/** A step's state as events carry it: the whole row, so a late or repeated event changes nothing. */
export function stepPayload(s: StepRecord, operatorName: string | null) {
	return {
		workOrderId: s.workOrderId,
		workCentreId: s.workCentreId,
		seq: s.seq,
		status: s.status,
		workedSeconds: s.workedSeconds,
		runStartedAt: s.runStartedAt,
		startedAt: s.startedAt,
		finishedAt: s.finishedAt,
		operatorId: s.operatorId,
		operatorName,
		problem: s.problem
	};
}

export function emitStep(emit: Emit, s: StepRecord, type: string, actorId: number | null, operatorName: string | null) {
	return emit({
		companyId: s.companyId,
		topic: 'production',
		entity: 'work_order_step',
		entityId: s.id,
		entityVersion: s.version,
		type,
		payload: stepPayload(s, operatorName),
		actorId
	});
}

/** Applies `action` to the locked `step` at the given time and publishes every change it makes. */
export async function applyStepAction(
	tx: Tx,
	emit: Emit,
	step: StepRecord,
	action: TerminalAction,
	o: TransitionOptions
): Promise<StepRecord> {
	const t: SQL = o.at ? sql`${o.at.toISOString()}::timestamptz` : sql`now()`;
	// A run ends at `t`: its seconds go to worked_seconds, never negative.
	const endRun = {
		runStartedAt: null,
		workedSeconds: sql`${workOrderSteps.workedSeconds} + greatest(0, coalesce(extract(epoch from ${t} - ${workOrderSteps.runStartedAt})::int, 0))`
	};
	const [updated] = await tx
		.update(workOrderSteps)
		.set({
			status: terminalNext(step.status, action),
			version: sql`${workOrderSteps.version} + 1`,
			updatedAt: sql`now()`,
			operatorId: o.actorId,
			...(action === 'start' ? { runStartedAt: t, startedAt: sql`coalesce(${workOrderSteps.startedAt}, ${t})` } : endRun),
			...(action === 'finish' ? { finishedAt: t } : {}),
			...(action === 'problem' ? { problem: o.problem ?? null } : {})
		})
		.where(eq(workOrderSteps.id, step.id))
		.returning();
	await emitStep(emit, updated, `work_order_step.${action}`, o.actorId, o.actorName);
	if (o.followWorkOrder) await followWorkOrder(tx, emit, updated, action, t, o.actorId);
	return updated;
}

/** The work order, unit and order after a step's change; each change is published. */
async function followWorkOrder(tx: Tx, emit: Emit, step: StepRecord, action: TerminalAction, t: SQL, actorId: number) {
	const [wo] = await tx.select().from(workOrders).where(eq(workOrders.id, step.workOrderId)).for('update');
	let status = wo.status;
	if (action === 'start') status = 'in_progress';
	else if (action === 'pause') status = 'paused';
	else if (action === 'finish') {
		const ready = await readyNextStep(tx, emit, step.workOrderId, actorId);
		status = ready.allDone ? 'done' : 'in_progress';
	}
	if (status !== wo.status) {
		const [w] = await tx
			.update(workOrders)
			.set({
				status,
				version: sql`${workOrders.version} + 1`,
				updatedAt: sql`now()`,
				...(status === 'in_progress' ? { startedAt: sql`coalesce(${workOrders.startedAt}, ${t})` } : {}),
				...(status === 'done' ? { finishedAt: t } : {})
			})
			.where(eq(workOrders.id, wo.id))
			.returning();
		await emit({
			companyId: w.companyId,
			topic: 'production',
			entity: 'work_order',
			entityId: w.id,
			entityVersion: w.version,
			type: `work_order.${status}`,
			payload: { number: w.number, orderId: w.orderId, unitId: w.unitId, status: w.status, startedAt: w.startedAt, finishedAt: w.finishedAt },
			actorId
		});
	}
	const unitStatus = status === 'done' ? 'produced' : action === 'start' ? 'in_production' : null;
	if (unitStatus) {
		const [u] = await tx
			.update(units)
			.set({ status: unitStatus, version: sql`${units.version} + 1`, updatedAt: sql`now()` })
			.where(and(eq(units.id, wo.unitId), inArray(units.status, unitStatus === 'produced' ? ['planned', 'in_production'] : ['planned'])))
			.returning();
		if (u)
			await emit({
				companyId: u.companyId,
				topic: 'production',
				entity: 'unit',
				entityId: u.id,
				entityVersion: u.version,
				type: `unit.${unitStatus}`,
				payload: { orderId: u.orderId, serialNo: u.serialNo, status: u.status, workOrderId: wo.id },
				actorId
			});
	}
	if (action === 'start') {
		const [o] = await tx
			.update(orders)
			.set({ status: 'in_production', version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
			.where(and(eq(orders.id, wo.orderId), eq(orders.status, 'approved')))
			.returning({ id: orders.id });
		if (o) await emit(await orderEvent(tx, o.id, 'order.in_production', actorId));
	}
}

/** After a finish: the first step not yet done becomes ready; `allDone` when none is left. */
async function readyNextStep(tx: Tx, emit: Emit, workOrderId: number, actorId: number) {
	const next = await tx
		.update(workOrderSteps)
		.set({ status: 'ready', version: sql`${workOrderSteps.version} + 1`, updatedAt: sql`now()` })
		.where(
			and(
				eq(workOrderSteps.workOrderId, workOrderId),
				eq(workOrderSteps.status, 'pending'),
				sql`${workOrderSteps.seq} = (select min(s.seq) from ${workOrderSteps} s where s.work_order_id = ${workOrderId} and s.status <> 'done')`
			)
		)
		.returning();
	for (const s of next) await emitStep(emit, s, 'work_order_step.ready', actorId, null);
	const [left] = await tx
		.select({ id: workOrderSteps.id })
		.from(workOrderSteps)
		.where(and(eq(workOrderSteps.workOrderId, workOrderId), ne(workOrderSteps.status, 'done')))
		.limit(1);
	return { allDone: !left };
}

/**
 * A blocked step goes back to where it was before the andon: paused if it had started (its
 * time is in worked_seconds), ready when the steps before it are done, else pending. For the
 * alert's close, once no other andon holds the step. Returns null if it was not blocked.
 */
export async function unblockStep(tx: Tx, emit: Emit, stepId: number, actorId: number | null) {
	const previousOpen = sql`exists (select 1 from ${workOrderSteps} p where p.work_order_id = ${workOrderSteps.workOrderId} and p.seq < ${workOrderSteps.seq} and p.status <> 'done')`;
	const [step] = await tx
		.update(workOrderSteps)
		.set({
			status: sql`case when ${workOrderSteps.startedAt} is not null then 'paused' when ${previousOpen} then 'pending' else 'ready' end`,
			problem: null,
			version: sql`${workOrderSteps.version} + 1`,
			updatedAt: sql`now()`
		})
		.where(and(eq(workOrderSteps.id, stepId), eq(workOrderSteps.status, 'blocked')))
		.returning();
	if (!step) return null;
	await emitStep(emit, step, 'work_order_step.unblocked', actorId, null);
	return step;
}
