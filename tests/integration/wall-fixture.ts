import { sql } from 'drizzle-orm';
import type { Db } from '../../src/lib/server/db';
import { chinaToday } from '../../src/lib/server/services/order-common';
import { query, scalar } from './db';

/**
 * A small plant with numbers known by heart, in a company of its own beside the demo data:
 * two work centres (A, B) and one order in production with three units.
 *
 *   WO1 in progress, due +10, projected +5:  A done today (planned today) · B in progress, 4 h planned today
 *   WO2 in progress, due +3,  projected +6:  A done yesterday              · B blocked (andon), planned end yesterday
 *   WO3 released,    due +20:                A ready, 2 h today            · B pending, planned in two days
 */
export interface Plant {
	companyId: number;
	centreA: number;
	centreB: number;
	orderId: number;
	wo: [number, number, number];
	/** Steps by work order and seq: steps[0][1] is WO1's step at B. */
	steps: [number, number][];
	today: string;
}

export const plusDays = (day: string, n: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

export async function makePlant(db: Db, code = 'WT'): Promise<Plant> {
	const today = chinaToday();
	const d = (n: number) => plusDays(today, n);
	const one = async (q: ReturnType<typeof sql>) => scalar(db, q);
	const companyId = await one(sql`insert into companies (group_id, code, name)
		select group_id, ${code}, ${'测试工厂 ' + code} from companies order by id limit 1 returning id`);
	const centre = (c: string, name: string) =>
		one(sql`insert into work_centres (company_id, code, name, name_en, daily_capacity_hours)
			values (${companyId}, ${c}, ${name}, ${'Centre ' + c}, 16) returning id`);
	const centreA = await centre('A', '甲工位');
	const centreB = await centre('B', '乙工位');
	const customerId = await one(sql`insert into customers (company_id, code, name, kind)
		select ${companyId}, ${code + '-C1'}, '测试客户', kind from customers order by id limit 1 returning id`);
	const orderId = await one(sql`insert into orders (company_id, number, customer_id, sales_rep_id, status, order_date, delivery_date, unit_count)
		select ${companyId}, ${'SO-' + code + '-1'}, ${customerId}, sales_rep_id, 'in_production', ${d(-30)}, ${d(40)}, 3
		from orders order by id limit 1 returning id`);
	const lineId = await one(sql`insert into order_lines (order_id, line_no, model_id, qty, load_kg, speed, stops, travel_m, door_type, door_width_mm, machine_room, unit_price, line_amount)
		select ${orderId}, 1, model_id, 3, load_kg, speed, stops, travel_m, door_type, door_width_mm, machine_room, unit_price, unit_price * 3
		from order_lines order by id limit 1 returning id`);
	const wo: number[] = [];
	const steps: [number, number][] = [];
	const plan = [
		{ status: 'in_progress', due: d(10), projected: d(5) },
		{ status: 'in_progress', due: d(3), projected: d(6) },
		{ status: 'released', due: d(20), projected: null }
	];
	for (const [i, p] of plan.entries()) {
		const unitId = await one(sql`insert into units (company_id, order_id, line_id, serial_no, model_id, status)
			select ${companyId}, ${orderId}, ${lineId}, ${`${code}-U${i + 1}`}, model_id, 'in_production' from order_lines where id = ${lineId} returning id`);
		wo.push(
			await one(sql`insert into work_orders (company_id, number, order_id, unit_id, status, due_date, projected_finish)
				values (${companyId}, ${`WO-${code}-${i + 1}`}, ${orderId}, ${unitId}, ${p.status}, ${p.due}, ${p.projected}) returning id`)
		);
	}
	const step = (w: number, seq: number, centreId: number, status: string, extra: Record<string, unknown>) =>
		one(sql`insert into work_order_steps (company_id, work_order_id, seq, stage, work_centre_id, standard_hours, status,
				planned_date, planned_end, planned_hours, started_at, finished_at, worked_seconds)
			values (${companyId}, ${w}, ${seq}, ${seq === 1 ? 'car_frame' : 'wiring'}, ${centreId}, 4, ${status},
				${extra.plannedDate ?? null}, ${extra.plannedEnd ?? null}, ${extra.hours ? JSON.stringify(extra.hours) : null}::jsonb,
				${extra.startedAt ?? null}, ${extra.finishedAt ?? null}, ${extra.worked ?? 0}) returning id`);
	const now = new Date();
	const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000).toISOString();
	// "Done today" must be today in China whatever the hour: finished a minute ago.
	steps.push([
		await step(wo[0], 1, centreA, 'done', { startedAt: hoursAgo(0.05), finishedAt: hoursAgo(0.02), worked: 100, plannedDate: today, plannedEnd: today, hours: { [today]: 4 } }),
		await step(wo[0], 2, centreB, 'in_progress', { startedAt: hoursAgo(0.01), plannedDate: today, plannedEnd: today, hours: { [today]: 4 } })
	]);
	steps.push([
		await step(wo[1], 1, centreA, 'done', { startedAt: hoursAgo(30), finishedAt: hoursAgo(26), worked: 14_400, plannedDate: d(-2), plannedEnd: d(-1), hours: { [d(-2)]: 2, [d(-1)]: 2 } }),
		await step(wo[1], 2, centreB, 'blocked', { startedAt: hoursAgo(20), plannedDate: d(-1), plannedEnd: d(-1), hours: { [d(-1)]: 4 }, worked: 3600 })
	]);
	steps.push([
		await step(wo[2], 1, centreA, 'ready', { plannedDate: today, plannedEnd: d(1), hours: { [today]: 2, [d(1)]: 2 } }),
		await step(wo[2], 2, centreB, 'pending', { plannedDate: d(2), plannedEnd: d(2), hours: { [d(2)]: 4 } })
	]);
	await query(db, sql`insert into alerts (company_id, kind, reason, message, work_order_id, step_id, work_centre_id)
		values (${companyId}, 'andon', 'equipment', '夹具损坏', ${wo[1]}, ${steps[1][1]}, ${centreB}) returning id`);
	return { companyId, centreA, centreB, orderId, wo: wo as Plant['wo'], steps, today };
}
