import { z } from 'zod';
import { and, asc, desc, eq, inArray, notInArray, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Conn, type Tx } from '../db';
import { authorize, assertInScope, type Actor } from '../authz';
import { parseId, parseInput, trimmed } from '../validate';
import { ConflictError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import type { NewEvent } from '../events/append';
import { routeFor, type Route } from '../../domain/approval-policy';
import { isNonStandard, orderTotals, type CatalogModel, type OrderData } from '../../domain/order-entry';
import { loadCatalog, orderValues, parseOrder } from './order-entry';
import { loadPolicy, orderFacts } from './approval-route';
import { addUnits, insertRoundSteps, nextRound } from './approval-flow';
import { orderEvent } from './order-common';
import type { Ctx } from './context';

/**
 * Changes and cancellations after approval. A request keeps the order as it is and as it would
 * be; it goes through the policy like a submission (a cancellation never auto-approves); once
 * approved, a change is applied and a cancellation cancels the order, and the work downstream
 * (work orders, installation jobs) is flagged for the planner and the dispatcher. The order's
 * history keeps every request.
 */

const { orders, orderLines, orderChanges, approvalSteps, units, workOrders, installationJobs, users } =
	schema;
type Emit = (e: NewEvent) => Promise<number>;

export { CHANGEABLE_STATUSES as CHANGEABLE } from '../../domain/statuses';
import { CHANGEABLE_STATUSES as CHANGEABLE } from '../../domain/statuses';

export const changeRequestInput = z.object({
	kind: z.enum(['change', 'cancel']),
	reason: trimmed(2, 1000),
	version: z.coerce.number().int().min(1).max(2_147_483_647),
	/** For a change: the whole order as it should be, in the entry form's shape. */
	order: z.unknown().optional()
});

/** The fields a change request compares and applies: the header a rep may change, and the lines. */
export interface OrderState {
	siteId: number | null;
	priority: string;
	deliveryDate: string | null;
	paymentTerms: string | null;
	discountBp: number;
	taxRateBp: number;
	notes: string | null;
	totalAmount: number;
	lines: {
		lineNo: number;
		modelId: number;
		qty: number;
		loadKg: number;
		speed: number;
		stops: number;
		travelM: number;
		doorType: string;
		doorWidthMm: number;
		machineRoom: boolean;
		finish: string | null;
		optionCodes: string[];
		specialRequirements: string | null;
		unitPrice: number;
		lineAmount: number;
	}[];
}

/** The fields of a stored line that a change compares and applies. */
const lineState = (l: typeof orderLines.$inferSelect): OrderState['lines'][number] => ({
	lineNo: l.lineNo,
	modelId: l.modelId,
	qty: l.qty,
	loadKg: l.loadKg,
	speed: l.speed,
	stops: l.stops,
	travelM: l.travelM,
	doorType: l.doorType,
	doorWidthMm: l.doorWidthMm,
	machineRoom: l.machineRoom,
	finish: l.finish,
	optionCodes: l.optionCodes,
	specialRequirements: l.specialRequirements,
	unitPrice: l.unitPrice,
	lineAmount: l.lineAmount
});

async function currentState(tx: Conn, orderId: number): Promise<OrderState> {
	const [o] = await tx.select().from(orders).where(eq(orders.id, orderId));
	const lines = await tx
		.select()
		.from(orderLines)
		.where(eq(orderLines.orderId, orderId))
		.orderBy(asc(orderLines.lineNo));
	const { priority, deliveryDate, paymentTerms, discountBp, taxRateBp, notes, totalAmount, siteId } = o;
	return {
		siteId,
		priority,
		deliveryDate,
		paymentTerms,
		discountBp,
		taxRateBp,
		notes,
		totalAmount,
		lines: lines.map(lineState)
	};
}

/** The order as a parsed change would make it, priced by the one rule the entry form uses. */
function stateFrom(o: OrderData, catalog: CatalogModel[]): OrderState {
	const { header, lines } = orderValues(o, catalog);
	const { priority, deliveryDate, paymentTerms, discountBp, taxRateBp, notes, totalAmount } = header;
	return {
		siteId: o.siteId ?? null,
		priority,
		deliveryDate,
		paymentTerms,
		discountBp,
		taxRateBp,
		notes,
		totalAmount,
		lines
	};
}

/**
 * Requests a change (the order as it should be) or a cancellation of an approved order. Built
 * units stay tied to their lines, so a change keeps every line and never lowers a quantity:
 * that is a cancellation and a new order.
 */
export async function requestChange({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'orders.write');
	const id = parseId(rawId, a.locale);
	const q = parseInput(changeRequestInput, input, a.locale);
	const catalog = q.kind === 'change' ? await loadCatalog(db) : [];
	const parsed = q.kind === 'change' ? await parseOrder(db, a, q.order, catalog) : null;
	return runCommand(db, async (tx, emit) => {
		const [o] = await tx.select().from(orders).where(eq(orders.id, id)).for('update');
		assertInScope(a, o, o?.salesRepId);
		if (o.version !== q.version) throw new ConflictError('stale version', o);
		if (!(CHANGEABLE as readonly string[]).includes(o.status))
			throw new ConflictError(m.change_not_changeable({}, { locale: a.locale }), o);
		const [open] = await tx
			.select({ id: orderChanges.id })
			.from(orderChanges)
			.where(and(eq(orderChanges.orderId, id), eq(orderChanges.status, 'pending')));
		if (open) throw new ConflictError(m.change_already_pending({}, { locale: a.locale }), o);
		const before = await currentState(tx, id);
		let after: OrderState | null = null;
		if (parsed) {
			if (parsed.companyId !== o.companyId || parsed.customerId !== o.customerId)
				throw invalid('customerId', m.change_same_customer({}, { locale: a.locale }));
			after = stateFrom(parsed, catalog);
			if (after.lines.length < before.lines.length)
				throw invalid('lines', m.change_no_line_removal({}, { locale: a.locale }));
			before.lines.forEach((l, i) => {
				if (after!.lines[i].qty < l.qty)
					throw invalid(`lines.${i}.qty`, m.change_no_qty_down({ qty: l.qty }, { locale: a.locale }));
			});
		}
		const [change] = await tx
			.insert(orderChanges)
			.values({
				companyId: o.companyId,
				orderId: id,
				kind: q.kind,
				reason: q.reason,
				before,
				after,
				requestedById: a.id
			})
			.returning();
		const facts = await orderFacts(tx, id);
		const policy = await loadPolicy(tx, o.companyId);
		const route =
			q.kind === 'cancel'
				? routeFor(
						policy.filter((r) => !r.autoApprove),
						facts
					)
				: routeFor(policy, {
						...facts,
						totalAmount: after!.totalAmount,
						discountBp: after!.discountBp,
						nonStandard: isNonStandard(after!)
					});
		if (!route) throw new ValidationError(m.approval_no_rule({}, { locale: a.locale }));
		await emit(
			await orderEvent(tx, id, 'order.change_requested', a.id, {
				changeId: change.id,
				kind: q.kind,
				reason: q.reason
			})
		);
		return startChangeRound(tx, a.id, o, change.id, route, emit);
	});
}

const invalid = (path: string, message: string) =>
	new ValidationError(`${path}: ${message}`, [{ path, message }]);

async function startChangeRound(
	tx: Tx,
	actorId: number,
	o: typeof orders.$inferSelect,
	changeId: number,
	route: Route,
	emit: Emit
) {
	const round = await nextRound(tx, o);
	await tx
		.update(orders)
		.set({ approvalRound: round, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
		.where(eq(orders.id, o.id));
	if (route.auto) {
		await applyChange(tx, actorId, changeId, emit, route.rule.name);
		return { changeId, status: 'approved' as const, auto: true, ruleName: route.rule.name };
	}
	await insertRoundSteps(tx, actorId, o, round, route, emit, { changeId });
	return { changeId, status: 'pending' as const, auto: false, ruleName: route.rule.name };
}

/** An approved change is applied to the order; an approved cancellation cancels it. Downstream work is flagged. */
export async function applyChange(tx: Tx, actorId: number, changeId: number, emit: Emit, ruleName?: string) {
	const [c] = await tx.select().from(orderChanges).where(eq(orderChanges.id, changeId)).for('update');
	await tx
		.update(orderChanges)
		.set({
			status: 'approved',
			decidedAt: sql`now()`,
			version: sql`${orderChanges.version} + 1`,
			updatedAt: sql`now()`
		})
		.where(eq(orderChanges.id, changeId));
	const flag = `${c.kind === 'cancel' ? 'cancelled' : 'changed'} (change #${c.id}): ${c.reason}`.slice(
		0,
		500
	);
	let touchedLines: number[] | null = null;
	if (c.kind === 'cancel') {
		await tx
			.update(orders)
			.set({
				status: 'cancelled',
				closedAt: sql`now()`,
				version: sql`${orders.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(orders.id, c.orderId));
	} else {
		touchedLines = await applyState(tx, c.orderId, c.before as OrderState, c.after as OrderState, emit, actorId);
	}
	await flagDownstream(tx, actorId, c.orderId, c.companyId, flag, touchedLines, emit);
	await emit(
		await orderEvent(tx, c.orderId, c.kind === 'cancel' ? 'order.cancelled' : 'order.changed', actorId, {
			changeId: c.id,
			reason: c.reason,
			...(ruleName ? { ruleName, auto: true } : {})
		})
	);
}

/** Writes the new header and lines in place (units stay tied to their lines); returns the line ids that changed. */
async function applyState(
	tx: Tx,
	orderId: number,
	before: OrderState,
	after: OrderState,
	emit: Emit,
	actorId: number
): Promise<number[]> {
	const lines = await tx
		.select()
		.from(orderLines)
		.where(eq(orderLines.orderId, orderId))
		.orderBy(asc(orderLines.lineNo));
	const changed: number[] = [];
	for (const next of after.lines) {
		const { lineNo, ...values } = next;
		const existing = lines.find((l) => l.lineNo === lineNo);
		const was = before.lines.find((l) => l.lineNo === lineNo);
		if (existing) {
			if (JSON.stringify(was) === JSON.stringify(next)) continue;
			await tx
				.update(orderLines)
				.set({ ...values, version: sql`${orderLines.version} + 1`, updatedAt: sql`now()` })
				.where(eq(orderLines.id, existing.id));
			changed.push(existing.id);
			if (next.qty > existing.qty)
				await addUnits(tx, orderId, { id: existing.id, modelId: next.modelId, qty: next.qty - existing.qty }, emit, actorId);
		} else {
			const [row] = await tx
				.insert(orderLines)
				.values({ ...values, lineNo, orderId })
				.returning({ id: orderLines.id });
			await addUnits(tx, orderId, { id: row.id, modelId: next.modelId, qty: next.qty }, emit, actorId);
		}
	}
	await tx
		.update(orders)
		.set({
			siteId: after.siteId,
			priority: after.priority as 'normal',
			deliveryDate: after.deliveryDate,
			paymentTerms: after.paymentTerms,
			discountBp: after.discountBp,
			taxRateBp: after.taxRateBp,
			notes: after.notes,
			...orderTotals(after.lines, after),
			version: sql`${orders.version} + 1`,
			updatedAt: sql`now()`
		})
		.where(eq(orders.id, orderId));
	return changed;
}

/**
 * Flags the work downstream: the unfinished work orders of the changed lines' units (all of the
 * order's for a cancellation or a header change) and the open installation jobs. The planner and
 * the dispatcher accept the flag; nothing is silently replanned.
 */
async function flagDownstream(
	tx: Tx,
	actorId: number,
	orderId: number,
	companyId: number,
	flag: string,
	lineIds: number[] | null,
	emit: Emit
) {
	const unitIds = (
		await tx
			.select({ id: units.id })
			.from(units)
			.where(
				and(
					eq(units.orderId, orderId),
					lineIds && lineIds.length ? inArray(units.lineId, lineIds) : undefined
				)
			)
	).map((u) => u.id);
	const flaggedWos = unitIds.length
		? await tx
				.update(workOrders)
				.set({ changeFlag: flag, version: sql`${workOrders.version} + 1`, updatedAt: sql`now()` })
				.where(and(inArray(workOrders.unitId, unitIds), notInArray(workOrders.status, ['done', 'cancelled'])))
				.returning({ id: workOrders.id, version: workOrders.version, number: workOrders.number })
		: [];
	for (const w of flaggedWos)
		await emit({
			companyId,
			topic: 'production',
			entity: 'work_order',
			entityId: w.id,
			entityVersion: w.version,
			type: 'work_order.change_flagged',
			payload: { id: w.id, number: w.number, orderId, changeFlag: flag },
			actorId
		});
	const flaggedJobs = await tx
		.update(installationJobs)
		.set({ changeFlag: flag, version: sql`${installationJobs.version} + 1`, updatedAt: sql`now()` })
		.where(
			and(
				eq(installationJobs.orderId, orderId),
				notInArray(installationJobs.status, ['handed_over', 'cancelled'])
			)
		)
		.returning({
			id: installationJobs.id,
			version: installationJobs.version,
			number: installationJobs.number
		});
	for (const j of flaggedJobs)
		await emit({
			companyId,
			topic: 'installation',
			entity: 'installation_job',
			entityId: j.id,
			entityVersion: j.version,
			type: 'installation_job.change_flagged',
			payload: { id: j.id, number: j.number, orderId, changeFlag: flag },
			actorId
		});
	return { workOrders: flaggedWos.length, installationJobs: flaggedJobs.length };
}

/** A rejected or returned change round leaves the order as it was; the request is kept as rejected. */
export async function closeChange(tx: Tx, actorId: number, changeId: number, reason: string, emit: Emit) {
	const [c] = await tx
		.update(orderChanges)
		.set({
			status: 'rejected',
			decidedAt: sql`now()`,
			version: sql`${orderChanges.version} + 1`,
			updatedAt: sql`now()`
		})
		.where(eq(orderChanges.id, changeId))
		.returning();
	await emit(
		await orderEvent(tx, c.orderId, 'order.change_rejected', actorId, { changeId, kind: c.kind, reason })
	);
}

/** Every change request of the order with who asked, newest first, for the side-by-side view. */
export async function listChanges(db: Conn, orderId: number) {
	return db
		.select({
			id: orderChanges.id,
			kind: orderChanges.kind,
			status: orderChanges.status,
			reason: orderChanges.reason,
			before: orderChanges.before,
			after: orderChanges.after,
			requestedByName: users.displayName,
			createdAt: orderChanges.createdAt,
			decidedAt: orderChanges.decidedAt
		})
		.from(orderChanges)
		.innerJoin(users, eq(users.id, orderChanges.requestedById))
		.where(eq(orderChanges.orderId, orderId))
		.orderBy(desc(orderChanges.id));
}
