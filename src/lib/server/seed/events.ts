import { schema } from '../db';
import type { OrderStatus } from '../../domain/statuses';
import type { SeedCtx } from './context';
import type { BuiltOrder } from './orders';

export type EventRow = typeof schema.events.$inferInsert;

/**
 * The timeline of the orders in the detail window: created, submitted, decided, each status
 * reached. Big seeds only do this for the newest orders, to stay fast.
 */
export function orderEvents(ctx: SeedCtx, orders: BuiltOrder[], out: EventRow[]): void {
	const { clock, users } = ctx;
	for (const o of orders) {
		if (!o.detail) continue;
		const { sk, t } = o;
		const push = (type: string, at: Date, actorId: number | null, payload: Record<string, unknown>) =>
			out.push({
				companyId: sk.company.id,
				topic: 'orders',
				entity: 'order',
				entityId: o.id!,
				entityVersion: 1,
				type,
				payload: { number: sk.number, ...payload },
				actorId,
				at
			});
		const change = (from: OrderStatus, to: OrderStatus, day: string | null, actorId: number) => {
			if (day) push('order.status_changed', clock.past(clock.at(day, 16)), actorId, { from, to });
		};
		push('order.created', sk.createdAt, o.salesRepId, {
			status: 'draft',
			customer: sk.customer.name,
			totalAmount: o.totalAmount,
			unitCount: o.units.length
		});
		if (t.submittedAt)
			push('order.submitted', t.submittedAt, o.salesRepId, {
				status: 'submitted',
				totalAmount: o.totalAmount
			});
		if (t.rejectedAt) push('order.rejected', t.rejectedAt, o.decidedById, { status: 'rejected' });
		if (t.approvedAt)
			push('order.approved', t.approvedAt, o.decidedById, {
				status: 'approved',
				auto: o.decidedById === null
			});
		change('approved', 'in_production', t.productionDay, users.planner1);
		change('in_production', 'shipped', t.shipDay, users.dispatcher1);
		change('shipped', 'installing', t.installDay, users.dispatcher1);
		change('installing', 'handed_over', t.handoverDay, users.installer1);
		if (t.closedAt)
			push(
				sk.status === 'cancelled' ? 'order.cancelled' : 'order.closed',
				t.closedAt,
				sk.status === 'cancelled' ? o.salesRepId : users.finance1,
				{ status: sk.status }
			);
	}
}

/** Appended in time order, so event ids follow the timeline like live ones would. */
export function insertEvents(ctx: SeedCtx, events: EventRow[]): void {
	events.sort((a, b) => a.at!.getTime() - b.at!.getTime());
	ctx.load.add(schema.events, events);
	ctx.counts.events += events.length;
}
