import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { schema, type Conn, type Tx } from '../db';
import type { Actor } from '../authz';
import type { NewEvent } from '../events/append';
import { approvalRelevantChange, routeFor, type Route } from '../../domain/approval-policy';
import { loadPolicy, orderFacts } from './approval-route';
import { chinaToday, maxSuffix, nextNumbers, orderEvent } from './order-common';
import { createWorkOrders } from './work-order-create';

/**
 * The life of an approval round inside a command's transaction: starting one (or approving at
 * once by an auto rule), moving to the next step, ending it, and restarting it when an order in
 * approval changes. The commands in approval-actions.ts and order-entry.ts call these.
 */

const { approvalSteps, orders, orderLines, customers, users, units } = schema;
type Emit = (e: NewEvent) => Promise<number>;
type OrderRow = typeof orders.$inferSelect;

/** A queue row as the approval list shows it: the live event of a step carries exactly this. */
export async function stepEvent(
	tx: Conn,
	stepId: number,
	type: string,
	actorId: number | null
): Promise<NewEvent> {
	const [row] = await tx
		.select({
			id: approvalSteps.id,
			companyId: approvalSteps.companyId,
			orderId: approvalSteps.orderId,
			number: orders.number,
			customerName: customers.name,
			totalAmount: orders.totalAmount,
			discountBp: orders.discountBp,
			salesRepId: orders.salesRepId,
			round: approvalSteps.round,
			stepNo: approvalSteps.stepNo,
			ruleName: approvalSteps.ruleName,
			changeKind: sql<
				'change' | 'cancel' | null
			>`(select kind from order_changes c where c.id = ${approvalSteps.changeId})`,
			status: approvalSteps.status,
			roleIds: approvalSteps.roleIds,
			mode: approvalSteps.mode,
			quorum: approvalSteps.quorum,
			claimedById: approvalSteps.claimedById,
			claimedByName: users.displayName,
			activatedAt: approvalSteps.activatedAt,
			dueAt: approvalSteps.dueAt,
			decidedAt: approvalSteps.decidedAt,
			escalatedAt: approvalSteps.escalatedAt,
			approvals: sql<number>`(select count(*)::int from approval_decisions d where d.step_id = ${approvalSteps.id} and d.decision = 'approve')`,
			version: approvalSteps.version
		})
		.from(approvalSteps)
		.innerJoin(orders, eq(orders.id, approvalSteps.orderId))
		.innerJoin(customers, eq(customers.id, orders.customerId))
		.leftJoin(users, eq(users.id, approvalSteps.claimedById))
		.where(eq(approvalSteps.id, stepId));
	return {
		companyId: row.companyId,
		topic: 'approvals',
		entity: 'approval_step',
		entityId: row.id,
		entityVersion: row.version,
		type,
		payload: row,
		actorId,
		ownerId: row.salesRepId
	};
}

/** What approvers approve: the amounts and every line's specs as submitted. */
export async function orderSnapshot(tx: Conn, o: Pick<OrderRow, 'id' | 'totalAmount' | 'discountBp'>) {
	const lines = await tx
		.select({
			modelId: orderLines.modelId,
			qty: orderLines.qty,
			loadKg: orderLines.loadKg,
			speed: orderLines.speed,
			stops: orderLines.stops,
			travelM: orderLines.travelM,
			doorType: orderLines.doorType,
			doorWidthMm: orderLines.doorWidthMm,
			machineRoom: orderLines.machineRoom,
			optionCodes: orderLines.optionCodes,
			specialRequirements: orderLines.specialRequirements,
			unitPrice: orderLines.unitPrice
		})
		.from(orderLines)
		.where(eq(orderLines.orderId, o.id))
		.orderBy(asc(orderLines.lineNo));
	return { totalAmount: o.totalAmount, discountBp: o.discountBp, lines };
}

const hoursFromNow = (h: number) => sql`now() + make_interval(hours => ${h})`;

/** The next round's number: after every round the order has had, whatever made it. */
export async function nextRound(tx: Conn, o: Pick<OrderRow, 'id' | 'approvalRound'>): Promise<number> {
	const [{ max }] = await tx
		.select({ max: sql<number>`coalesce(max(${approvalSteps.round}), 0)::int` })
		.from(approvalSteps)
		.where(eq(approvalSteps.orderId, o.id));
	return Math.max(o.approvalRound, max) + 1;
}

