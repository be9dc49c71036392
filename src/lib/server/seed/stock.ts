import { schema } from '../db';
import { ITEMS } from './plant-data';
import { CORES, personName } from './names';
import { pad, type SeedCtx } from './context';

type Movement = typeof schema.stockMovements.$inferInsert;

const SUPPLIERS = ['机电设备有限公司', '钢丝绳制品有限公司', '电气科技有限公司', '门系统有限公司'];
const PO_STATUSES = ['draft', 'sent', 'partially_received', 'received', 'received', 'cancelled'] as const;

/**
 * Stock levels, a ledger of movements that adds up to them, some items below safety stock,
 * open reservations for work orders, suppliers and purchase orders.
 */
export function seedStock(ctx: SeedCtx): void {
	const { clock } = ctx;
	const rng = ctx.rng.fork('stock');
	const actorId = ctx.users.storekeeper1;
	for (const company of ctx.companies) {
		const supplierIds = ctx.load.insert(
			schema.suppliers,
			SUPPLIERS.map((s, i) => ({
				companyId: company.id,
				code: `S-${company.code}-${pad(i + 1, 2)}`,
				name: `${company.city.key}${rng.pick(CORES)}${s}`,
				contact: personName(rng),
				phone: `${company.city.areaCode}-${rng.int(5, 6)}${rng.digits(3)} ${rng.digits(4)}`
			}))
		);
		const year = clock.today.slice(0, 4);
		const poRows = PO_STATUSES.map((status, i) => ({
			companyId: company.id,
			number: `PO-${company.code}-${year}-${pad(i + 1, 4)}`,
			supplierId: rng.pick(supplierIds),
			status,
			expectedOn: clock.day(status === 'received' ? -rng.int(5, 40) : rng.int(-5, 25)),
			lines: rng.sample(ITEMS, rng.int(1, 3)).map(([sku, , , , , , , reorder]) => {
				const item = company.items.get(sku)!;
				const received =
					status === 'received' ? reorder : status === 'partially_received' ? Math.floor(reorder / 2) : 0;
				return { itemId: item.id, qty: reorder, receivedQty: received, unitPrice: item.cost };
			})
		}));
		const poIds = ctx.load.insert(
			schema.purchaseOrders,
			poRows.map(({ lines, ...po }) => ({
				...po,
				totalAmount: lines.reduce((s, l) => s + l.qty * l.unitPrice, 0)
			}))
		);
		ctx.load.add(
			schema.purchaseOrderLines,
			poRows.flatMap((po, i) => po.lines.map((l) => ({ ...l, purchaseOrderId: poIds[i] })))
		);
		const receivedPos = poIds.filter(
			(_, i) => PO_STATUSES[i] === 'received' || PO_STATUSES[i] === 'partially_received'
		);

		const [main, spares] = company.warehouses;
		const workOrders = ctx.openWorkOrders.filter((w) => w.companyIndex === company.index);
		const levels: { itemId: number; warehouseId: number; onHand: number; reserved: number }[] = [];
		const movements: Movement[] = [];
		const reservations: (typeof schema.stockReservations.$inferInsert)[] = [];
		ITEMS.forEach(([sku, , , category, , , safety, reorder]) => {
			const item = company.items.get(sku)!;
			const houses =
				category === 'spare' || category === 'consumable' || category === 'safety' ? [main, spares] : [main];
			for (const warehouseId of houses) {
				const low = warehouseId === main && rng.chance(0.22);
				const target = low ? rng.int(0, Math.max(0, safety - 1)) : rng.int(safety, safety * 2 + reorder);
				const ledger: Movement[] = [];
				const move = (
					kind: Movement['kind'],
					qty: number,
					daysAgo: number,
					reason: string,
					reference: string | null,
					unitCost = item.cost
				) => {
					if (qty !== 0)
						ledger.push({
							companyId: company.id,
							itemId: item.id,
							warehouseId,
							kind,
							qty,
							unitCost,
							reason,
							reference,
							actorId,
							at: clock.at(clock.day(-daysAgo), rng.float(8.5, 17.5))
						});
				};
				let flow = 0;
				for (let r = low ? 0 : rng.int(0, 2); r > 0; r--) {
					move(
						'receipt',
						reorder,
						rng.int(5, 80),
						'采购入库',
						receivedPos.length ? `po:${rng.pick(receivedPos)}` : null,
						Math.round(item.cost * rng.float(0.95, 1.05))
					);
					flow += reorder;
				}
				for (let k = rng.int(1, 4); k > 0; k--) {
					const qty = Math.max(1, Math.round(rng.float(0.1, 0.5) * (safety + reorder)));
					const wo = workOrders.length && warehouseId === main ? rng.pick(workOrders) : null;
					move(
						'issue',
						-qty,
						rng.int(1, 60),
						wo ? '生产领料' : '维修领料',
						wo ? `work_order:${wo.id}` : null
					);
					flow -= qty;
				}
				// The opening count makes the ledger add up to what is on hand now.
				const opening = Math.max(1, target - flow);
				move('count', opening, 90, '期初盘点', null);
				if (rng.chance(0.15)) {
					const delta = rng.pick([-2, -1, 1]);
					if (opening + flow + delta >= 0) {
						move('adjustment', delta, rng.int(1, 30), '盘点差异调整', null);
						flow += delta;
					}
				}
				ledger.sort((a, b) => a.at!.getTime() - b.at!.getTime());
				movements.push(...ledger);
				levels.push({ itemId: item.id, warehouseId, onHand: opening + flow, reserved: 0 });
			}
		});

		// Open reservations for work orders: the BOM's main parts, while stock is free.
		const levelOf = new Map(levels.filter((l) => l.warehouseId === main).map((l) => [l.itemId, l]));
		for (const wo of workOrders) {
			const parts = ctx.models[wo.modelIndex].def.parts.filter(([, , spare]) => !spare);
			for (const [sku, qty] of rng.sample(parts, rng.int(2, 3))) {
				const level = levelOf.get(company.items.get(sku)!.id)!;
				const status = rng.weighted([
					['open', 70],
					['issued', 20],
					['released', 10]
				] as const);
				if (status === 'open' && level.onHand - level.reserved < qty) continue;
				if (status === 'open') level.reserved += qty;
				reservations.push({
					companyId: company.id,
					itemId: level.itemId,
					warehouseId: main,
					qty,
					reference: `work_order:${wo.id}`,
					status
				});
			}
		}
		ctx.load.add(
			schema.stockLevels,
			levels.map((l) => ({ ...l, companyId: company.id }))
		);
		ctx.load.add(schema.stockMovements, movements);
		ctx.load.add(schema.stockReservations, reservations);
	}
}
