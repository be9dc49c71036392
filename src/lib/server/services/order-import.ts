import { and, eq, inArray, sql } from 'drizzle-orm';
import { schema, type Conn, type Tx } from '../db';
import { authorize, canSeeCompany, type Actor } from '../authz';
import { ConflictError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { chinaToday } from './order-common';
import { loadCatalog } from './order-entry';
import { insertOrdersBatch } from './order-insert-batch';
import { readSheet, type Sheet } from './order-import-file';
import { m } from '../../paraglide/messages';
import { orderSchema, priceOrder, type CatalogModel, type OrderData } from '../../domain/order-entry';
import {
	checkOrder,
	groupRows,
	mapHeaders,
	mapOrder,
	type CellIssue,
	type HeaderMap,
	type ImportLookups,
	type SheetRow
} from '../../domain/order-import';
import type { Ctx } from './context';

/**
 * Spreadsheet import of orders: `previewImport` reads the file and checks every order with the
 * one order schema; `commitImport` does the same again (it never trusts an earlier preview) and,
 * only when no cell is wrong, inserts every new order in one transaction (insertOrdersBatch: the
 * rules of insertOrders with a fixed number of round trips). An external reference
 * already imported for the company is skipped, so uploading the same file twice creates nothing
 * twice, also when both uploads commit at the same moment.
 */

const { orders, customers, sites, companies } = schema;

export interface PreviewOrder {
	ref: string;
	rows: number[];
	status: 'ok' | 'invalid' | 'exists';
	lines: number;
	units: number;
	/** Total in fen (tax included), for orders that parse. */
	totalAmount: number | null;
	/** The order made by an earlier import of this reference (id and number only when in scope). */
	existing?: { id: number | null; number: string | null };
}

export interface ImportPreview {
	filename: string;
	format: Sheet['format'];
	headers: string[];
	rows: SheetRow[];
	issues: CellIssue[];
	orders: PreviewOrder[];
	totals: {
		rows: number;
		orders: number;
		ready: number;
		existing: number;
		invalid: number;
		lines: number;
		units: number;
		amount: number;
		errors: number;
	};
}

interface Plan {
	preview: ImportPreview;
	ready: { ref: string; companyId: number; data: OrderData }[];
	catalog: CatalogModel[];
	companyIds: number[];
}

const CHUNK = 5000;
async function chunked<T, R>(items: T[], fn: (part: T[]) => Promise<R[]>): Promise<R[]> {
	const out: R[] = [];
	for (let i = 0; i < items.length; i += CHUNK) out.push(...(await fn(items.slice(i, i + CHUNK))));
	return out;
}

const distinct = (sheet: Sheet, header: HeaderMap, key: 'customerCode' | 'externalRef') => {
	const at = header.columns[key]?.index;
	if (at === undefined) return [];
	return [...new Set(sheet.rows.map((r) => (r.cells[at] ?? '').trim()).filter(Boolean))];
};

/** Companies, customers and sites the file names, limited to the actor's scope, loaded once. */
async function loadLookups(
	db: Conn,
	a: Actor,
	sheet: Sheet,
	header: HeaderMap,
	catalog: CatalogModel[]
): Promise<ImportLookups> {
	const granted = a.companyIds.length ? [...a.companyIds] : [-1];
	const companyRows = await db
		.select({ id: companies.id, code: companies.code })
		.from(companies)
		.where(inArray(companies.id, granted));
	const codes = distinct(sheet, header, 'customerCode');
	const customerRows = await chunked(codes, (part) =>
		db
			.select({ id: customers.id, companyId: customers.companyId, code: customers.code })
			.from(customers)
			.where(
				and(
					inArray(customers.code, part),
					inArray(customers.companyId, granted),
					a.scope === 'own' ? eq(customers.ownerId, a.id) : undefined
				)
			)
	);
	const siteRows = await chunked(
		customerRows.map((c) => c.id),
		(part) =>
			db
				.select({ id: sites.id, customerId: sites.customerId, name: sites.name })
				.from(sites)
				.where(inArray(sites.customerId, part))
				.orderBy(sites.id)
	);
	const companyByCode = new Map(companyRows.map((c) => [c.code.toUpperCase(), c.id]));
	const customerByCode = new Map(
		customerRows.map((c) => [`${c.companyId}\u0000${c.code.toUpperCase()}`, c.id])
	);
	const siteByName = new Map<string, number>();
	for (const s of siteRows) {
		const k = `${s.customerId}\u0000${s.name.trim()}`;
		if (!siteByName.has(k)) siteByName.set(k, s.id);
	}
	const modelByCode = new Map(catalog.map((x) => [x.code.toUpperCase(), x]));
	return {
		companyId: (code) => companyByCode.get(code.trim().toUpperCase()),
		customerId: (companyId, code) => customerByCode.get(`${companyId}\u0000${code.trim().toUpperCase()}`),
		siteId: (customerId, name) => siteByName.get(`${customerId}\u0000${name.trim()}`),
		model: (code) => modelByCode.get(code.trim().toUpperCase())
	};
}

type Existing = Map<string, { id: number; number: string; companyId: number; salesRepId: number | null }>;
const refKey = (companyId: number, ref: string) => `${companyId}\u0000${ref}`;

/** Orders that already carry one of the file's references, whoever made them (the index is per company). */
async function existingRefs(db: Conn, refs: string[], companyIds: number[]): Promise<Existing> {
	const found = await chunked(refs, (part) =>
		db
			.select({
				id: orders.id,
				number: orders.number,
				companyId: orders.companyId,
				ref: orders.externalRef,
				salesRepId: orders.salesRepId
			})
			.from(orders)
			.where(
				and(
					inArray(orders.externalRef, part),
					inArray(orders.companyId, companyIds.length ? companyIds : [-1])
				)
			)
	);
	return new Map(found.map((o) => [refKey(o.companyId, o.ref!), o]));
}

async function analyse({ db, actor }: Ctx, bytes: Uint8Array, filename: string): Promise<Plan> {
	const a = authorize(actor, 'orders.write');
	const locale = a.locale;
	const sheet = await readSheet(bytes, filename, locale);
	const header = mapHeaders(sheet.header, locale);
	const catalog = await loadCatalog(db);
	const lookups = await loadLookups(db, a, sheet, header, catalog);
	const groups = groupRows(sheet.rows, header);
	const companyAt = header.columns.company?.index;
	const companyOf = (rows: SheetRow[]) => {
		const code = rows
			.map((r) => (companyAt === undefined ? '' : (r.cells[companyAt] ?? '').trim()))
			.find(Boolean);
		return code ? lookups.companyId(code) : undefined;
	};
	const groupCompanies = groups.map((g) => companyOf(g.rows));
	const companyIds = [...new Set(groupCompanies.filter((c): c is number => c !== undefined))].sort(
		(x, y) => x - y
	);
	const existing = await existingRefs(db, distinct(sheet, header, 'externalRef'), companyIds);

	const check = orderSchema(catalog, { locale, today: chinaToday() });
	const models = new Map(catalog.map((x) => [x.id, x]));
	const issues: CellIssue[] = [...header.issues];
	const ready: Plan['ready'] = [];
	const out: PreviewOrder[] = groups.map((g, i) => {
		const rows = g.rows.map((r) => r.row);
		const companyId = groupCompanies[i];
		const done = g.ref && companyId !== undefined ? existing.get(refKey(companyId, g.ref)) : undefined;
		if (done) {
			const visible = canSeeCompany(a, done.companyId) && (a.scope !== 'own' || done.salesRepId === a.id);
			return {
				ref: g.ref,
				rows,
				status: 'exists',
				lines: g.rows.length,
				units: 0,
				totalAmount: null,
				existing: { id: visible ? done.id : null, number: visible ? done.number : null }
			};
		}
		const checked = checkOrder(mapOrder(g, header, lookups, locale), check, models, locale);
		issues.push(...checked.issues);
		if (!checked.data)
			return { ref: g.ref, rows, status: 'invalid', lines: g.rows.length, units: 0, totalAmount: null };
		ready.push({ ref: g.ref, companyId: checked.data.companyId, data: checked.data });
		const totals = priceOrder(checked.data, catalog);
		return {
			ref: g.ref,
			rows,
			status: 'ok',
			lines: g.rows.length,
			units: totals.unitCount,
			totalAmount: totals.totalAmount
		};
	});
	issues.sort((x, y) => x.row - y.row);
	const ok = out.filter((o) => o.status === 'ok');
	const preview: ImportPreview = {
		filename,
		format: sheet.format,
		headers: sheet.header.cells,
		rows: sheet.rows,
		issues,
		orders: out,
		totals: {
			rows: sheet.rows.length,
			orders: out.filter((o) => o.status !== 'exists').length,
			ready: ok.length,
			existing: out.length - out.filter((o) => o.status !== 'exists').length,
			invalid: out.filter((o) => o.status === 'invalid').length,
			lines: ok.reduce((s, o) => s + o.lines, 0),
			units: ok.reduce((s, o) => s + o.units, 0),
			amount: ok.reduce((s, o) => s + (o.totalAmount ?? 0), 0),
			errors: issues.length
		}
	};
	return { preview, ready, catalog, companyIds };
}

/** What the file would import: every order with its rows, each bad cell with its reason, totals. */
export async function previewImport(ctx: Ctx, bytes: Uint8Array, filename: string): Promise<ImportPreview> {
	return (await analyse(ctx, bytes, filename)).preview;
}

export interface ImportResult {
	created: { ref: string; id: number; number: string }[];
	skipped: { ref: string; id: number | null; number: string | null }[];
	totals: ImportPreview['totals'];
}

const IMPORT_LOCK = 74_110;

/** A unique violation of (company, external reference): another import committed the same order first. */
function isDuplicateRef(e: unknown): boolean {
	for (
		let cur = e as
				| { code?: string; message?: string; constraint_name?: string; constraint?: string; cause?: unknown }
				| undefined,
			i = 0;
		cur && i < 5;
		cur = cur.cause as typeof cur, i++
	)
		if (
			cur.code === '23505' &&
			/external_ref/.test(`${cur.constraint_name ?? ''} ${cur.constraint ?? ''} ${cur.message ?? ''}`)
		)
			return true;
	return false;
}

/**
 * Imports the file: refused as a whole (nothing written) when any cell is wrong; references
 * already imported are skipped; the rest are inserted in one transaction with their events.
 */
export async function commitImport(ctx: Ctx, bytes: Uint8Array, filename: string): Promise<ImportResult> {
	const a = authorize(ctx.actor, 'orders.write');
	const plan = await analyse(ctx, bytes, filename);
	const { preview } = plan;
	if (preview.issues.length)
		throw new ValidationError(
			m.import_err_refused({ count: preview.issues.length }, { locale: a.locale }),
			preview.issues.map((i) => ({
				path: `${i.row}.${i.column}`,
				message: i.message,
				row: i.row,
				column: i.column
			}))
		);
	const skipped = preview.orders
		.filter((o) => o.status === 'exists')
		.map((o) => ({ ref: o.ref, ...o.existing! }));
	const attempt = () =>
		runCommand(ctx.db, async (tx, emit) => {
			// Imports into the same companies take turns, so the check below sees what the other committed.
			for (const id of plan.companyIds)
				await tx.execute(sql`select pg_advisory_xact_lock(${IMPORT_LOCK}, ${id})`);
			const now = await existingRefs(
				tx,
				plan.ready.map((r) => r.ref),
				plan.companyIds
			);
			const todo = plan.ready.filter((r) => !now.has(refKey(r.companyId, r.ref)));
			const late = plan.ready.filter((r) => now.has(refKey(r.companyId, r.ref)));
			const made = todo.length
				? await insertOrdersBatch(
						tx as Tx,
						a,
						todo.map((r) => r.data),
						plan.catalog,
						emit
					)
				: [];
			return {
				created: made.map((x, i) => ({ ref: todo[i].ref, ...x })),
				late: late.map((r) => {
					const o = now.get(refKey(r.companyId, r.ref))!;
					const visible = a.scope !== 'own' || o.salesRepId === a.id;
					return { ref: r.ref, id: visible ? o.id : null, number: visible ? o.number : null };
				})
			};
		});
	let done: Awaited<ReturnType<typeof attempt>>;
	try {
		done = await attempt();
	} catch (e) {
		// An order entered elsewhere with the same reference: once more, now skipping it.
		if (!isDuplicateRef(e)) throw e;
		try {
			done = await attempt();
		} catch (e2) {
			if (isDuplicateRef(e2)) throw new ConflictError(m.import_err_race({}, { locale: a.locale }));
			throw e2;
		}
	}
	return { created: done.created, skipped: [...skipped, ...done.late], totals: preview.totals };
}
