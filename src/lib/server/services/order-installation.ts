import { and, eq, notInArray, sql } from 'drizzle-orm';
import { schema, type Tx } from '../db';
import type { NewEvent } from '../events/append';
import { orderEvent } from './order-common';

const { orders, units } = schema;

/**
 * The order follows its installation: 'installing' once a job of it starts on site, 'handed_over'
 * when every one of its units is handed over. Called in the transaction of the report that moved
 * a job, with that report's emit, so the order page and lists change with it.
 */
export async function orderFollowsInstallation(
	tx: Tx,
	emit: (e: NewEvent) => Promise<number>,
	orderId: number,
	actorId: number
): Promise<void> {
	const [order] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
	if (!order) return;
	const [{ waiting }] = await tx
		.select({ waiting: sql<number>`count(*)::int` })
		.from(units)
		.where(and(eq(units.orderId, orderId), notInArray(units.status, ['handed_over', 'in_service'])));
	const to =
		Number(waiting) === 0 && (order.status === 'shipped' || order.status === 'installing')
			? 'handed_over'
			: order.status === 'shipped'
				? 'installing'
				: null;
	if (!to) return;
	await tx
		.update(orders)
		.set({ status: to, version: sql`${orders.version} + 1`, updatedAt: sql`now()` })
		.where(eq(orders.id, orderId));
	await emit(await orderEvent(tx, orderId, `order.${to}`, actorId, { from: order.status, to }));
}
