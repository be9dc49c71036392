import { z } from 'zod';
import { aliasedTable, and, eq, inArray, sql } from 'drizzle-orm';
import QRCode from 'qrcode';
import { schema, type Db } from '../db';
import { assertInScope, scopeFilter, type Actor } from '../authz';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { parseId, parseInput, trimmed } from '../validate';
import { currentCursor } from '../realtime/stream';
import { parseScan, unitScanCode } from '../../domain/scan';
import type { Permission } from '../../domain/permissions';
import { chinaToday } from './order-common';
import { sortEntries } from './unit-history-entries';
import { orderAndUnitEntries, productionEntries, type UnitRef } from './unit-history-rows';
import { installationEntries } from './unit-history-installation';
import { serviceEntries } from './unit-history-service';
import type { Ctx } from './context';

const { units, orders, orderLines, elevatorModels, customers, sites, companies, users } = schema;
const { maintenancePlans, workOrders } = schema;

/**
 * A unit's whole life on one page: who reads installation, service or orders may see it (a
 * technician on site, a dispatcher, the rep). Scope as everywhere: the unit's company must be
 * granted, and an 'own'-scoped rep sees only the units of their own orders.
 */
export const UNIT_READERS: readonly Permission[] = ['service.read', 'installation.read', 'orders.read'];

function authorizeUnitReader(actor: Actor | null | undefined): Actor {
	if (!actor) throw new UnauthenticatedError();
	if (!UNIT_READERS.some((p) => actor.permissions.has(p))) throw new ForbiddenError();
	return actor;
}

/** The header: serial, model and specs, customer, site, order, company, maintenance plan. */
async function unitHeader(db: Db, id: number) {
	const rep = aliasedTable(users, 'rep');
	const [row] = await db
		.select({
			id: units.id,
			companyId: units.companyId,
			serialNo: units.serialNo,
			status: units.status,
			handedOverOn: units.handedOverOn,
			createdAt: units.createdAt,
			company: { code: companies.code, name: companies.name, nameEn: companies.nameEn },
			model: {
				code: elevatorModels.code,
				name: elevatorModels.name,
				nameEn: elevatorModels.nameEn,
				kind: elevatorModels.kind
			},
			specs: {
				loadKg: orderLines.loadKg,
				speed: orderLines.speed,
				stops: orderLines.stops,
				travelM: orderLines.travelM,
				doorType: orderLines.doorType,
				doorWidthMm: orderLines.doorWidthMm,
				machineRoom: orderLines.machineRoom,
				finish: orderLines.finish,
				optionCodes: orderLines.optionCodes
			},
			order: {
				id: orders.id,
				number: orders.number,
				status: orders.status,
				orderDate: orders.orderDate,
				deliveryDate: orders.deliveryDate,
				salesRepId: orders.salesRepId,
				salesRepName: rep.displayName
			},
			customer: { id: customers.id, code: customers.code, name: customers.name, phone: customers.phone },
			site: {
				id: sites.id,
				name: sites.name,
				province: sites.province,
				city: sites.city,
				district: sites.district,
				address: sites.address,
				lat: sites.lat,
				lng: sites.lng
			}
		})
		.from(units)
		.innerJoin(orders, eq(orders.id, units.orderId))
		.innerJoin(orderLines, eq(orderLines.id, units.lineId))
		.innerJoin(elevatorModels, eq(elevatorModels.id, units.modelId))
		.innerJoin(customers, eq(customers.id, orders.customerId))
		.innerJoin(companies, eq(companies.id, units.companyId))
		.innerJoin(rep, eq(rep.id, orders.salesRepId))
		// The unit's own site, else its order's: a unit is installed where its order says.
		.leftJoin(sites, sql`${sites.id} = coalesce(${units.siteId}, ${orders.siteId})`)
		.where(eq(units.id, id));
	return row;
}

/** Every source of the unit's life, read side by side and merged into one timeline. */
async function unitEntries(db: Db, ref: UnitRef, now: Date) {
	const [orderPart, prod, svc] = await Promise.all([
		orderAndUnitEntries(db, ref),
		productionEntries(db, ref),
		serviceEntries(db, ref, now)
	]);
	const handoverEvent = orderPart.some((e) => e.source === 'unit' && e.kind === 'handover');
	const inst = await installationEntries(db, ref, handoverEvent);
	return {
		entries: sortEntries([...orderPart, ...prod.entries, ...inst.entries, ...svc.entries]),
		counts: svc.counts,
		jobIds: inst.jobIds,
		workOrderIds: prod.workOrderIds
	};
}

