import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { schema, type Conn, type Tx } from '../db';
import { authorize, assertInScope, canSeeCompany, type Actor } from '../authz';
import { parseId, parseInput } from '../validate';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import type { NewEvent } from '../events/append';
import { restartIfChanged } from './approval-flow';
import { chinaToday, maxSuffix, nextNumber, orderEvent } from './order-common';
import { CHANGEABLE_STATUSES } from '../../domain/statuses';
import {
	isFinish,
	orderSchema,
	priceOrder,
	type CatalogModel,
	type OrderData
} from '../../domain/order-entry';
import { z } from 'zod';
import { m } from '../../paraglide/messages';
import type { Ctx } from './context';

const { orders, orderLines, customers, sites, companies, elevatorModels, modelOptions, numberCounters } =
	schema;

/** The catalog the entry form and the server check specs against: active models and their options. */
export async function loadCatalog(db: Conn): Promise<CatalogModel[]> {
	const [models, options] = await Promise.all([
		db.select().from(elevatorModels).orderBy(asc(elevatorModels.code)),
		db.select().from(modelOptions).orderBy(asc(modelOptions.modelId), asc(modelOptions.code))
	]);
	return models.map((mo) => ({
		id: mo.id,
		code: mo.code,
		name: mo.name,
		nameEn: mo.nameEn,
		kind: mo.kind,
		loadsKg: mo.loadsKg,
		speeds: mo.speeds,
		minStops: mo.minStops,
		maxStops: mo.maxStops,
		maxTravelM: mo.maxTravelM,
		doorTypes: mo.doorTypes,
		minDoorWidthMm: mo.minDoorWidthMm,
		maxDoorWidthMm: mo.maxDoorWidthMm,
		machineRoom: mo.machineRoom,
		machineRoomLess: mo.machineRoomLess,
		listPrice: mo.listPrice,
		pricePerStop: mo.pricePerStop,
		active: mo.active,
		options: options
			.filter((o) => o.modelId === mo.id)
			.map((o) => ({ code: o.code, name: o.name, nameEn: o.nameEn, price: o.price }))
	}));
}

/** The catalog for API clients and the import: every model, active or not. */
export async function catalog({ db, actor }: Ctx) {
	authorize(actor, 'catalog.read');
	return loadCatalog(db);
}

/** What the entry form needs: the catalog and the companies the user may order for. */
export async function entryOptions({ db, actor }: Ctx) {
	const a = authorize(actor, 'orders.write');
	const [catalog, companyRows] = await Promise.all([
		loadCatalog(db),
		db
			.select({ id: companies.id, code: companies.code, name: companies.name, nameEn: companies.nameEn })
			.from(companies)
			.where(inArray(companies.id, a.companyIds.length ? [...a.companyIds] : [-1]))
			.orderBy(asc(companies.id))
	]);
	return { catalog: catalog.filter((c) => c.active), companies: companyRows, today: chinaToday() };
}

/** Parses an order with the one schema the browser and the import use too. */
export async function parseOrder(
	db: Conn,
	a: Actor,
	input: unknown,
	catalog?: CatalogModel[]
): Promise<OrderData> {
	const models = catalog ?? (await loadCatalog(db));
	return parseInput(orderSchema(models, { locale: a.locale, today: chinaToday() }), input, a.locale);
}

/** A refusal on one field, as parseInput reports them. */
const invalid = (_a: Actor, path: string, message: string) =>
	new ValidationError(`${path}: ${message}`, [{ path, message }]);

/** The customer rule: in the actor's scope (a rep's own), and of the order's company. */
export function checkCustomer(
	a: Actor,
	c: { companyId: number; ownerId: number | null } | undefined,
	o: OrderData
) {
	if (!c || !canSeeCompany(a, c.companyId) || (a.scope === 'own' && c.ownerId !== a.id))
		throw invalid(a, 'customerId', m.order_customer_unknown({}, { locale: a.locale }));
	if (c.companyId !== o.companyId)
		throw invalid(a, 'customerId', m.order_customer_other_company({}, { locale: a.locale }));
}

/** The site rule: an existing site must be the customer's. */
export function checkSite(a: Actor, s: { customerId: number } | undefined, customerId: number) {
	if (!s || s.customerId !== customerId)
		throw invalid(a, 'siteId', m.order_site_unknown({}, { locale: a.locale }));
}

/**
 * Resolves the order's customer and site in the actor's scope, creating the new ones it names.
 * A rep ('own' scope) orders only for their own customers; a new customer is theirs.
 */
