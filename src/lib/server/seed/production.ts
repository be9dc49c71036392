import { schema } from '../db';
import type { StepStatus, WorkOrderStatus } from '../../domain/statuses';
import { nextNumber, pad, type SeedCtx } from './context';
import type { BuiltOrder, BuiltUnit } from './orders';
import type { Rng } from './random';
import { addDays, maxDay, plusHours } from './time';

type WoRow = typeof schema.workOrders.$inferInsert;
type StepRow = Omit<typeof schema.workOrderSteps.$inferInsert, 'workOrderId'>;

export interface WoPlan {
	order: BuiltOrder;
	unit: BuiltUnit;
	row: Omit<WoRow, 'orderId' | 'unitId'>;
	steps: StepRow[];
}

const PROBLEMS = [
	'导轨到货延迟，等待供应商补货',
	'曳引机试验噪声超标，返工',
	'控制柜主板来料不良',
	'轿厢壁板划伤，等待更换',
	'门机调试不通过，技术部分析中'
];

const WO_WEIGHTS: readonly (readonly [WorkOrderStatus, number])[] = [
	['planned', 20],
	['released', 15],
	['in_progress', 38],
	['paused', 5],
	['done', 22]
];

/**
 * Work orders for every unit of an order in production (all states), and, in the detail window,
 * finished ones for shipped and installing orders (shop-floor history for every old unit would
 * be most of the rows for little use). Sets the units' status to match.
 */
