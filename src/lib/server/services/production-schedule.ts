import { z } from 'zod';
import { sql } from 'drizzle-orm';
import { rows, type Tx } from '../db';
import { authorize, canSeeCompany } from '../authz';
import { parseInput } from '../validate';
import { NotFoundError } from '../errors';
import { runCommand } from '../events/command';
import type { NewEvent } from '../events/append';
import { chinaToday } from './order-common';
import { loadPlanningData, planCompany, type CompanyPlan, type PlanningData } from './schedule-data';
import type { Ctx } from './context';

/**
 * Re-planning a company: under a transaction-level advisory lock per company (two replans of
 * one company never interleave; different companies run side by side), read everything once,
 * run the pure scheduler, write the plan back in two set statements, and announce it with ONE
 * event per company, not one per work order: screens read their data again when it comes.
 * The plan is derived data, so rows keep their `version`: a replan never makes a planner's or
 * a worker's edit stale.
 */

/** With the company id: one replan (or planning command) per company at a time. */
export const SCHEDULE_LOCK = 74_120;
/** Rows per JSON parameter of the write-back. */
const BATCH = 4000;

export interface ReplanSummary {
	companyId: number;
	today: string;
	scheduled: number;
	late: number;
	shortage: number;
	unplaced: number;
	overloaded: number;
	changedSteps: number;
	changedWorkOrders: number;
	ms: number;
}

export interface ReplanOptions {
	/** Locked work orders to place afresh (the planner moved them). */
	unlock?: ReadonlySet<number>;
	today?: string;
	/** `scheduled_at` to record (the seed's fixed clock); the transaction's time otherwise. */
	at?: Date;
}

/** The replan inside the caller's transaction; the caller appends the event (see `replanned`). */
export async function replanInTx(
	tx: Tx,
	companyId: number,
	opts: ReplanOptions = {}
): Promise<ReplanSummary> {
	await tx.execute(sql`select pg_advisory_xact_lock(${SCHEDULE_LOCK}, ${companyId})`);
	const started = performance.now();
	const data = await loadPlanningData(tx, companyId, opts.today ?? chinaToday());
	const plan = planCompany(data, opts.unlock);
	const { changedSteps, changedWorkOrders } = await writeBack(tx, data, plan, opts.at);
	const wos = plan.result.workOrders;
	return {
		companyId,
		today: data.today,
		scheduled: wos.length,
		late: wos.filter((w) => w.late).length,
		shortage: [...plan.materials.byWorkOrder.values()].filter((m) => m.shortage).length,
		unplaced: wos.filter((w) => w.unplaced).length,
		overloaded: plan.result.overloaded.length,
		changedSteps,
		changedWorkOrders,
		ms: Math.round(performance.now() - started)
	};
}

