import { addDays } from './days';

/**
 * Material availability for work orders that have not started (a started one was kitted when it
 * began): pure, shared by the replan and the shortage list. Each work order needs its model's
 * bill of materials once per unit. Its own stock reservations (open or issued) cover it first;
 * the rest is taken from free stock (on hand − reserved, all the company's warehouses) in
 * scheduling priority order, so the most urgent job gets the parts; what is still missing is
 * a shortage, met by open purchase order lines, earliest expected first. A work order's parts
 * are ready on the latest expected day of the lines it waits for, or on an unknown day when
 * anything missing is not on order (or its order has no expected day).
 */

export interface BomLine {
	itemId: number;
	qty: number;
}

export interface MaterialDemand {
	workOrderId: number;
	bom: readonly BomLine[];
	/** Quantities of its own reservations (open or issued) per item. */
	reserved: ReadonlyMap<number, number>;
}

export interface PurchaseLine {
	purchaseOrderId: number;
	number: string;
	itemId: number;
	/** Ordered and not yet received. */
	openQty: number;
	expectedOn: string | null;
}

export interface MaterialSupply {
	/** Free stock per item. */
	free: ReadonlyMap<number, number>;
	purchases: readonly PurchaseLine[];
}

export interface MissingPart {
	itemId: number;
	qty: number;
	/** When all of it is expected, or null when not (all) on order or on an order without a day. */
	expectedOn: string | null;
	purchaseOrders: { id: number; number: string; qty: number; expectedOn: string | null }[];
}

export interface MaterialStatus {
	workOrderId: number;
	shortage: boolean;
	/** The day all its parts are expected; null when nothing is missing or the day is unknown. */
	readyOn: string | null;
	missing: MissingPart[];
}

export interface ItemShortage {
	itemId: number;
	/** Needed by the work orders considered, beyond their own reservations. */
	needed: number;
	free: number;
	missing: number;
	/** Missing and not on any order. */
	notOnOrder: number;
	onOrder: { id: number; number: string; qty: number; expectedOn: string | null }[];
	workOrders: { id: number; qty: number; expectedOn: string | null }[];
}

export interface MaterialResult {
	byWorkOrder: Map<number, MaterialStatus>;
	/** Items with something missing: those not (all) on order first, then by the work orders waiting. */
	items: ItemShortage[];
}

/** `demands` must be in scheduling priority order (compareWorkOrders). */
export function allocateMaterials(
	demands: readonly MaterialDemand[],
	supply: MaterialSupply,
	today: string
): MaterialResult {
	// An order already overdue is taken to arrive tomorrow at the earliest: not yet in the store.
	const tomorrow = addDays(today, 1);
	const free = new Map([...supply.free].map(([k, v]) => [k, Math.max(0, v)]));
	const lines = new Map<number, { line: PurchaseLine; left: number }[]>();
	for (const line of [...supply.purchases].sort(byExpected)) {
		if (line.openQty <= 0) continue;
		const list = lines.get(line.itemId) ?? [];
		list.push({ line, left: line.openQty });
		lines.set(line.itemId, list);
	}
	const items = new Map<number, ItemShortage>();
	const byWorkOrder = new Map<number, MaterialStatus>();

	for (const d of demands) {
		const missing: MissingPart[] = [];
		let unknown = false;
		let readyOn: string | null = null;
		for (const { itemId, qty } of mergeBom(d.bom)) {
			const need = qty - (d.reserved.get(itemId) ?? 0);
			if (need <= 0) continue;
			const item = items.get(itemId) ?? newItem(itemId, supply.free.get(itemId) ?? 0);
			items.set(itemId, item);
			item.needed += need;
			const fromStock = Math.min(need, free.get(itemId) ?? 0);
			free.set(itemId, (free.get(itemId) ?? 0) - fromStock);
			let short = need - fromStock;
			if (short === 0) continue;
			const part: MissingPart = { itemId, qty: short, expectedOn: null, purchaseOrders: [] };
			item.missing += short;
			let latest: string | null = null;
			let dated = true;
			for (const slot of lines.get(itemId) ?? []) {
				if (short === 0) break;
				if (slot.left === 0) continue;
				const take = Math.min(short, slot.left);
				slot.left -= take;
				short -= take;
				const expectedOn = slot.line.expectedOn;
				part.purchaseOrders.push({
					id: slot.line.purchaseOrderId,
					number: slot.line.number,
					qty: take,
					expectedOn
				});
				if (!expectedOn) dated = false;
				else if (!latest || expectedOn > latest) latest = expectedOn;
			}
			item.notOnOrder += short;
			part.expectedOn = short === 0 && dated && latest ? (latest < tomorrow ? tomorrow : latest) : null;
			if (part.expectedOn === null) unknown = true;
			else if (!readyOn || part.expectedOn > readyOn) readyOn = part.expectedOn;
			item.workOrders.push({ id: d.workOrderId, qty: part.qty, expectedOn: part.expectedOn });
			missing.push(part);
		}
		const shortage = missing.length > 0;
		byWorkOrder.set(d.workOrderId, {
			workOrderId: d.workOrderId,
			shortage,
			readyOn: shortage && !unknown ? readyOn : null,
			missing
		});
	}

	for (const item of items.values())
		for (const slot of lines.get(item.itemId) ?? [])
			item.onOrder.push({
				id: slot.line.purchaseOrderId,
				number: slot.line.number,
				qty: slot.line.openQty,
				expectedOn: slot.line.expectedOn
			});
	return {
		byWorkOrder,
		items: [...items.values()]
			.filter((i) => i.missing > 0)
			.sort((a, b) => b.missing - a.missing || a.itemId - b.itemId)
	};
}

function newItem(itemId: number, free: number): ItemShortage {
	return {
		itemId,
		needed: 0,
		free: Math.max(0, free),
		missing: 0,
		notOnOrder: 0,
		onOrder: [],
		workOrders: []
	};
}

/** A BOM may list an item twice (two lines of one part): one need per item. */
function mergeBom(bom: readonly BomLine[]): BomLine[] {
	const m = new Map<number, number>();
	for (const l of bom) if (l.qty > 0) m.set(l.itemId, (m.get(l.itemId) ?? 0) + l.qty);
	return [...m].map(([itemId, qty]) => ({ itemId, qty }));
}

/** Earliest expected first; lines without a day last. */
function byExpected(a: PurchaseLine, b: PurchaseLine): number {
	if (a.expectedOn === b.expectedOn) return a.purchaseOrderId - b.purchaseOrderId;
	if (a.expectedOn === null) return 1;
	if (b.expectedOn === null) return -1;
	return a.expectedOn < b.expectedOn ? -1 : 1;
}
