import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { actorOf, drivers, query, scalar, useDatabase } from './db';
import type { Actor } from '../../src/lib/server/authz';
import { commitImport, previewImport } from '../../src/lib/server/services/order-import';
import { importTemplate } from '../../src/lib/server/services/order-import-template';
import { loadCatalog } from '../../src/lib/server/services/order-entry';
import { chinaToday } from '../../src/lib/server/services/order-common';
import { ValidationError } from '../../src/lib/server/errors';
import { priceOrder, type CatalogModel } from '../../src/lib/domain/order-entry';

const HEADERS = [
	'External reference',
	'Company code',
	'Customer code',
	'Site name',
	'Delivery date',
	'Priority',
	'Discount %',
	'Tax %',
	'Model code',
	'Qty',
	'Rated load kg',
	'Speed m/s',
	'Stops',
	'Travel m',
	'Door type',
	'Door width mm',
	'Machine room',
	'Finish code',
	'Option codes'
];

const csv = (rows: string[][]) =>
	new TextEncoder().encode('\uFEFF' + Papa.unparse({ fields: HEADERS, data: rows }));

async function xlsx(rows: string[][]): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('Orders');
	ws.addRow(HEADERS);
	for (const r of rows) ws.addRow(r.map((v, i) => (/^\d+(\.\d+)?$/.test(v) && i > 8 ? Number(v) : v)));
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

