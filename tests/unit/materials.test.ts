import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { allocateMaterials, type MaterialDemand, type PurchaseLine } from '../../src/lib/domain/materials';

const TODAY = '2026-03-02';
const demand = (
	workOrderId: number,
	bom: [number, number][],
	reserved: [number, number][] = []
): MaterialDemand => ({
	workOrderId,
	bom: bom.map(([itemId, qty]) => ({ itemId, qty })),
	reserved: new Map(reserved)
});
const po = (
	purchaseOrderId: number,
	itemId: number,
	openQty: number,
	expectedOn: string | null
): PurchaseLine => ({
	purchaseOrderId,
	number: `PO-${purchaseOrderId}`,
	itemId,
	openQty,
	expectedOn
});

describe('material availability', () => {
	it('covers a work order from its own reservations before touching free stock', () => {
		const r = allocateMaterials(
			[demand(1, [[10, 2]], [[10, 2]])],
			{ free: new Map([[10, 0]]), purchases: [] },
			TODAY
		);
		expect(r.byWorkOrder.get(1)).toMatchObject({ shortage: false, readyOn: null, missing: [] });
		expect(r.items).toEqual([]);
	});

	it('gives free stock to work orders in the order given (scheduling priority)', () => {
		const r = allocateMaterials(
			[demand(7, [[10, 1]]), demand(3, [[10, 1]])],
			{ free: new Map([[10, 1]]), purchases: [] },
			TODAY
		);
		expect(r.byWorkOrder.get(7)!.shortage).toBe(false);
		expect(r.byWorkOrder.get(3)).toMatchObject({ shortage: true, readyOn: null });
		expect(r.items).toEqual([
			{
				itemId: 10,
				needed: 2,
				free: 1,
				missing: 1,
				notOnOrder: 1,
				onOrder: [],
				workOrders: [{ id: 3, qty: 1, expectedOn: null }]
			}
		]);
	});

	it('meets a shortage from purchase orders, earliest first; ready when the last part is expected', () => {
		const r = allocateMaterials(
			[
				demand(1, [
					[10, 3],
					[11, 1]
				]),
				demand(2, [[10, 2]])
			],
			{
				free: new Map([
					[10, 0],
					[11, 0]
				]),
				purchases: [po(50, 10, 2, '2026-03-20'), po(51, 10, 2, '2026-03-10'), po(52, 11, 1, '2026-03-12')]
			},
			TODAY
		);
		const one = r.byWorkOrder.get(1)!;
		expect(one).toMatchObject({ shortage: true, readyOn: '2026-03-20' });
		expect(one.missing[0].purchaseOrders.map((p) => [p.number, p.qty])).toEqual([
			['PO-51', 2],
			['PO-50', 1]
		]);
		// One left on PO-50 and one not ordered at all: the day is unknown.
		expect(r.byWorkOrder.get(2)).toMatchObject({ shortage: true, readyOn: null });
		const item = r.items.find((i) => i.itemId === 10)!;
		expect(item).toMatchObject({ needed: 5, missing: 5, notOnOrder: 1 });
		expect(item.onOrder.map((o) => o.number)).toEqual(['PO-51', 'PO-50']);
	});

	it('takes an overdue order to arrive tomorrow, and one without a day as unknown', () => {
		const r = allocateMaterials(
			[demand(1, [[10, 1]]), demand(2, [[11, 1]])],
			{ free: new Map(), purchases: [po(1, 10, 1, '2026-02-20'), po(2, 11, 1, null)] },
			TODAY
		);
		expect(r.byWorkOrder.get(1)!.readyOn).toBe('2026-03-03');
		expect(r.byWorkOrder.get(2)).toMatchObject({ shortage: true, readyOn: null });
	});

	it('never hands out more stock or ordered quantity than there is', () => {
		fc.assert(
			fc.property(
				fc.array(
					fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 5 })), {
						maxLength: 4
					}),
					{
						maxLength: 15
					}
				),
				fc.array(fc.nat({ max: 8 }), { minLength: 4, maxLength: 4 }),
				fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 6 })), { maxLength: 5 }),
				(boms, stock, lines) => {
					const demands = boms.map((b, i) => demand(i + 1, b));
					const free = new Map(stock.map((q, i) => [i + 1, q]));
					const purchases = lines.map(([item, qty], i) => po(i + 1, item, qty, '2026-04-01'));
					const r = allocateMaterials(demands, { free, purchases }, TODAY);
					for (let item = 1; item <= 4; item++) {
						const need = demands.reduce(
							(s, d) => s + d.bom.filter((l) => l.itemId === item).reduce((a, l) => a + l.qty, 0),
							0
						);
						const missing = [...r.byWorkOrder.values()].reduce(
							(s, w) => s + w.missing.filter((m) => m.itemId === item).reduce((a, m) => a + m.qty, 0),
							0
						);
						// What is not missing came from stock, and stock is never overdrawn.
						expect(need - missing).toBeLessThanOrEqual(free.get(item)!);
						expect(missing).toBe(Math.max(0, need - free.get(item)!));
						const fromOrders = [...r.byWorkOrder.values()].flatMap((w) =>
							w.missing.filter((m) => m.itemId === item).flatMap((m) => m.purchaseOrders)
						);
						const ordered = purchases.filter((p) => p.itemId === item).reduce((s, p) => s + p.openQty, 0);
						expect(fromOrders.reduce((s, p) => s + p.qty, 0)).toBeLessThanOrEqual(ordered);
					}
				}
			),
			{ numRuns: 300 }
		);
	});
});