/** Ends the open steps of earlier rounds: their items leave every queue. */
export async function skipOpenSteps(tx: Tx, orderId: number, actorId: number, emit: Emit) {
	const skipped = await tx
		.update(approvalSteps)
		.set({
			status: 'skipped',
			claimedById: null,
			version: sql`${approvalSteps.version} + 1`,
			updatedAt: sql`now()`
		})
		.where(and(eq(approvalSteps.orderId, orderId), inArray(approvalSteps.status, ['waiting', 'pending'])))
		.returning({ id: approvalSteps.id });
	for (const s of skipped) await emit(await stepEvent(tx, s.id, 'approval_step.skipped', actorId));
}

/**
 * Starts a new approval round for the order on `route`: the first step is pending in the
 * queue, the rest wait. An auto-approval rule approves the order at once, recording the rule.
 */
export async function startRound(tx: Tx, a: Actor, o: OrderRow, route: Route, emit: Emit) {
	const round = await nextRound(tx, o);
	await skipOpenSteps(tx, o.id, a.id, emit);
	const snapshot = await orderSnapshot(tx, o);
	const common = {
		approvalRound: round,
		approvalRuleId: route.rule.id,
		submittedAt: sql`now()`,
		version: sql`${orders.version} + 1`,
		updatedAt: sql`now()`
	};
	if (route.auto) {
		await tx
			.update(orders)
			.set({ ...common, status: 'approved', approvedAt: sql`now()` })
			.where(eq(orders.id, o.id));
		await createUnits(tx, o.id, emit, a.id);
		await emit(await orderEvent(tx, o.id, 'order.approved', a.id, { auto: true, ruleName: route.rule.name }));
		return { status: 'approved' as const, auto: true, ruleName: route.rule.name };
	}
	await insertRoundSteps(tx, a.id, o, round, route, emit, { snapshot });
	await tx
		.update(orders)
		.set({ ...common, status: 'in_approval' })
		.where(eq(orders.id, o.id));
	await emit(await orderEvent(tx, o.id, 'order.submitted', a.id, { ruleName: route.rule.name, round }));
	return { status: 'in_approval' as const, auto: false, ruleName: route.rule.name };
}

/**
 * A round's steps as `route` lays them out: the first goes to the queue with its response
 * window, the rest wait their turn. A submission keeps the order's snapshot on them; a change
 * or cancellation names its request.
 */
export async function insertRoundSteps(
	tx: Tx,
	actorId: number,
	o: Pick<OrderRow, 'id' | 'companyId'>,
	round: number,
	route: Route,
	emit: Emit,
	extra: { snapshot?: unknown; changeId?: number } = {}
) {
	const rows = await tx
		.insert(approvalSteps)
		.values(
			route.steps.map((s, i) => ({
				companyId: o.companyId,
				orderId: o.id,
				round,
				ruleId: route.rule.id,
				ruleName: route.rule.name,
				stepNo: s.stepNo,
				roleIds: s.roleIds,
				mode: s.mode,
				quorum: s.quorum,
				responseHours: s.responseHours,
				escalateRoleId: s.escalateRoleId,
				snapshot: extra.snapshot ?? null,
				changeId: extra.changeId ?? null,
				status: i === 0 ? ('pending' as const) : ('waiting' as const),
				activatedAt: i === 0 ? sql`now()` : null,
				dueAt: i === 0 ? hoursFromNow(s.responseHours) : null
			}))
		)
		.returning({ id: approvalSteps.id });
	for (const r of rows) await emit(await stepEvent(tx, r.id, 'approval_step.created', actorId));
}

/**
 * After a step approves: the next waiting step of the round goes to the queue; after the last,
 * the order is approved, or (for a change round) `complete` applies the change.
 */