/**
 * Everything the unit page shows, oldest entry first (the page flips it). `cursor` is the stream
 * position the data was read at, so the page's live reload misses nothing written meanwhile.
 */
export async function unitHistory({ db, actor }: Ctx, rawId: unknown, now = new Date()) {
	const a = authorizeUnitReader(actor);
	const id = parseId(rawId, a.locale);
	const cursor = await currentCursor(db);
	const head = await unitHeader(db, id);
	assertInScope(a, head, head?.order.salesRepId);
	const [[plan], life] = await Promise.all([
		db
			.select({
				id: maintenancePlans.id,
				intervalDays: maintenancePlans.intervalDays,
				nextDueOn: maintenancePlans.nextDueOn,
				generatedThrough: maintenancePlans.generatedThrough,
				active: maintenancePlans.active
			})
			.from(maintenancePlans)
			.where(eq(maintenancePlans.unitId, id)),
		unitEntries(
			db,
			{ unitId: id, orderId: head.order.id, orderNumber: head.order.number, handedOverOn: head.handedOverOn },
			now
		)
	]);
	const { salesRepId: _rep, ...order } = head.order;
	const perm = (p: Permission) => a.permissions.has(p);
	return {
		unit: {
			id: head.id,
			companyId: head.companyId,
			serialNo: head.serialNo,
			status: head.status,
			handedOverOn: head.handedOverOn,
			scanCode: unitScanCode(head.serialNo)
		},
		company: head.company,
		model: head.model,
		specs: head.specs,
		order,
		customer: head.customer,
		site: head.site?.id ? head.site : null,
		plan: plan
			? { ...plan, active: plan.active === 1, overdue: plan.active === 1 && plan.nextDueOn < chinaToday(now) }
			: null,
		counts: life.counts,
		entries: life.entries,
		jobIds: life.jobIds,
		workOrderIds: life.workOrderIds,
		/** Which linked pages the reader may open. */
		may: {
			order: perm('orders.read'),
			production: perm('production.read'),
			installation: perm('installation.read'),
			service: perm('service.read')
		},
		cursor
	};
}
export type UnitHistory = Awaited<ReturnType<typeof unitHistory>>;

/** The QR code printed on the controller's label and the page: `EOU:<serial>`, as SVG markup. */
export function unitQrSvg(serialNo: string): Promise<string> {
	return QRCode.toString(unitScanCode(serialNo), { type: 'svg', margin: 4, errorCorrectionLevel: 'M' });
}

const scanInput = z.object({ code: trimmed(1, 80) });

/**
 * What a scan or a typed code names: `EOU:<serial>` (the controller's QR), a bare serial, or a
 * job card's work order (`EOJ:…`, its unit). Null when no unit the reader may see matches, so
 * another company's serial reads exactly like an unknown one.
 */
export async function unitIdByCode({ db, actor }: Ctx, input: unknown): Promise<number | null> {
	const a = authorizeUnitReader(actor);
	const { code } = parseInput(scanInput, input, a.locale);
	const scan = parseScan(code);
	const visible = scopeFilter(a, units.companyId, orders.salesRepId);
	if (scan.kind === 'job') {
		const [row] = await db
			.select({ id: units.id })
			.from(workOrders)
			.innerJoin(units, eq(units.id, workOrders.unitId))
			.innerJoin(orders, eq(orders.id, units.orderId))
			.where(and(eq(workOrders.number, scan.number), visible));
		if (row) return row.id;
	}
	const serial = scan.kind === 'unit' ? scan.serial : code;
	// Exact first (the unique index); serials typed in another case are found too.
	for (const match of [
		inArray(units.serialNo, [...new Set([serial, serial.toUpperCase()])]),
		sql`upper(${units.serialNo}) = ${serial.toUpperCase()}`
	]) {
		const [row] = await db
			.select({ id: units.id })
			.from(units)
			.innerJoin(orders, eq(orders.id, units.orderId))
			.where(and(match, visible))
			.limit(1);
		if (row) return row.id;
	}
	return null;
}

// Re-exported for the page and tests that only need the entry types.
export type { LifeEntry, LifeKind } from './unit-history-entries';
export { LIFE_KINDS } from './unit-history-entries';
