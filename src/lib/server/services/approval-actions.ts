import { z } from 'zod';
import { and, eq, gt, inArray, lte, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Conn, type Tx } from '../db';
import { authorize, assertInScope, type Actor } from '../authz';
import { parseId, parseInput, trimmed } from '../validate';
import { ConflictError, ForbiddenError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { entitlementFor, routeFor, stepOutcome } from '../../domain/approval-policy';
import { loadPolicy, orderFacts } from './approval-route';
import { advanceRound, endRound, skipOpenSteps, startRound, stepEvent } from './approval-flow';
import { applyChange, closeChange } from './order-changes';
import type { Ctx } from './context';

const {
	approvalSteps,
	approvalDecisions,
	approvalDelegations,
	orders,
	orderLines,
	orderComments,
	userRoles,
	users
} = schema;

const version = z.coerce.number().int().min(1).max(2_147_483_647);

/** Submits a draft: the policy picks the route, and the order is snapshotted as submitted. */
export async function submitOrder({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'orders.write');
	const id = parseId(rawId, a.locale);
	const q = parseInput(z.object({ version }), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const [o] = await tx.select().from(orders).where(eq(orders.id, id)).for('update');
		assertInScope(a, o, o?.salesRepId);
		if (o.version !== q.version || o.status !== 'draft')
			throw new ConflictError('order changed or not a draft', o);
		const [{ n }] = await tx
			.select({ n: sql<number>`count(*)::int` })
			.from(orderLines)
			.where(eq(orderLines.orderId, id));
		if (n === 0)
			throw new ValidationError(m.order_no_lines({}, { locale: a.locale }), [
				{ path: 'lines', message: m.order_no_lines({}, { locale: a.locale }) }
			]);
		const route = routeFor(await loadPolicy(tx, o.companyId), await orderFacts(tx, id));
		if (!route) throw new ValidationError(m.approval_no_rule({}, { locale: a.locale }));
		return startRound(tx, a, o, route, emit);
	});
}

/** The step locked for the command, in the actor's scope; a decided one is a conflict. */
async function lockPendingStep(tx: Tx, a: Actor, stepId: number, expected: number) {
	const [s] = await tx.select().from(approvalSteps).where(eq(approvalSteps.id, stepId)).for('update');
	assertInScope(a, s);
	const current = async () => (await stepEvent(tx, stepId, 'current', null)).payload;
	if (s.status !== 'pending') throw new ConflictError('step is not pending', await current());
	if (s.claimedById !== null && s.claimedById !== a.id)
		throw new ConflictError('claimed by someone else', await current());
	if (s.version !== expected) throw new ConflictError('stale version', await current());
	return s;
}

/** Whether (and as which role) the actor may decide the step now: own roles, then delegations; null when not. */
export async function entitlement(tx: Conn, a: Actor, s: typeof approvalSteps.$inferSelect) {
	const [mine, delegations, done] = await Promise.all([
		tx.select({ roleId: userRoles.roleId }).from(userRoles).where(eq(userRoles.userId, a.id)),
		tx
			.select()
			.from(approvalDelegations)
			.where(
				and(
					eq(approvalDelegations.toUserId, a.id),
					lte(approvalDelegations.startsAt, sql`now()`),
					gt(approvalDelegations.endsAt, sql`now()`)
				)
			),
		tx
			.select({ roleId: approvalDecisions.roleId })
			.from(approvalDecisions)
			.where(and(eq(approvalDecisions.stepId, s.id), eq(approvalDecisions.decision, 'approve')))
	]);
	const fromIds = delegations.map((d) => d.fromUserId);
	const theirs = fromIds.length
		? await tx.select().from(userRoles).where(inArray(userRoles.userId, fromIds))
		: [];
	return entitlementFor(
		s,
		{ id: a.id, roleIds: mine.map((r) => r.roleId) },
		delegations,
		(uid) => theirs.filter((r) => r.userId === uid).map((r) => r.roleId),
		new Date(),
		done.map((d) => d.roleId ?? 0)
	);
}

/** No approver decides their own order, and only the roles of the step (or their substitutes) decide. */
async function assertMayDecide(tx: Tx, a: Actor, s: typeof approvalSteps.$inferSelect) {
	const [o] = await tx.select({ salesRepId: orders.salesRepId }).from(orders).where(eq(orders.id, s.orderId));
	if (o.salesRepId === a.id) throw new ForbiddenError(m.approval_no_self({}, { locale: a.locale }));
	const ent = await entitlement(tx, a, s);
	if (!ent) throw new ForbiddenError(m.approval_not_your_step({}, { locale: a.locale }));
	return ent;
}