export async function advanceRound(
	tx: Tx,
	actorId: number,
	step: { orderId: number; round: number; stepNo: number },
	emit: Emit,
	complete?: () => Promise<void>
) {
	const [next] = await tx
		.select({ id: approvalSteps.id, responseHours: approvalSteps.responseHours })
		.from(approvalSteps)
		.where(
			and(
				eq(approvalSteps.orderId, step.orderId),
				eq(approvalSteps.round, step.round),
				eq(approvalSteps.status, 'waiting')
			)
		)
		.orderBy(asc(approvalSteps.stepNo))
		.limit(1);
	if (next) {
		await tx
			.update(approvalSteps)
			.set({
				status: 'pending',
				activatedAt: sql`now()`,
				dueAt: hoursFromNow(next.responseHours),
				version: sql`${approvalSteps.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(approvalSteps.id, next.id));
		await emit(await stepEvent(tx, next.id, 'approval_step.activated', actorId));
		await tx
			.update(orders)
			.set({ version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
			.where(eq(orders.id, step.orderId));
		await emit(await orderEvent(tx, step.orderId, 'order.step_approved', actorId, { stepNo: step.stepNo }));
		return;
	}
	if (complete) return complete();
	await tx
		.update(orders)
		.set({
			status: 'approved',
			approvedAt: sql`now()`,
			version: sql`${orders.version} + 1`,
			updatedAt: sql`now()`
		})
		.where(eq(orders.id, step.orderId));
	await createUnits(tx, step.orderId, emit, actorId);
	await emit(await orderEvent(tx, step.orderId, 'order.approved', actorId));
}

/** A rejection or a return ends the round: the order is rejected, or back with the rep as a draft. */
export async function endRound(
	tx: Tx,
	actorId: number,
	orderId: number,
	outcome: 'rejected' | 'returned',
	reason: string,
	emit: Emit
) {
	await skipOpenSteps(tx, orderId, actorId, emit);
	await tx
		.update(orders)
		.set({
			status: outcome === 'rejected' ? 'rejected' : 'draft',
			version: sql`${orders.version} + 1`,
			updatedAt: sql`now()`
		})
		.where(eq(orders.id, orderId));
	await emit(
		await orderEvent(tx, orderId, outcome === 'rejected' ? 'order.rejected' : 'order.returned', actorId, {
			reason
		})
	);
}

/**
 * After the rep edits an order in approval: when price, discount or specs differ from what was
 * submitted, the open steps end and a new round starts on the route the order now takes, so
 * nobody approves what they did not see.
 */
export async function restartIfChanged(tx: Tx, a: Actor, orderId: number, emit: Emit): Promise<boolean> {
	const [o] = await tx.select().from(orders).where(eq(orders.id, orderId));
	if (o.status !== 'in_approval' && o.status !== 'submitted') return false;
	const [open] = await tx
		.select({ snapshot: approvalSteps.snapshot })
		.from(approvalSteps)
		.where(and(eq(approvalSteps.orderId, orderId), eq(approvalSteps.round, o.approvalRound)))
		.limit(1);
	const now = await orderSnapshot(tx, o);
	if (open && !approvalRelevantChange(open.snapshot as typeof now, now)) return false;
	const route = routeFor(await loadPolicy(tx, o.companyId), await orderFacts(tx, orderId));
	if (route) {
		await startRound(tx, a, o, route, emit);
		return true;
	}
	await skipOpenSteps(tx, orderId, a.id, emit);
	await tx
		.update(orders)
		.set({ status: 'draft', version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
		.where(eq(orders.id, orderId));
	await emit(await orderEvent(tx, orderId, 'order.returned', a.id));
	return true;
}

/** An approved order's units, one per elevator of each line, with their serial numbers and work orders. */
async function createUnits(tx: Tx, orderId: number, emit: Emit, actorId: number | null) {
	const [existing] = await tx
		.select({ n: sql<number>`count(*)::int` })
		.from(units)
		.where(eq(units.orderId, orderId));
	if (existing.n > 0) return;
	const lines = await tx
		.select({ id: orderLines.id, qty: orderLines.qty, modelId: orderLines.modelId })
		.from(orderLines)
		.where(eq(orderLines.orderId, orderId))
		.orderBy(asc(orderLines.lineNo));
	for (const l of lines) await addUnits(tx, orderId, l, emit, actorId);
}

/** `line.qty` more units of a line, numbered from the year's serial counter, each with its work order. */
export async function addUnits(
	tx: Tx,
	orderId: number,
	line: { id: number; modelId: number; qty: number },
	emit: Emit,
	actorId: number | null
) {
	const [o] = await tx
		.select({ companyId: orders.companyId, siteId: orders.siteId })
		.from(orders)
		.where(eq(orders.id, orderId));
	const prefix = `EL-${chinaToday().slice(0, 4)}`;
	const serials = await nextNumbers(tx, prefix, maxSuffix(sql`serial_no`, sql`units`, prefix), line.qty, 7);
	const added = await tx
		.insert(units)
		.values(
			serials.map((serialNo) => ({
				companyId: o.companyId,
				orderId,
				lineId: line.id,
				siteId: o.siteId,
				modelId: line.modelId,
				serialNo
			}))
		)
		.returning({ id: units.id });
	await createWorkOrders(
		tx,
		added.map((u) => u.id),
		emit,
		actorId
	);
}