async function customerAndSite(tx: Tx, a: Actor, o: OrderData, companyCode: string) {
	let customerId = o.customerId ?? null;
	let returning = false;
	if (customerId) {
		const [c] = await tx
			.select({ id: customers.id, companyId: customers.companyId, ownerId: customers.ownerId })
			.from(customers)
			.where(eq(customers.id, customerId));
		checkCustomer(a, c, o);
		returning = true;
	} else {
		const n = o.newCustomer!;
		const prefix = `C-${companyCode}`;
		const code = await nextNumber(tx, prefix, maxSuffix(sql`code`, sql`customers`, prefix));
		const [c] = await tx
			.insert(customers)
			.values({
				companyId: o.companyId,
				code,
				name: n.name,
				kind: n.kind,
				phone: n.phone,
				city: n.city,
				ownerId: a.id
			})
			.returning({ id: customers.id });
		customerId = c.id;
	}
	let siteId = o.siteId ?? null;
	if (siteId) {
		const [s] = await tx.select({ customerId: sites.customerId }).from(sites).where(eq(sites.id, siteId));
		checkSite(a, s, customerId);
	} else if (o.newSite) {
		const [s] = await tx
			.insert(sites)
			.values({ customerId, ...o.newSite, lat: o.newSite.lat ?? null, lng: o.newSite.lng ?? null })
			.returning({ id: sites.id });
		siteId = s.id;
	}
	return { customerId, siteId, returning };
}

/** The order's row values and lines from parsed input and the catalog's prices. */
export function orderValues(o: OrderData, catalog: CatalogModel[]) {
	const totals = priceOrder(o, catalog);
	const lines = o.lines.map((l, i) => ({
		lineNo: i + 1,
		modelId: l.modelId,
		qty: l.qty,
		loadKg: l.loadKg,
		speed: l.speed,
		stops: l.stops,
		travelM: l.travelM,
		doorType: l.doorType,
		doorWidthMm: l.doorWidthMm,
		machineRoom: l.machineRoom,
		finish: l.finish ?? null,
		// The stored list holds the finish too, as the seed and production read it.
		optionCodes: [...(l.finish ? [l.finish] : []), ...l.optionCodes.filter((c) => !isFinish(c))],
		specialRequirements: l.specialRequirements ?? null,
		unitPrice: totals.lines[i].unitPrice,
		lineAmount: totals.lines[i].lineAmount
	}));
	return {
		header: {
			priority: o.priority,
			deliveryDate: o.deliveryDate,
			paymentTerms: o.paymentTerms ?? null,
			discountBp: o.discountBp,
			taxRateBp: o.taxRateBp,
			notes: o.notes ?? null,
			subtotal: totals.subtotal,
			discountAmount: totals.discountAmount,
			taxAmount: totals.taxAmount,
			totalAmount: totals.totalAmount,
			unitCount: totals.unitCount
		},
		lines
	};
}

/** The company rule: one granted to the actor; answers its code. */
export function checkCompany(a: Actor, codeOf: ReadonlyMap<number, string>, o: OrderData): string {
	if (!canSeeCompany(a, o.companyId) || !codeOf.has(o.companyId))
		throw invalid(a, 'companyId', m.order_company_not_granted({}, { locale: a.locale }));
	return codeOf.get(o.companyId)!;
}

/**
 * Inserts parsed orders for the actor in the caller's transaction; the import commits many at
 * once through this, the entry form one. Returns the new ids and numbers in input order.
 */
export async function insertOrders(
	tx: Tx,
	a: Actor,
	parsed: OrderData[],
	catalog: CatalogModel[],
	emit: (e: NewEvent) => Promise<number>
): Promise<{ id: number; number: string }[]> {
	const companyRows = await tx.select({ id: companies.id, code: companies.code }).from(companies);
	const codeOf = new Map(companyRows.map((c) => [c.id, c.code]));
	const today = chinaToday();
	const out: { id: number; number: string }[] = [];
	for (const o of parsed) {
		const companyCode = checkCompany(a, codeOf, o);
		const { customerId, siteId } = await customerAndSite(tx, a, o, companyCode);
		const prefix = `SO-${companyCode}-${today.slice(0, 4)}`;
		const number = await nextNumber(tx, prefix, maxSuffix(sql`number`, sql`orders`, prefix));
		const { header, lines } = orderValues(o, catalog);
		const [row] = await tx
			.insert(orders)
			.values({
				companyId: o.companyId,
				number,
				customerId,
				siteId,
				salesRepId: a.id,
				orderDate: today,
				externalRef: o.externalRef ?? null,
				...header,
				searchText: sql`lower(${number} || ' ' || (select name from customers where id = ${customerId}) || ' ' || coalesce((select city from sites where id = ${siteId}), ''))`
			})
			.returning({ id: orders.id });
		await tx.insert(orderLines).values(lines.map((l) => ({ ...l, orderId: row.id })));
		await emit(await orderEvent(tx, row.id, 'order.created', a.id));
		out.push({ id: row.id, number });
	}
	return out;
}

/** A new draft order from the entry form or the API. */
export async function createOrder({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'orders.write');
	const catalog = await loadCatalog(db);
	const o = await parseOrder(db, a, input, catalog);
	return runCommand(db, async (tx, emit) => (await insertOrders(tx, a, [o], catalog, emit))[0]);
}

