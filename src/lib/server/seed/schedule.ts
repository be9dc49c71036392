import { eq } from 'drizzle-orm';
import { schema, type Tx } from '../db';
import { replanInTx } from '../services/production-schedule';
import { loadPlanningData, materialsOf } from '../services/schedule-data';
import { pad, type SeedCtx } from './context';

/**
 * The demo's open work orders get the plan the scheduler would give them (the same code as a
 * planner's replan), so the Gantt, the shortages and every projected finish agree from the
 * first start. Runs after stock is in: materials decide when waiting jobs can start. Most of
 * the parts the open work orders lack are put on order first (a purchaser's morning), so the
 * shortage list shows parts expected on a day as well as parts nobody has ordered. The seed's
 * clock fixes "today" and the run time: the same seed on the same day plans the same.
 */
export async function seedSchedule(tx: Tx, ctx: SeedCtx): Promise<void> {
	const rng = ctx.rng.fork('schedule');
	const year = ctx.clock.today.slice(0, 4);
	for (const company of ctx.companies) {
		const data = await loadPlanningData(tx, company.id, ctx.clock.today);
		const { items, byWorkOrder } = materialsOf(data);
		// A part few jobs need is left unordered: those jobs wait on an unknown day.
		const rare = items.filter((i) => i.workOrders.length <= byWorkOrder.size / 5);
		const unordered = new Set(rng.sample(rare, Math.min(2, rare.length)).map((i) => i.itemId));
		const [supplier] = await tx
			.select({ id: schema.suppliers.id })
			.from(schema.suppliers)
			.where(eq(schema.suppliers.companyId, company.id))
			.orderBy(schema.suppliers.id)
			.limit(1);
		const cost = new Map([...company.items.values()].map((i) => [i.id, i.cost]));
		// Three deliveries, sooner for the jobs first in line (materials are in priority order).
		const waiting = [...byWorkOrder.values()].filter((m) => m.shortage);
		const third = Math.ceil(waiting.length / 3);
		for (let t = 0; t < 3 && supplier; t++) {
			const qty = new Map<number, number>();
			for (const m of waiting.slice(t * third, (t + 1) * third))
				for (const part of m.missing)
					if (!unordered.has(part.itemId)) qty.set(part.itemId, (qty.get(part.itemId) ?? 0) + part.qty);
			if (qty.size === 0) continue;
			const lines = [...qty].map(([itemId, q]) => ({ itemId, qty: q, unitPrice: cost.get(itemId) ?? 0 }));
			const [po] = await tx
				.insert(schema.purchaseOrders)
				.values({
					companyId: company.id,
					number: `PO-${company.code}-${year}-${pad(101 + t, 4)}`,
					supplierId: supplier.id,
					status: 'sent',
					expectedOn: ctx.clock.day([rng.int(2, 5), rng.int(8, 12), rng.int(15, 24)][t]),
					totalAmount: lines.reduce((s, l) => s + l.qty * l.unitPrice, 0),
					createdAt: ctx.clock.hoursFromNow(-rng.int(2, 30)),
					updatedAt: ctx.clock.hoursFromNow(-1)
				})
				.returning({ id: schema.purchaseOrders.id });
			await tx.insert(schema.purchaseOrderLines).values(lines.map((l) => ({ ...l, purchaseOrderId: po.id })));
		}
		const s = await replanInTx(tx, company.id, { today: ctx.clock.today, at: ctx.clock.anchor });
		ctx.log(
			`schedule ${company.code}: ${s.scheduled} work orders, ${s.late} late, ${s.shortage} short of parts`
		);
	}
}