export function planProduction(ctx: SeedCtx, rng: Rng, orders: BuiltOrder[]): WoPlan[] {
	const { clock } = ctx;
	const plans: WoPlan[] = [];
	const operator = ctx.users.shopfloor1;
	for (const o of orders) {
		const s = o.sk.status;
		const inProduction = s === 'in_production';
		if (!inProduction && !(o.detail && (s === 'shipped' || s === 'installing'))) continue;
		const dueDate = addDays(o.deliveryDate, -14);
		const year = clock.dayOf(o.t.approvedAt!).slice(0, 4);
		const changed = inProduction && o.detail && rng.chance(0.05);
		for (const unit of o.units) {
			const r = o.sk.company.routings.get(unit.line.model.id)!;
			const stages = r.stages;
			const days = stages.map((st) => Math.max(1, Math.round(st.hours / 7)));
			const total = days.reduce((a, b) => a + b, 0);
			const status: WorkOrderStatus = inProduction ? rng.weighted(WO_WEIGHTS) : 'done';
			let k = 0; // the current stage of a started work order
			let plannedStart: string;
			if (status === 'planned') plannedStart = clock.day(rng.int(1, 20));
			else if (status === 'released') plannedStart = clock.day(rng.int(0, 5));
			else if (status === 'done') {
				// Finished before today, and not before production could start.
				const latest = clock.day(-total - 2 - rng.int(0, 3));
				plannedStart = o.t.productionDay && o.t.productionDay < latest ? o.t.productionDay : latest;
			} else {
				k = rng.int(0, stages.length - 1);
				const before = days.slice(0, k).reduce((a, b) => a + b, 0);
				plannedStart = clock.day(-(before + 1 + rng.int(0, 2)));
			}
			const blocked = status === 'in_progress' && rng.chance(0.15);
			let cursor = plannedStart;
			let clockAt: Date | null = null;
			const steps: StepRow[] = stages.map((st, i) => {
				const plannedDate = cursor;
				cursor = addDays(cursor, days[i]);
				const done = status === 'done' || ((status === 'in_progress' || status === 'paused') && i < k);
				const current = (status === 'in_progress' || status === 'paused') && i === k;
				let stepStatus: StepStatus = 'pending';
				let startedAt: Date | null = null;
				let finishedAt: Date | null = null;
				let worked = 0;
				if (done) {
					startedAt =
						clockAt && clockAt > clock.at(plannedDate, 8.5)
							? plusHours(clockAt, 0.2)
							: clock.at(plannedDate, rng.float(8, 10));
					finishedAt = plusHours(startedAt, st.hours * rng.float(0.8, 1.3));
					worked = Math.round((finishedAt.getTime() - startedAt.getTime()) / 1000);
					clockAt = finishedAt;
					stepStatus = 'done';
				} else if (current) {
					startedAt = clock.past(
						clockAt && clockAt > clock.at(plannedDate, 8.5)
							? plusHours(clockAt, 0.3)
							: clock.at(plannedDate, rng.float(8, 11))
					);
					worked = Math.round(st.hours * 3600 * rng.float(0.1, 0.7));
					stepStatus = status === 'paused' ? 'paused' : blocked ? 'blocked' : 'in_progress';
				} else if (status === 'released' && i === 0) stepStatus = 'ready';
				else if ((status === 'in_progress' || status === 'paused') && i === k + 1) stepStatus = 'ready';
				return {
					companyId: o.sk.company.id,
					seq: st.seq,
					stage: st.stage,
					workCentreId: st.workCentreId,
					standardHours: st.hours.toFixed(2),
					status: stepStatus,
					plannedDate,
					startedAt,
					finishedAt,
					workedSeconds: worked,
					operatorId: startedAt ? operator : null,
					problem: stepStatus === 'blocked' ? rng.pick(PROBLEMS) : null
				};
			});
			// Remaining work from today on; a blocked step and some slack push it past the due date.
			const remaining = days.slice(k).reduce((a, b) => a + b, 0);
			let projectedFinish =
				status === 'done'
					? clock.dayOf(steps[steps.length - 1].finishedAt!)
					: status === 'planned' || status === 'released'
						? addDays(plannedStart, total)
						: clock.day(remaining + (blocked ? rng.int(3, 10) : 0));
			if (status !== 'done' && rng.chance(0.15))
				projectedFinish = maxDay(projectedFinish, addDays(dueDate, rng.int(1, 12)));
			unit.status = !inProduction
				? unit.status
				: status === 'done'
					? 'produced'
					: status === 'in_progress' || status === 'paused'
						? 'in_production'
						: 'planned';
			const started = steps[0].startedAt ?? null;
			plans.push({
				order: o,
				unit,
				row: {
					companyId: o.sk.company.id,
					number: `WO-${o.sk.company.code}-${year}-${pad(nextNumber(ctx, `WO-${o.sk.company.code}-${year}`), 6)}`,
					routingId: r.id,
					status,
					priority: o.sk.urgent ? 'urgent' : 'normal',
					dueDate,
					plannedStart,
					projectedFinish,
					changeFlag: changed ? '订单变更：门宽调整，待计划员确认' : null,
					locked: status === 'in_progress' && rng.chance(0.1),
					startedAt: started,
					finishedAt: status === 'done' ? steps[steps.length - 1].finishedAt! : null,
					createdAt: o.t.approvedAt!,
					updatedAt: clock.past(
						steps.reduce<Date>(
							(m, st) =>
								st.finishedAt && st.finishedAt > m
									? st.finishedAt
									: st.startedAt && st.startedAt > m
										? st.startedAt
										: m,
							o.t.approvedAt!
						)
					)
				},
				steps
			});
		}
	}
	return plans;
}

export function insertProduction(ctx: SeedCtx, plans: WoPlan[]): void {
	const ids = ctx.load.insert(
		schema.workOrders,
		plans.map((p) => ({ ...p.row, orderId: p.order.id!, unitId: p.unit.id! }))
	);
	const steps = plans.flatMap((p, i) => p.steps.map((s) => ({ ...s, workOrderId: ids[i] })));
	ctx.load.add(schema.workOrderSteps, steps);
	plans.forEach((p, i) => {
		if (
			p.row.status !== 'done' &&
			ctx.openWorkOrders.length < 300 &&
			(p.order.detail || ctx.openWorkOrders.length < 60)
		)
			ctx.openWorkOrders.push({
				id: ids[i],
				companyIndex: p.order.sk.company.index,
				modelIndex: ctx.models.indexOf(p.unit.line.model)
			});
	});
	ctx.counts.workOrders += plans.length;
	ctx.counts.workOrderSteps += steps.length;
}