/** One approver takes the item; the others see it claimed at once. Of two claims at the same moment, one wins. */
export async function claimStep({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'approvals.decide');
	const id = parseId(rawId, a.locale);
	const q = parseInput(z.object({ version }), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const s = await lockPendingStep(tx, a, id, q.version);
		await assertMayDecide(tx, a, s);
		await tx
			.update(approvalSteps)
			.set({
				claimedById: a.id,
				claimedAt: sql`now()`,
				version: sql`${approvalSteps.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(approvalSteps.id, id));
		const event = await stepEvent(tx, id, 'approval_step.claimed', a.id);
		await emit(event);
		return event.payload;
	});
}

/** Gives a claimed item back to the queue. */
export async function releaseStep({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'approvals.decide');
	const id = parseId(rawId, a.locale);
	const q = parseInput(z.object({ version }), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		await lockPendingStep(tx, a, id, q.version);
		await tx
			.update(approvalSteps)
			.set({
				claimedById: null,
				claimedAt: null,
				version: sql`${approvalSteps.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(approvalSteps.id, id));
		const event = await stepEvent(tx, id, 'approval_step.released', a.id);
		await emit(event);
		return event.payload;
	});
}

export const decisionInput = (locale: Actor['locale']) =>
	z
		.object({
			decision: z.enum(['approve', 'reject', 'return']),
			reason: z.preprocess(
				(v) => (typeof v === 'string' && v.trim() === '' ? undefined : v),
				trimmed(1, 2000).optional()
			),
			version
		})
		.refine((d) => d.decision === 'approve' || !!d.reason, {
			path: ['reason'],
			message: m.approval_reason_required({}, { locale })
		});

/**
 * Approve, reject (reason required) or return for changes. A rejection or return ends the round
 * at once; approvals count toward the step's mode (any, all roles, quorum), and a complete step
 * hands over to the next one or approves the order.
 */
export async function decideStep({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'approvals.decide');
	const id = parseId(rawId, a.locale);
	const q = parseInput(decisionInput(a.locale), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const s = await lockPendingStep(tx, a, id, q.version);
		const ent = await assertMayDecide(tx, a, s);
		const inserted = await tx
			.insert(approvalDecisions)
			.values({
				stepId: id,
				deciderId: a.id,
				onBehalfOfId: ent.onBehalfOfId,
				roleId: ent.roleId,
				decision: q.decision,
				reason: q.reason ?? null
			})
			.onConflictDoNothing()
			.returning({ id: approvalDecisions.id });
		if (inserted.length === 0)
			throw new ConflictError('already decided', (await stepEvent(tx, id, 'current', null)).payload);
		const decisions = await tx
			.select({
				deciderId: approvalDecisions.deciderId,
				roleId: approvalDecisions.roleId,
				decision: approvalDecisions.decision
			})
			.from(approvalDecisions)
			.where(eq(approvalDecisions.stepId, id));
		const outcome = stepOutcome(
			s,
			decisions.map((d) => ({ ...d, roleId: d.roleId ?? 0 }))
		);
		await tx
			.update(approvalSteps)
			.set({
				status: outcome,
				claimedById: null,
				decidedAt: outcome === 'pending' ? null : sql`now()`,
				version: sql`${approvalSteps.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(approvalSteps.id, id));
		await emit(await stepEvent(tx, id, `approval_step.${q.decision}`, a.id));
		const changeId = s.changeId;
		if (outcome === 'approved')
			await advanceRound(
				tx,
				a.id,
				s,
				emit,
				changeId ? () => applyChange(tx, a.id, changeId, emit) : undefined
			);
		else if (outcome !== 'pending' && changeId) {
			// A change not approved leaves the order as it is.
			await skipOpenSteps(tx, s.orderId, a.id, emit);
			await closeChange(tx, a.id, changeId, q.reason ?? '', emit);
		} else if (outcome !== 'pending') await endRound(tx, a.id, s.orderId, outcome, q.reason ?? '', emit);
		return { outcome };
	});
}

export const commentInput = z.object({ body: trimmed(1, 4000) });

/** A comment in the order's live thread: everyone who may see the order sees it at once. */
export async function addComment({ db, actor }: Ctx, rawOrderId: unknown, input: unknown) {
	const a = authorize(actor, 'orders.read');
	const orderId = parseId(rawOrderId, a.locale);
	const { body } = parseInput(commentInput, input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const [o] = await tx
			.select({ companyId: orders.companyId, salesRepId: orders.salesRepId })
			.from(orders)
			.where(eq(orders.id, orderId));
		assertInScope(a, o, o?.salesRepId);
		const [c] = await tx
			.insert(orderComments)
			.values({ companyId: o.companyId, orderId, authorId: a.id, body })
			.returning();
		const comment = { id: c.id, orderId, body: c.body, at: c.at, authorId: a.id, authorName: a.displayName };
		await emit({
			companyId: o.companyId,
			topic: 'orders',
			entity: 'order_comment',
			entityId: c.id,
			entityVersion: 1,
			type: 'order.comment',
			payload: comment,
			actorId: a.id,
			ownerId: o.salesRepId
		});
		return comment;
	});
}

/** The order's comment thread, oldest first. */
export async function listComments(tx: Tx | Ctx['db'], orderId: number) {
	return tx
		.select({
			id: orderComments.id,
			orderId: orderComments.orderId,
			body: orderComments.body,
			at: orderComments.at,
			authorId: orderComments.authorId,
			authorName: users.displayName
		})
		.from(orderComments)
		.innerJoin(users, eq(users.id, orderComments.authorId))
		.where(eq(orderComments.orderId, orderId))
		.orderBy(orderComments.at, orderComments.id);
}