/** Writes what changed: step plans, and work orders' dates and material state. */
async function writeBack(tx: Tx, data: PlanningData, plan: CompanyPlan, at?: Date) {
	const current = new Map(data.workOrders.flatMap((w) => w.steps.map((s) => [s.id, s] as const)));
	const steps: { id: number; d: string | null; e: string | null; h: Record<string, number> }[] = [];
	for (const w of plan.result.workOrders)
		for (const s of w.steps) {
			const was = current.get(s.id);
			if (
				was &&
				was.plannedDate === s.start &&
				was.plannedEnd === s.end &&
				sameHours(was.plannedHours, s.hours)
			)
				continue;
			steps.push({ id: s.id, d: s.start, e: s.end, h: s.hours });
		}
	// Lock order, so a replan never deadlocks with a terminal's action (a step, its work order,
	// then the next step): steps before work orders, each in ascending id order.
	await lockInOrder(
		tx,
		'work_order_steps',
		steps.map((x) => x.id)
	);
	for (let i = 0; i < steps.length; i += BATCH)
		await tx.execute(sql`
			update work_order_steps s set planned_date = x.d, planned_end = x.e, planned_hours = x.h
			from jsonb_to_recordset(${JSON.stringify(steps.slice(i, i + BATCH))}::jsonb) as x(id int, d date, e date, h jsonb)
			where s.id = x.id`);
	// Work orders whose dates or material state moved, and new ones: `scheduled_at` says when a
	// run last placed each (the company's last run is its `schedule.replanned` event).
	const before = new Map(data.workOrders.map((w) => [w.id, w]));
	const orders = plan.result.workOrders.flatMap((w) => {
		const m = plan.materials.byWorkOrder.get(w.id);
		const row = {
			id: w.id,
			ps: w.plannedStart,
			pf: w.projectedFinish,
			sh: m?.shortage ?? false,
			mr: m?.readyOn ?? null
		};
		const was = before.get(w.id)!;
		const same =
			!was.unscheduled &&
			was.plannedStart === row.ps &&
			was.projectedFinish === row.pf &&
			was.shortage === row.sh &&
			was.materialReadyOn === row.mr;
		return same ? [] : [row];
	});
	const when = at ? sql`${at.toISOString()}::timestamptz` : sql`now()`;
	await lockInOrder(
		tx,
		'work_orders',
		orders.map((x) => x.id)
	);
	for (let i = 0; i < orders.length; i += BATCH)
		await tx.execute(sql`
			update work_orders w set planned_start = x.ps, projected_finish = x.pf, shortage = x.sh,
				material_ready_on = x.mr, scheduled_at = ${when}
			from jsonb_to_recordset(${JSON.stringify(orders.slice(i, i + BATCH))}::jsonb)
				as x(id int, ps date, pf date, sh boolean, mr date)
			where w.id = x.id`);
	return { changedSteps: steps.length, changedWorkOrders: orders.length };
}

/** Row locks on `ids` taken in ascending id order (an UPDATE … FROM locks in whatever order its plan reads). */
export async function lockInOrder(
	tx: Tx,
	table: 'work_orders' | 'work_order_steps',
	ids: number[]
): Promise<void> {
	if (ids.length === 0) return;
	await tx.execute(sql`
		select t.id from ${sql.raw(table)} t
		where t.id in (select jsonb_array_elements_text(${JSON.stringify(ids)}::jsonb)::int)
		order by t.id for update`);
}

function sameHours(a: Record<string, number> | null | undefined, b: Record<string, number>): boolean {
	const ka = Object.keys(a ?? {});
	if (ka.length !== Object.keys(b).length) return false;
	return ka.every((k) => Math.abs((a![k] ?? NaN) - (b[k] ?? NaN)) < 0.001);
}

/** The one event of a replan: every screen showing the company's plan reads it again. */
export async function replanned(
	tx: Tx,
	emit: (e: NewEvent) => Promise<number>,
	summary: ReplanSummary,
	actorId: number | null,
	trigger: 'manual' | 'plan' | 'change' | 'auto'
): Promise<void> {
	// The company's schedule has a version too: the number of its replans.
	const [{ n }] = await rows<{ n: number }>(
		tx,
		sql`select count(*)::int as n from events where entity = 'schedule' and entity_id = ${summary.companyId}`
	);
	await emit({
		companyId: summary.companyId,
		topic: 'production',
		entity: 'schedule',
		entityId: summary.companyId,
		entityVersion: Number(n) + 1,
		type: 'schedule.replanned',
		payload: { ...summary, trigger },
		actorId
	});
}

const replanInput = z
	.object({ companyId: z.coerce.number().int().min(1).max(2_147_483_647).optional() })
	.strict();

/** POST /api/v1/production/schedule/replan: one company, or each of the planner's in turn. */
export async function replan({ db, actor }: Ctx, input: unknown): Promise<{ companies: ReplanSummary[] }> {
	const a = authorize(actor, 'production.plan');
	const q = parseInput(replanInput, input ?? {}, a.locale);
	if (q.companyId !== undefined && !canSeeCompany(a, q.companyId)) throw new NotFoundError();
	const companies: ReplanSummary[] = [];
	for (const companyId of q.companyId !== undefined ? [q.companyId] : a.companyIds)
		companies.push(
			await runCommand(db, async (tx, emit) => {
				const summary = await replanInTx(tx, companyId);
				await replanned(tx, emit, summary, a.id, 'manual');
				return summary;
			})
		);
	return { companies };
}