/** Statuses in which the rep may still edit the order; editing an order in approval restarts it. */
export const EDITABLE = ['draft', 'submitted', 'in_approval', 'rejected'] as const;

const versionInput = z.object({ version: z.coerce.number().int().min(1).max(2_147_483_647) });

/**
 * Saves the rep's edit of an order they read at `version`. The lines are replaced; a change of
 * price, discount or specs while the order is in approval sends it back to the start (the
 * approval service decides that from the snapshot), so nobody approves what they did not see.
 */
export async function updateOrder({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'orders.write');
	const id = parseId(rawId, a.locale);
	const { version } = parseInput(versionInput, input, a.locale);
	const catalog = await loadCatalog(db);
	const o = await parseOrder(db, a, input, catalog);
	return runCommand(db, async (tx, emit) => {
		const [current] = await tx.select().from(orders).where(eq(orders.id, id)).for('update');
		assertInScope(a, current, current?.salesRepId);
		if (current.version !== version) throw new ConflictError('stale version', current);
		if (!(EDITABLE as readonly string[]).includes(current.status))
			throw new ConflictError(`order is ${current.status}`, current);
		if (o.companyId !== current.companyId)
			throw invalid(a, 'companyId', m.order_company_fixed({}, { locale: a.locale }));
		const [company] = await tx
			.select({ code: companies.code })
			.from(companies)
			.where(eq(companies.id, current.companyId));
		const { customerId, siteId } = await customerAndSite(tx, a, o, company.code);
		const { header, lines } = orderValues(o, catalog);
		await tx
			.update(orders)
			.set({
				...header,
				customerId,
				siteId,
				status: current.status === 'rejected' ? 'draft' : current.status,
				version: sql`${orders.version} + 1`,
				updatedAt: sql`now()`,
				searchText: sql`lower(${current.number} || ' ' || (select name from customers where id = ${customerId}) || ' ' || coalesce((select city from sites where id = ${siteId}), ''))`
			})
			.where(eq(orders.id, id));
		await tx.delete(orderLines).where(eq(orderLines.orderId, id));
		await tx.insert(orderLines).values(lines.map((l) => ({ ...l, orderId: id })));
		await emit(await orderEvent(tx, id, 'order.updated', a.id));
		const restarted = await restartIfChanged(tx, a, id, emit);
		return { id, number: current.number, restarted };
	});
}

/**
 * An order as the entry form edits it: header, customer, site and lines in input shape. With
 * `change`, an approved order, whose edit becomes a change request.
 */
export async function orderForEdit({ db, actor }: Ctx, rawId: unknown, change = false) {
	const a = authorize(actor, 'orders.write');
	const id = parseId(rawId, a.locale);
	const [o] = await db.select().from(orders).where(eq(orders.id, id));
	assertInScope(a, o, o?.salesRepId);
	const allowed: readonly string[] = change ? CHANGEABLE_STATUSES : EDITABLE;
	if (!allowed.includes(o.status)) throw new NotFoundError();
	const [lines, [customer]] = await Promise.all([
		db.select().from(orderLines).where(eq(orderLines.orderId, id)).orderBy(asc(orderLines.lineNo)),
		db
			.select({ id: customers.id, name: customers.name, code: customers.code })
			.from(customers)
			.where(and(eq(customers.id, o.customerId)))
	]);
	return {
		id: o.id,
		number: o.number,
		status: o.status,
		version: o.version,
		customer,
		input: {
			companyId: o.companyId,
			customerId: o.customerId,
			siteId: o.siteId,
			priority: o.priority,
			deliveryDate: o.deliveryDate ?? '',
			paymentTerms: o.paymentTerms ?? '',
			discountBp: o.discountBp,
			taxRateBp: o.taxRateBp,
			notes: o.notes ?? '',
			lines: lines.map((l) => ({
				modelId: l.modelId,
				qty: l.qty,
				loadKg: l.loadKg,
				speed: l.speed,
				stops: l.stops,
				travelM: l.travelM,
				doorType: l.doorType as 'center',
				doorWidthMm: l.doorWidthMm,
				machineRoom: l.machineRoom,
				finish: l.finish,
				optionCodes: l.optionCodes.filter((c) => !isFinish(c)),
				specialRequirements: l.specialRequirements ?? ''
			}))
		}
	};
}

/** Sites of a customer in scope, for the entry form's site picker. */
export async function customerSites({ db, actor }: Ctx, rawId: unknown) {
	const a = authorize(actor, 'orders.write');
	const id = parseId(rawId, a.locale);
	const [c] = await db
		.select({ companyId: customers.companyId, ownerId: customers.ownerId })
		.from(customers)
		.where(eq(customers.id, id));
	assertInScope(a, c, c?.ownerId);
	return db
		.select({
			id: sites.id,
			name: sites.name,
			province: sites.province,
			city: sites.city,
			address: sites.address,
			lat: sites.lat,
			lng: sites.lng
		})
		.from(sites)
		.where(eq(sites.customerId, id))
		.orderBy(asc(sites.name));
}
