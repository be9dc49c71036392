import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { schema, type Tx } from '../db';
import type { NewEvent } from '../events/append';
import { chinaToday, maxSuffix, nextNumbers } from './order-common';

const { workOrders, workOrderSteps, routings, routingStages, units, orders, companies } = schema;

/** Days before the customer's delivery date that the factory aims to finish a unit. */
export const DUE_BEFORE_DELIVERY_DAYS = 14;

/**
 * A work order for each new unit of an approved order, with its model's routing copied into
 * steps (so a later routing edit never changes work already planned). It waits for the next
 * scheduling run (`scheduledAt` null) and appears on the planner's screens at once.
 */
export async function createWorkOrders(
	tx: Tx,
	unitIds: number[],
	emit: (e: NewEvent) => Promise<number>,
	actorId: number | null
): Promise<number[]> {
	if (unitIds.length === 0) return [];
	const rows = await tx
		.select({
			unitId: units.id,
			orderId: units.orderId,
			companyId: units.companyId,
			companyCode: companies.code,
			modelId: units.modelId,
			priority: orders.priority,
			dueDate: sql<string>`coalesce(${orders.deliveryDate} - ${DUE_BEFORE_DELIVERY_DAYS}::int, current_date + 45)::text`
		})
		.from(units)
		.innerJoin(orders, eq(orders.id, units.orderId))
		.innerJoin(companies, eq(companies.id, units.companyId))
		.where(inArray(units.id, unitIds))
		.orderBy(asc(units.id));
	const created: number[] = [];
	const year = chinaToday().slice(0, 4);
	for (const r of rows) {
		const [routing] = await tx
			.select({ id: routings.id })
			.from(routings)
			.where(and(eq(routings.companyId, r.companyId), eq(routings.modelId, r.modelId), eq(routings.active, true)))
			.orderBy(asc(routings.id))
			.limit(1);
		const prefix = `WO-${r.companyCode}-${year}`;
		const [number] = await nextNumbers(tx, prefix, maxSuffix(sql`number`, sql`work_orders`, prefix));
		const [wo] = await tx
			.insert(workOrders)
			.values({
				companyId: r.companyId,
				number,
				orderId: r.orderId,
				unitId: r.unitId,
				routingId: routing?.id ?? null,
				priority: r.priority,
				dueDate: r.dueDate
			})
			.onConflictDoNothing({ target: workOrders.unitId })
			.returning();
		if (!wo) continue; // the unit already has one
		if (routing)
			await tx.execute(sql`
				insert into ${workOrderSteps} (company_id, work_order_id, seq, stage, work_centre_id, standard_hours, status)
				select ${wo.companyId}, ${wo.id}, s.seq, s.stage, s.work_centre_id, s.standard_hours,
					case when s.seq = (select min(seq) from ${routingStages} where routing_id = ${routing.id}) then 'ready' else 'pending' end
				from ${routingStages} s where s.routing_id = ${routing.id}`);
		await emit({
			companyId: wo.companyId,
			topic: 'production',
			entity: 'work_order',
			entityId: wo.id,
			entityVersion: wo.version,
			type: 'work_order.created',
			payload: { number: wo.number, orderId: wo.orderId, unitId: wo.unitId, status: wo.status, priority: wo.priority, dueDate: wo.dueDate, routingId: wo.routingId },
			actorId
		});
		created.push(wo.id);
	}
	return created;
}
