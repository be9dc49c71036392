import { inArray, sql, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { rows, schema, type Tx } from '../db';
import { insertStatements } from '../seed/bulk';
import type { Actor } from '../authz';
import type { NewEvent } from '../events/append';
import { chinaToday, maxSuffix, nextNumbers, orderEvents } from './order-common';
import { checkCompany, checkCustomer, checkSite, orderValues } from './order-entry';
import type { CatalogModel, OrderData } from '../../domain/order-entry';

/**
 * `insertOrders` for many orders at once (the spreadsheet import): the same rules (checkCompany,
 * checkCustomer, checkSite) and the same row values (orderValues), but a fixed number of round
 * trips instead of several per order: customers and sites are read once, numbers are taken per
 * company in one counter update, and rows go in as multi-row inserts. Same result as calling
 * insertOrders with the same list; returns ids and numbers in input order.
 */

const { orders, orderLines, customers, sites, companies, events } = schema;
const CHUNK = 500;

async function inChunks<T, R>(items: T[], fn: (part: T[]) => Promise<R[]>): Promise<R[]> {
	const out: R[] = [];
	for (let i = 0; i < items.length; i += CHUNK) out.push(...(await fn(items.slice(i, i + CHUNK))));
	return out;
}

/** Rows as one JSON parameter per statement (the seed's insertStatements), optionally RETURNING. */
async function insertMany<R = never>(
	tx: Tx,
	table: PgTable,
	data: Record<string, unknown>[],
	returning?: SQL
): Promise<R[]> {
	const out: R[] = [];
	for (const q of insertStatements(table, data as never))
		out.push(...(await rows<R>(tx, returning ? sql`${q} ${returning}` : q)));
	return out;
}

const groupBy = <T>(items: T[], key: (t: T) => number) => {
	const out = new Map<number, T[]>();
	for (const t of items) out.set(key(t), [...(out.get(key(t)) ?? []), t]);
	return out;
};

export async function insertOrdersBatch(
	tx: Tx,
	a: Actor,
	parsed: OrderData[],
	catalog: CatalogModel[],
	emit: (e: NewEvent) => Promise<number>
): Promise<{ id: number; number: string }[]> {
	if (parsed.length === 0) return [];
	const companyRows = await tx.select({ id: companies.id, code: companies.code }).from(companies);
	const codeOf = new Map(companyRows.map((c) => [c.id, c.code]));
	for (const o of parsed) checkCompany(a, codeOf, o);

	// Existing customers and sites, read once and checked with the entry form's rules.
	const customerIds = [...new Set(parsed.map((o) => o.customerId).filter((x): x is number => !!x))];
	const siteIds = [...new Set(parsed.map((o) => o.siteId).filter((x): x is number => !!x))];
	const known = new Map(
		(
			await inChunks(customerIds, (part) =>
				tx
					.select({
						id: customers.id,
						companyId: customers.companyId,
						ownerId: customers.ownerId,
						name: customers.name
					})
					.from(customers)
					.where(inArray(customers.id, part))
			)
		).map((c) => [c.id, c])
	);
	const knownSites = new Map(
		(
			await inChunks(siteIds, (part) =>
				tx
					.select({ id: sites.id, customerId: sites.customerId, city: sites.city })
					.from(sites)
					.where(inArray(sites.id, part))
			)
		).map((s) => [s.id, s])
	);

	// New customers: codes per company from one counter update, then one insert per chunk.
	const customerOf: number[] = [];
	const nameOf: string[] = [];
	const fresh = parsed.map((o, i) => ({ o, i })).filter(({ o }) => !o.customerId);
	for (const [companyId, group] of groupBy(fresh, ({ o }) => o.companyId)) {
		const prefix = `C-${codeOf.get(companyId)}`;
		const codes = await nextNumbers(tx, prefix, maxSuffix(sql`code`, sql`customers`, prefix), group.length);
		const made = await inChunks(
			group.map((g, k) => ({ g, code: codes[k] })),
			(part) =>
				tx
					.insert(customers)
					.values(
						part.map(({ g: { o }, code }) => ({
							companyId,
							code,
							name: o.newCustomer!.name,
							kind: o.newCustomer!.kind,
							phone: o.newCustomer!.phone,
							city: o.newCustomer!.city,
							ownerId: a.id
						}))
					)
					.returning({ id: customers.id, code: customers.code })
		);
		const idByCode = new Map(made.map((c) => [c.code, c.id]));
		group.forEach(({ o, i }, k) => {
			customerOf[i] = idByCode.get(codes[k])!;
			nameOf[i] = o.newCustomer!.name;
		});
	}
	parsed.forEach((o, i) => {
		if (!o.customerId) return;
		const c = known.get(o.customerId);
		checkCustomer(a, c, o);
		customerOf[i] = o.customerId;
		nameOf[i] = c!.name;
	});

	// Sites: existing ones checked, new ones inserted (RETURNING keeps the VALUES order).
	const siteOf: (number | null)[] = parsed.map(() => null);
	const cityOf: (string | null)[] = parsed.map(() => null);
	parsed.forEach((o, i) => {
		if (!o.siteId) return;
		const s = knownSites.get(o.siteId);
		checkSite(a, s, customerOf[i]);
		siteOf[i] = o.siteId;
		cityOf[i] = s!.city;
	});
	const newSites = parsed.map((o, i) => ({ o, i })).filter(({ o }) => !o.siteId && o.newSite);
	const madeSites = await inChunks(newSites, (part) =>
		tx
			.insert(sites)
			.values(
				part.map(({ o, i }) => ({
					customerId: customerOf[i],
					...o.newSite!,
					lat: o.newSite!.lat ?? null,
					lng: o.newSite!.lng ?? null
				}))
			)
			.returning({ id: sites.id, customerId: sites.customerId })
	);
	newSites.forEach(({ o, i }, k) => {
		if (madeSites[k].customerId !== customerOf[i]) throw new Error('site insert returned rows out of order');
		siteOf[i] = madeSites[k].id;
		cityOf[i] = o.newSite!.city;
	});

	// Order numbers per company, then the orders and their lines.
	const today = chinaToday();
	const numberOf: string[] = [];
	for (const [companyId, group] of groupBy(
		parsed.map((o, i) => ({ o, i })),
		({ o }) => o.companyId
	)) {
		const prefix = `SO-${codeOf.get(companyId)}-${today.slice(0, 4)}`;
		const numbers = await nextNumbers(tx, prefix, maxSuffix(sql`number`, sql`orders`, prefix), group.length);
		group.forEach(({ i }, k) => (numberOf[i] = numbers[k]));
	}
	const values = parsed.map((o, i) => ({ o, i, ...orderValues(o, catalog) }));
	const made = await insertMany<{ id: number; number: string }>(
		tx,
		orders,
		values.map(({ o, i, header }) => ({
			companyId: o.companyId,
			number: numberOf[i],
			customerId: customerOf[i],
			siteId: siteOf[i],
			salesRepId: a.id,
			orderDate: today,
			externalRef: o.externalRef ?? null,
			...header,
			// What insertOrders' lower(number || ' ' || customer name || ' ' || coalesce(city, '')) gives.
			searchText: `${numberOf[i]} ${nameOf[i]} ${cityOf[i] ?? ''}`.toLowerCase()
		})),
		sql`returning id, number`
	);
	const idByNumber = new Map(made.map((r) => [r.number, Number(r.id)]));
	const out = parsed.map((_, i) => ({ id: idByNumber.get(numberOf[i])!, number: numberOf[i] }));
	await insertMany(
		tx,
		orderLines,
		values.flatMap(({ i, lines }) => lines.map((l) => ({ ...l, orderId: out[i].id })))
	);

	// One event per order, as insertOrders appends them; the first through emit, so the commit wakes the live tail.
	const news = (
		await inChunks(
			out.map((o) => o.id),
			(part) => orderEvents(tx, part, 'order.created', a.id)
		)
	).map((e) => ({ ...e, ownerId: e.ownerId ?? null }));
	await emit(news[0]);
	await insertMany(tx, events, news.slice(1));
	return out;
}
