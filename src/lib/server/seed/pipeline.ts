import { schema } from '../db';
import { seedApprovalFlow } from './approval-flow';
import type { SeedCtx } from './context';
import { orderEvents, insertEvents, type EventRow } from './events';
import { seedFinance } from './finance';
import { insertInstallation, planInstallation } from './install';
import { buildOrder, PAYMENT_TERMS, type BuiltOrder, type Skeleton } from './orders';
import { insertProduction, planProduction } from './production';
import { seedService } from './service';

/** Orders per round: bounded memory, and progress to report. */
const CHUNK = 2500;

const NOTES = [
	'客户要求节假日前完成安装',
	'需配合总包单位施工计划',
	'井道为钢结构，需现场复核尺寸',
	'含五年免费维保',
	'投标项目，价格已锁定'
];

/**
 * Writes the orders chunk by chunk, each with everything that hangs off it. Every chunk draws
 * from streams forked by its position, so the data does not depend on timing or the driver.
 */
export async function seedOrders(ctx: SeedCtx, skeletons: Skeleton[]): Promise<void> {
	const events: EventRow[] = [];
	let previous: Promise<void> = Promise.resolve();
	for (let start = 0; start < skeletons.length; start += CHUNK) {
		const fork = (part: string) => ctx.rng.fork(`${part}:${start}`);
		const rng = fork('orders');
		const built = skeletons.slice(start, start + CHUNK).map((sk) => buildOrder(ctx, rng, sk));
		// Plans that decide unit statuses come before the units are written.
		const production = planProduction(ctx, fork('production'), built);
		const installation = planInstallation(ctx, fork('installation'), built);
		insertOrders(ctx, fork('order-rows'), built);
		seedApprovalFlow(ctx, fork('approvals'), built);
		insertProduction(ctx, production);
		insertInstallation(ctx, installation);
		insertChanges(
			ctx,
			production.filter((p) => p.row.changeFlag).map((p) => p.order),
			built
		);
		seedService(ctx, fork('service'), built);
		seedFinance(ctx, fork('finance'), built);
		orderEvents(ctx, built, events);
		// The database works on this chunk while the next one is generated; wait for the one
		// before, so at most two chunks are in memory.
		const current = ctx.load.cut();
		await previous;
		if (start > 0) ctx.log(`orders ${start}/${skeletons.length} written`);
		previous = current;
	}
	await previous;
	ctx.log(`orders ${skeletons.length}/${skeletons.length} written`);
	insertEvents(ctx, events);
}

function insertOrders(ctx: SeedCtx, rng: ReturnType<SeedCtx['rng']['fork']>, orders: BuiltOrder[]): void {
	const ids = ctx.load.insert(
		schema.orders,
		orders.map((o) => ({
			companyId: o.sk.company.id,
			number: o.sk.number,
			customerId: o.sk.customer.id,
			siteId: o.sk.site.id,
			salesRepId: o.salesRepId,
			status: o.sk.status,
			priority: o.sk.urgent ? ('urgent' as const) : ('normal' as const),
			orderDate: o.sk.orderDate,
			deliveryDate: o.deliveryDate,
			paymentTerms: rng.pick(PAYMENT_TERMS),
			discountBp: o.discountBp,
			taxRateBp: 1300,
			subtotal: o.subtotal,
			discountAmount: o.discountAmount,
			taxAmount: o.taxAmount,
			totalAmount: o.totalAmount,
			unitCount: o.units.length,
			notes: rng.chance(0.15) ? rng.pick(NOTES) : null,
			// What the list's search box matches: number, customer and city, lower-cased.
			searchText: `${o.sk.number} ${o.sk.customer.name} ${o.sk.site.cityName}`.toLowerCase(),
			submittedAt: o.t.submittedAt,
			approvedAt: o.t.approvedAt,
			closedAt: o.t.closedAt,
			createdAt: o.sk.createdAt,
			updatedAt: o.updatedAt
		}))
	);
	orders.forEach((o, i) => (o.id = ids[i]));
	const lines = orders.flatMap((o) => o.lines.map((l) => ({ o, l })));
	const lineIds = ctx.load.insert(
		schema.orderLines,
		lines.map(({ o, l }) => ({
			orderId: o.id!,
			lineNo: l.lineNo,
			modelId: l.model.id,
			qty: l.qty,
			loadKg: l.loadKg,
			speed: l.speed,
			stops: l.stops,
			travelM: l.travelM,
			doorType: l.doorType,
			doorWidthMm: l.doorWidthMm,
			machineRoom: l.machineRoom,
			finish: l.finish,
			optionCodes: l.optionCodes,
			unitPrice: l.unitPrice,
			lineAmount: l.lineAmount,
			createdAt: o.sk.createdAt,
			updatedAt: o.sk.createdAt
		}))
	);
	lines.forEach(({ l }, i) => (l.id = lineIds[i]));
	const units = orders.flatMap((o) => o.units.map((u) => ({ o, u })));
	const unitIds = ctx.load.insert(
		schema.units,
		units.map(({ o, u }) => ({
			companyId: o.sk.company.id,
			orderId: o.id!,
			lineId: u.line.id!,
			siteId: o.sk.site.id,
			serialNo: u.serialNo,
			modelId: u.line.model.id,
			status: u.status,
			handedOverOn: u.handedOverOn,
			createdAt: o.sk.createdAt,
			updatedAt: o.updatedAt
		}))
	);
	units.forEach(({ u }, i) => (u.id = unitIds[i]));
	ctx.counts.orders += orders.length;
	ctx.counts.orderLines += lines.length;
	ctx.counts.units += units.length;
}

/** Pending change requests on orders in production, and a few cancellation requests. */
function insertChanges(ctx: SeedCtx, changed: BuiltOrder[], orders: BuiltOrder[]): void {
	const rows: (typeof schema.orderChanges.$inferInsert)[] = [];
	const at = ctx.clock.hoursFromNow(-5);
	for (const o of new Set(changed)) {
		const line = o.lines[0];
		const wider = line.doorWidthMm + 100 <= line.model.def.maxDoorWidthMm;
		const width = line.doorWidthMm + (wider ? 100 : -100);
		rows.push({
			companyId: o.sk.company.id,
			orderId: o.id!,
			kind: 'change',
			status: 'pending',
			reason: `客户要求将门宽由 ${line.doorWidthMm} mm 改为 ${width} mm`,
			before: { lineNo: 1, doorWidthMm: line.doorWidthMm },
			after: { lineNo: 1, doorWidthMm: width },
			requestedById: o.salesRepId,
			createdAt: at,
			updatedAt: at
		});
	}
	for (const o of orders)
		if (o.detail && o.sk.status === 'approved' && o.sk.index % 17 === 0)
			rows.push({
				companyId: o.sk.company.id,
				orderId: o.id!,
				kind: 'cancel',
				status: 'pending',
				reason: '项目暂停，客户申请取消订单',
				before: { status: 'approved', totalAmount: o.totalAmount },
				after: { status: 'cancelled' },
				requestedById: o.salesRepId,
				createdAt: at,
				updatedAt: at
			});
	ctx.load.add(schema.orderChanges, rows);
}
