import { z } from 'zod';
import { and, desc, eq, inArray, or, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Tx } from '../db';
import { assertInScope, authorize, type Actor } from '../authz';
import { parseId, parseInput, trimmed } from '../validate';
import { ConflictError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { isDay } from '../../domain/days';
import { placeInSequence, type Placement } from '../../domain/plan-rank';
import { compareWorkOrders } from '../../domain/scheduler';
import { chinaToday } from './order-common';
import { replanInTx, replanned, SCHEDULE_LOCK, type ReplanSummary } from './production-schedule';
import { jsonRows, OPEN } from './schedule-data';
import type { Ctx } from './context';

const { workOrders, workOrderSteps, events, users } = schema;

/**
 * The planner's hand on the schedule: move a work order to start no earlier than a day, put it
 * before or after another in the sequence, give or clear its manual rank, lock or unlock it;
 * and accept an order change that flagged it. Each is one transaction on the version the
 * planner saw, with a `work_order` event (the kept history), followed in the same transaction by
 * the company's replan, so every screen sees the consequence, not just the edit.
 */

const id = z.number().int().min(1).max(2_147_483_647);
const version = z.number().int().min(1).max(2_147_483_647);

const planInput = (locale: Actor['locale']) => {
	const day = z.string().refine(isDay, { message: m.sched_bad_day({}, { locale }) });
	return z
		.object({
			version,
			notBefore: day.nullable().optional(),
			planRank: z.number().int().min(-1_000_000_000).max(1_000_000_000).nullable().optional(),
			locked: z.boolean().optional(),
			place: z
				.union([z.object({ before: id }).strict(), z.object({ after: id.nullable() }).strict()])
				.optional()
		})
		.strict()
		.refine(
			(p) => p.notBefore !== undefined || p.planRank !== undefined || p.locked !== undefined || p.place,
			{
				message: m.sched_nothing_to_change({}, { locale })
			}
		)
		.refine((p) => p.planRank === undefined || p.place === undefined, {
			path: ['place'],
			message: m.sched_rank_or_place({}, { locale })
		})
		.refine((p) => !p.notBefore || p.notBefore >= chinaToday(), {
			path: ['notBefore'],
			message: m.sched_not_before_past({}, { locale })
		});
};

const acceptInput = z.object({ version, note: trimmed(1, 1000) }).strict();

type WorkOrderRow = typeof workOrders.$inferSelect;

/**
 * Takes the company's schedule lock (one planning command or replan per company at a time),
 * then the work order's steps and the work order: the order a terminal's action and the replan
 * lock rows in (steps, then work orders), so none of them deadlocks with another.
 */
async function lockForPlanning(tx: Tx, a: Actor, woId: number, seenVersion: number): Promise<WorkOrderRow> {
	const [peek] = await tx
		.select({ companyId: workOrders.companyId })
		.from(workOrders)
		.where(eq(workOrders.id, woId));
	assertInScope(a, peek);
	await tx.execute(sql`select pg_advisory_xact_lock(${SCHEDULE_LOCK}, ${peek.companyId})`);
	await tx.execute(
		sql`select id from ${workOrderSteps} where work_order_id = ${woId} order by id for update`
	);
	const [wo] = await tx.select().from(workOrders).where(eq(workOrders.id, woId)).for('update');
	if (wo.version !== seenVersion) throw new ConflictError('stale version', wo);
	if (wo.status === 'done' || wo.status === 'cancelled')
		throw new ValidationError(m.sched_closed({ number: wo.number }, { locale: a.locale }));
	return wo;
}

/** New ranks for a move: the company's open work orders in priority order, the job put in its place. */
async function ranksFor(
	tx: Tx,
	a: Actor,
	wo: WorkOrderRow,
	placement: Placement
): Promise<Map<number, number>> {
	const open = await jsonRows<{
		id: number;
		planRank: number | null;
		priority: 'normal' | 'urgent';
		dueDate: string;
	}>(
		tx,
		sql`select id, plan_rank as "planRank", priority, due_date as "dueDate"
			from work_orders where company_id = ${wo.companyId} and status not in ${OPEN}`
	);
	const order = open.sort(compareWorkOrders).map((w) => w.id);
	try {
		return placeInSequence(order, new Map(open.map((w) => [w.id, w.planRank])), wo.id, placement);
	} catch {
		throw new ValidationError(m.sched_place_unknown({}, { locale: a.locale }), [
			{ path: 'place', message: m.sched_place_unknown({}, { locale: a.locale }) }
		]);
	}
}

export async function planWorkOrder({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'production.plan');
	const woId = parseId(rawId, a.locale);
	const p = parseInput(planInput(a.locale), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const wo = await lockForPlanning(tx, a, woId, p.version);
		let planRank = p.planRank === undefined ? wo.planRank : p.planRank;
		if (p.place) {
			const ranks = await ranksFor(tx, a, wo, p.place);
			planRank = ranks.get(wo.id) ?? wo.planRank;
			ranks.delete(wo.id);
			// The jobs ahead that got a rank only keep their places: derived, like the plan, so no new version.
			if (ranks.size)
				await tx.execute(sql`
					update work_orders w set plan_rank = x.r
					from jsonb_to_recordset(${JSON.stringify([...ranks].map(([i, r]) => ({ i, r })))}::jsonb) as x(i int, r int)
					where w.id = x.i`);
		}
		const [updated] = await tx
			.update(workOrders)
			.set({
				planRank,
				notBefore: p.notBefore === undefined ? wo.notBefore : p.notBefore,
				locked: p.locked ?? wo.locked,
				version: sql`${workOrders.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(workOrders.id, wo.id))
			.returning();
		const moved = p.place !== undefined || p.planRank !== undefined || p.notBefore !== undefined;
		await emit({
			companyId: updated.companyId,
			topic: 'production',
			entity: 'work_order',
			entityId: updated.id,
			entityVersion: updated.version,
			type: 'work_order.planned',
			payload: {
				number: updated.number,
				planRank: updated.planRank,
				notBefore: updated.notBefore,
				locked: updated.locked,
				before: { planRank: wo.planRank, notBefore: wo.notBefore, locked: wo.locked }
			},
			actorId: a.id
		});
		// A locked job that is moved is placed afresh, then stays locked where it lands.
		const summary = await replanInTx(tx, updated.companyId, { unlock: moved ? new Set([wo.id]) : undefined });
		await replanned(tx, emit, summary, a.id, 'plan');
		return { workOrder: await reread(tx, wo.id), summary };
	});
}

export async function acceptChange({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'production.plan');
	const woId = parseId(rawId, a.locale);
	const p = parseInput(acceptInput, input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const wo = await lockForPlanning(tx, a, woId, p.version);
		if (!wo.changeFlag) throw new ConflictError('no change to accept', wo);
		const [updated] = await tx
			.update(workOrders)
			.set({ changeFlag: null, version: sql`${workOrders.version} + 1`, updatedAt: sql`now()` })
			.where(eq(workOrders.id, wo.id))
			.returning();
		await emit({
			companyId: updated.companyId,
			topic: 'production',
			entity: 'work_order',
			entityId: updated.id,
			entityVersion: updated.version,
			type: 'work_order.change_accepted',
			// The flag's text and the planner's note: the history keeps what was accepted and why.
			payload: { number: updated.number, changeFlag: null, acceptedFlag: wo.changeFlag, note: p.note },
			actorId: a.id
		});
		const summary: ReplanSummary = await replanInTx(tx, updated.companyId);
		await replanned(tx, emit, summary, a.id, 'change');
		return { workOrder: await reread(tx, wo.id), summary };
	});
}

/** The row after the replan (its projected finish may have moved). */
async function reread(tx: Tx, woId: number): Promise<WorkOrderRow> {
	const [row] = await tx.select().from(workOrders).where(eq(workOrders.id, woId));
	return row;
}

/** A work order's history: its own events and its steps', newest first. */
export async function workOrderHistory({ db, actor }: Ctx, rawId: unknown, limit = 100) {
	const a = authorize(actor, 'production.read');
	const woId = parseId(rawId, a.locale);
	const [wo] = await db
		.select({ companyId: workOrders.companyId })
		.from(workOrders)
		.where(eq(workOrders.id, woId));
	assertInScope(a, wo);
	const stepIds = db
		.select({ id: workOrderSteps.id })
		.from(workOrderSteps)
		.where(eq(workOrderSteps.workOrderId, woId));
	return db
		.select({
			id: events.id,
			type: events.type,
			payload: events.payload,
			at: events.at,
			actorName: users.displayName
		})
		.from(events)
		.leftJoin(users, eq(users.id, events.actorId))
		.where(
			or(
				and(eq(events.entity, 'work_order'), eq(events.entityId, woId)),
				and(eq(events.entity, 'work_order_step'), inArray(events.entityId, stepIds))
			)
		)
		.orderBy(desc(events.id))
		.limit(limit);
}
export type WorkOrderHistory = Awaited<ReturnType<typeof workOrderHistory>>;