const future = () => {
	const d = new Date(`${chinaToday()}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + 90);
	return d.toISOString().slice(0, 10);
};

/** A valid line of `model` for the order `ref`; order fields only when `first`. */
function line(
	ref: string,
	company: string,
	customer: string,
	model: CatalogModel,
	first: boolean,
	over: Record<number, string> = {}
): string[] {
	const stops = Math.max(model.minStops, Math.min(model.maxStops, 8));
	const r = [
		ref,
		first ? company : '',
		first ? customer : '',
		'',
		first ? future() : '',
		first ? 'normal' : '',
		first ? '3' : '',
		first ? '13' : '',
		model.code,
		'2',
		String(model.loadsKg[0]),
		String(model.speeds[0]),
		String(stops),
		String((stops - 1) * 3),
		model.doorTypes[0],
		String(model.minDoorWidthMm),
		model.machineRoomLess ? 'no' : 'yes',
		model.options.find((o) => o.code.startsWith('FIN-'))?.code ?? '',
		model.options
			.filter((o) => !o.code.startsWith('FIN-'))
			.slice(0, 2)
			.map((o) => o.code)
			.join(',')
	];
	for (const [i, v] of Object.entries(over)) r[Number(i)] = v;
	return r;
}

describe.each(drivers)('order import (%s)', (driver) => {
	const t = useDatabase(driver);
	let admin: Actor;
	let sales1: Actor;
	let catalog: CatalogModel[];
	let models: CatalogModel[];
	let own: string; // a customer of sales1 in SH
	let others: string; // a customer of another rep in SH
	let run = 0;
	const ref = (n: number) => `T${driver}-${run}-${n}`;

	beforeAll(async () => {
		admin = await actorOf(t.db, 'admin');
		sales1 = await actorOf(t.db, 'sales1');
		catalog = await loadCatalog(t.db);
		models = catalog.filter((x) => x.active && x.kind !== 'escalator').slice(0, 3);
		const [mine] = await query<{ code: string }>(
			t.db,
			sql`select c.code from customers c join companies co on co.id = c.company_id where co.code = 'SH' and c.owner_id = ${sales1.id} order by c.id limit 1`
		);
		const [theirs] = await query<{ code: string }>(
			t.db,
			sql`select c.code from customers c join companies co on co.id = c.company_id where co.code = 'SH' and c.owner_id <> ${sales1.id} order by c.id limit 1`
		);
		own = mine.code;
		others = theirs.code;
	});

	const goodRows = (n: number, customer = own) => {
		run++;
		const rows: string[][] = [];
		for (let i = 0; i < n; i++) {
			const a = models[i % models.length];
			const b = models[(i + 1) % models.length];
			rows.push(line(ref(i), 'SH', customer, a, true), line(ref(i), 'SH', customer, b, false));
		}
		return rows;
	};
	const count = (refs: string[]) =>
		scalar(
			t.db,
			sql`select count(*) from orders where external_ref in ${sql.raw(`(${refs.map((r) => `'${r}'`).join(',')})`)}`
		);

	it('lists each bad row and cell with the reason in Chinese and in English, and commits nothing', async () => {
		const rows = goodRows(3);
		rows[0][10] = '123'; // load not allowed for the model (row 2)
		rows[3][12] = 'many'; // stops not a number (row 5)
		rows[4][4] = '2020-01-01'; // delivery date in the past (row 6)
		rows[5][8] = 'NOPE'; // unknown model (row 7)
		const bytes = csv(rows);
		const zh = await previewImport({ db: t.db, actor: { ...admin, locale: 'zh-CN' } }, bytes, 'orders.csv');
		const en = await previewImport({ db: t.db, actor: { ...admin, locale: 'en' } }, bytes, 'orders.csv');
		const cells = (p: typeof zh) => p.issues.map((i) => `${i.row}|${i.column}`).sort();
		expect(cells(zh)).toEqual(['2|Rated load kg', '5|Stops', '6|Delivery date', '7|Model code']);
		expect(cells(en)).toEqual(cells(zh));
		const msg = (p: typeof zh, row: number) => p.issues.find((i) => i.row === row)!.message;
		expect(msg(zh, 2)).toMatch(/^该型号的额定载重只能是/);
		expect(msg(en, 2)).toMatch(/^Rated load must be one of/);
		expect(msg(zh, 5)).toBe('“many”不是数字');
		expect(msg(en, 5)).toBe('“many” is not a number');
		expect(msg(zh, 6)).toMatch(/交货日期/);
		expect(msg(en, 7)).toBe(`No model “NOPE” in the catalog`);
		expect(zh.totals).toMatchObject({ orders: 3, ready: 0, invalid: 3, errors: 4 });
		expect(zh.orders.map((o) => o.status)).toEqual(['invalid', 'invalid', 'invalid']);

		const before = await scalar(t.db, sql`select count(*) from orders`);
		const e = await commitImport({ db: t.db, actor: admin }, bytes, 'orders.csv').catch((x) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect((e as ValidationError).issues).toHaveLength(4);
		expect(await scalar(t.db, sql`select count(*) from orders`)).toBe(before);
	});

	it('commits a good CSV in one transaction, priced as priceOrder prices, with one event per order; a re-upload creates nothing', async () => {
		const rows = goodRows(4);
		const refs = [0, 1, 2, 3].map(ref);
		const bytes = csv(rows);
		const ctx = { db: t.db, actor: admin };
		const preview = await previewImport(ctx, bytes, 'orders.csv');
		expect(preview.issues).toEqual([]);
		const events = await scalar(t.db, sql`select count(*) from events where type = 'order.created'`);
		const res = await commitImport(ctx, bytes, 'orders.csv');
		expect(res.created.map((c) => c.ref)).toEqual(refs);
		expect(res.skipped).toEqual([]);

		const saved = await query<{
			id: number;
			total_amount: string;
			external_ref: string;
			discount_bp: number;
			lines: string;
			tx: string;
		}>(
			t.db,
			sql`select o.id, o.total_amount, o.external_ref, o.discount_bp,
				(select count(*) from order_lines l where l.order_id = o.id) as lines,
				(select tx_id::text from events e where e.entity = 'order' and e.entity_id = o.id and e.type = 'order.created') as tx
				from orders o where o.id in ${sql.raw(`(${res.created.map((c) => c.id).join(',')})`)} order by o.id`
		);
		expect(saved).toHaveLength(4);
		expect(new Set(saved.map((s) => s.tx)).size).toBe(1); // one transaction
		let sum = 0;
		for (const [i, s] of saved.entries()) {
			const a = models[i % models.length];
			const b = models[(i + 1) % models.length];
			const totals = priceOrder(
				{
					discountBp: 300,
					taxRateBp: 1300,
					lines: [a, b].map((mo, k) => ({
						modelId: mo.id,
						qty: 2,
						stops: Number(rows[i * 2 + k][12]),
						finish: rows[i * 2 + k][17] || null,
						optionCodes: rows[i * 2 + k][18].split(',').filter(Boolean)
					}))
				},
				catalog
			);
			expect(Number(s.total_amount)).toBe(totals.totalAmount);
			expect(Number(s.lines)).toBe(2);
			sum += totals.totalAmount;
		}
		expect(preview.totals).toMatchObject({ orders: 4, ready: 4, lines: 8, units: 16, amount: sum });
		expect(await scalar(t.db, sql`select count(*) from events where type = 'order.created'`)).toBe(
			events + 4
		);

		const again = await previewImport(ctx, bytes, 'orders.csv');
		expect(again.orders.map((o) => o.status)).toEqual(['exists', 'exists', 'exists', 'exists']);
		expect(again.orders[0].existing).toEqual({ id: res.created[0].id, number: res.created[0].number });
		const second = await commitImport(ctx, bytes, 'orders.csv');
		expect(second.created).toEqual([]);
		expect(second.skipped.map((s) => s.ref)).toEqual(refs);
		expect(await count(refs)).toBe(4);
	});

	it('commits an XLSX the same way, and a file with one new order only adds that one', async () => {
		const rows = goodRows(2);
		const ctx = { db: t.db, actor: admin };
		const first = await commitImport(ctx, await xlsx(rows), 'orders.xlsx');
		expect(first.created).toHaveLength(2);
		rows.push(line(`${ref(0)}-new`, 'SH', own, models[0], true));
		const second = await commitImport(ctx, await xlsx(rows), 'orders.xlsx');
		expect(second.created.map((c) => c.ref)).toEqual([`${ref(0)}-new`]);
		expect(second.skipped).toHaveLength(2);
	});

	it('creates each order once when two uploads of the same file commit at the same moment', async () => {
		const rows = goodRows(5);
		const refs = [0, 1, 2, 3, 4].map(ref);
		const bytes = csv(rows);
		const ctx = { db: t.db, actor: admin };
		const [a, b] = await Promise.all([
			commitImport(ctx, bytes, 'orders.csv'),
			commitImport(ctx, bytes, 'orders.csv')
		]);
		expect(a.created.length + b.created.length).toBe(5);
		expect(a.skipped.length + b.skipped.length).toBe(5);
		expect(await count(refs)).toBe(5);
	});

	it('lets a rep import for their own customers only', async () => {
		const ctx = { db: t.db, actor: { ...sales1, locale: 'en' as const } };
		const theirs = goodRows(1, others);
		const p = await previewImport(ctx, csv(theirs), 'orders.csv');
		expect(p.issues).toEqual([
			{ row: 2, column: 'Customer code', message: expect.stringMatching(/not one you may order for/) }
		]);
		await expect(commitImport(ctx, csv(theirs), 'orders.csv')).rejects.toBeInstanceOf(ValidationError);
		expect(await count([ref(0)])).toBe(0);
		const mine = goodRows(1, own);
		const res = await commitImport(ctx, csv(mine), 'orders.csv');
		expect(res.created).toHaveLength(1);
		const [o] = await query<{ sales_rep_id: number }>(
			t.db,
			sql`select sales_rep_id from orders where id = ${res.created[0].id}`
		);
		expect(Number(o.sales_rep_id)).toBe(sales1.id);
	});

	it('refuses renamed, unknown and oversized files with a clear message, and reports unknown headers', async () => {
		const ctx = { db: t.db, actor: { ...admin, locale: 'en' as const } };
		const book = await xlsx(goodRows(1));
		await expect(previewImport(ctx, book, 'orders.csv')).rejects.toThrow(
			/named \.csv but holds an Excel workbook/
		);
		await expect(previewImport(ctx, csv(goodRows(1)), 'orders.xlsx')).rejects.toThrow(
			/not an Excel workbook/
		);
		await expect(previewImport(ctx, book, 'orders.pdf')).rejects.toThrow(/Only \.xlsx and \.csv/);
		await expect(previewImport(ctx, new Uint8Array(10 * 1024 * 1024 + 1), 'orders.csv')).rejects.toThrow(
			/larger than 10 MB/
		);
		const text = new TextEncoder().encode('External reference,Colour\nX,red\n');
		const p = await previewImport(ctx, text, 'orders.csv');
		expect(p.issues).toContainEqual({ row: 1, column: 'Colour', message: 'Unknown column header “Colour”' });
	});

	it('makes templates in both languages and formats that import as they are', async () => {
		for (const lang of ['zh-CN', 'en'] as const)
			for (const format of ['xlsx', 'csv'] as const) {
				const file = await importTemplate({ db: t.db, actor: admin }, { format, lang });
				if (format === 'csv') expect([...file.body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
				if (format === 'xlsx') {
					const wb = new ExcelJS.Workbook();
					await wb.xlsx.load(file.body as never);
					expect(wb.worksheets.map((w) => w.name)).toEqual(
						lang === 'en' ? ['Orders', 'Instructions'] : ['订单', '说明']
					);
				}
				const p = await previewImport(
					{ db: t.db, actor: { ...admin, locale: lang } },
					file.body,
					file.filename
				);
				expect(p.issues).toEqual([]);
				expect(p.totals.ready + p.totals.existing).toBe(1);
			}
	});

	it('stores imported orders as the entry form does: search text, new customers owned by the importer', async () => {
		const ctx = { db: t.db, actor: admin };
		const file = await importTemplate(ctx, { format: 'csv', lang: 'zh-CN' });
		const text = file.body.toString('utf8').replaceAll('PO-2026-0001', `${ref(0)}-tpl`);
		const res = await commitImport(ctx, new TextEncoder().encode(text), 'template.csv');
		expect(res.created).toHaveLength(1);
		const [o] = await query<{ ok: boolean; owner: number; site: number | null }>(
			t.db,
			sql`select o.search_text = lower(o.number || ' ' || c.name || ' ' || coalesce(s.city, '')) as ok, c.owner_id as owner, o.site_id as site
				from orders o join customers c on c.id = o.customer_id left join sites s on s.id = o.site_id where o.id = ${res.created[0].id}`
		);
		expect(o.ok).toBe(true);
		expect(Number(o.owner)).toBe(admin.id);
		expect(o.site).not.toBeNull();
		const mismatched = await scalar(
			t.db,
			sql`select count(*) from orders o join customers c on c.id = o.customer_id left join sites s on s.id = o.site_id
				where o.external_ref like ${`T${driver}-%`} and o.search_text <> lower(o.number || ' ' || c.name || ' ' || coalesce(s.city, ''))`
		);
		expect(mismatched).toBe(0);
	});
});
