import { describe, expect, it, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { drivers, useDatabase, actorOf, query, scalar } from './db';
import type { Actor } from '../../src/lib/server/authz';
import { listOrders } from '../../src/lib/server/services/orders';
import { exportOrders, readAll, neutralise } from '../../src/lib/server/services/order-export';
import { ordersExportInput } from '../../src/lib/server/order-page-query';
import { ValidationError } from '../../src/lib/server/errors';

const HEADER_ZH = [
	'编号',
	'公司',
	'客户',
	'城市',
	'销售代表',
	'状态',
	'优先级',
	'下单日期',
	'交货日期',
	'台数',
	'金额（元）'
];

async function csvRows(
	p: ReturnType<typeof exportOrders>
): Promise<{ bom: boolean; rows: string[][]; text: string }> {
	const file = await p;
	const bytes = await readAll(file.body);
	const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
	const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
	const parsed = Papa.parse<string[]>(text, { skipEmptyLines: true });
	expect(parsed.errors).toEqual([]);
	return { bom, rows: parsed.data, text };
}

describe.each(drivers)('order exports (%s)', (driver) => {
	const t = useDatabase(driver);
	let admin: Actor;
	let scoped: Actor;
	let sales: Actor;

	beforeAll(async () => {
		admin = await actorOf(t.db, 'admin', { locale: 'zh-CN' });
		scoped = await actorOf(t.db, 'scoped1');
		sales = await actorOf(t.db, 'sales1');
	});

	it('gives a one-company user only that company’s orders, every one of them', async () => {
		const { rows } = await csvRows(exportOrders({ db: t.db, actor: scoped }, {}, 'csv'));
		const numbers = rows.slice(1).map((r) => r[0]);
		const inScope = await query<{ number: string; company_id: number }>(
			t.db,
			sql`select number, company_id from orders where company_id in (${sql.join(
				scoped.companyIds.map((id) => sql`${id}`),
				sql`, `
			)})`
		);
		expect(numbers.length).toBe(inScope.length);
		expect(new Set(numbers)).toEqual(new Set(inScope.map((r) => r.number)));
		const all = await scalar(t.db, sql`select count(*) from orders`);
		expect(numbers.length).toBeLessThan(all);
	});

	it('gives an own-scoped sales rep only their own orders', async () => {
		const { rows } = await csvRows(exportOrders({ db: t.db, actor: sales }, {}, 'csv'));
		const own = await scalar(t.db, sql`select count(*) from orders where sales_rep_id = ${sales.id}`);
		expect(rows.length - 1).toBe(own);
	});

	it('matches listOrders: the same filter gives the same total and the same order', async () => {
		const ctx = { db: t.db, actor: admin };
		const input = ordersExportInput(
			{
				companyId: '1',
				from: '2000-01-01',
				minYuan: '10,000',
				maxYuan: '100000000',
				sort: 'totalAmount',
				dir: 'desc'
			},
			'zh-CN'
		);
		expect(input).toMatchObject({ minAmount: '1000000', maxAmount: '10000000000' });
		const list = await listOrders(ctx, { ...input, pageSize: '200' });
		expect(list.totalCapped).toBeFalsy();
		expect(list.total).toBeGreaterThan(5);
		const { rows } = await csvRows(exportOrders(ctx, input, 'csv'));
		expect(rows.length - 1).toBe(list.total);
		expect(rows.slice(1, 201).map((r) => r[0])).toEqual(list.rows.map((r) => r.number));
		expect(rows.slice(1, 201).map((r) => r[10])).toEqual(
			list.rows.map((r) => (r.totalAmount / 100).toFixed(2))
		);
		const statuses = await csvRows(
			exportOrders(ctx, { status: 'approved', q: list.rows[0].number.slice(0, 6) }, 'csv')
		);
		const listed = await listOrders(ctx, { status: 'approved', q: list.rows[0].number.slice(0, 6) });
		expect(statuses.rows.length - 1).toBe(listed.total);
		for (const r of statuses.rows.slice(1)) expect(r[5]).toBe('已批准');
	});

	it('writes CSV as UTF-8 with a BOM, Chinese intact, and formulas neutralised', async () => {
		const [c] = await query<{ id: number; name: string }>(
			t.db,
			sql`select c.id, c.name from customers c where exists (select 1 from orders o where o.customer_id = c.id) order by c.id limit 1`
		);
		const evil = '=HYPERLINK("http://x","上海，电梯 ""总部""")';
		await query(t.db, sql`update customers set name = ${evil} where id = ${c.id}`);
		try {
			const { bom, rows, text } = await csvRows(
				exportOrders({ db: t.db, actor: admin }, { customerId: String(c.id) }, 'csv')
			);
			expect(bom).toBe(true);
			expect(text).toContain('\r\n');
			expect(rows[0]).toEqual(HEADER_ZH);
			expect(rows.length).toBeGreaterThan(1);
			for (const r of rows.slice(1)) {
				expect(r).toHaveLength(11);
				expect(r[2]).toBe(`'${evil}`);
				expect(r[5]).toMatch(/[\u4e00-\u9fff]/);
				expect(r[7]).toMatch(/^\d{4}-\d{2}-\d{2}$/);
				expect(r[10]).toMatch(/^\d+\.\d{2}$/);
			}
		} finally {
			await query(t.db, sql`update customers set name = ${c.name} where id = ${c.id}`);
		}
		for (const s of ['=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1']) expect(neutralise(s)).toBe(`'${s}`);
		for (const s of ['上海', 'a=b', '1-2', '']) expect(neutralise(s)).toBe(s);
	});

	it('writes XLSX with a bold frozen header, numbers, dates and the list’s row count', async () => {
		const ctx = { db: t.db, actor: { ...admin, locale: 'en' as const } };
		const list = await listOrders(ctx, { companyId: '2' });
		const file = await exportOrders(ctx, { companyId: '2' }, 'xlsx', {
			now: new Date('2026-03-04T01:02:00Z')
		});
		expect(file.filename).toBe('orders-20260304-0902.xlsx');
		expect(file.contentType).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load((await readAll(file.body)) as never);
		const sheet = wb.worksheets[0];
		expect(sheet.name).toBe('Orders');
		const header = (sheet.getRow(1).values as unknown[]).slice(1);
		expect(header).toEqual([
			'Number',
			'Company',
			'Customer',
			'City',
			'Sales rep',
			'Status',
			'Priority',
			'Order date',
			'Delivery',
			'Units',
			'Amount (CNY)'
		]);
		expect(sheet.getRow(1).getCell(1).font?.bold).toBe(true);
		expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
		expect(sheet.actualRowCount).toBe(list.total + 1);
		expect(file.rows).toBe(list.total);
		const first = sheet.getRow(2);
		expect(first.getCell(1).value).toBe(list.rows[0].number);
		expect(first.getCell(11).value).toBe(list.rows[0].totalAmount / 100);
		expect(first.getCell(11).numFmt).toContain('#,##0.00');
		expect(first.getCell(8).value).toBeInstanceOf(Date);
		expect((first.getCell(8).value as Date).toISOString().slice(0, 10)).toBe(list.rows[0].orderDate);
		expect(sheet.getColumn(3).width).toBeGreaterThan(20);
	});

	it('stops at the cap and says so in the last row', async () => {
		const ctx = { db: t.db, actor: { ...admin, locale: 'en' as const } };
		const file = await exportOrders(ctx, {}, 'csv', { maxRows: 10 });
		expect(file).toMatchObject({ rows: 10, capped: true });
		const { rows } = await csvRows(Promise.resolve(file));
		expect(rows).toHaveLength(12);
		expect(rows[11][0]).toMatch(/^Only the first 10 rows were exported/);
		const xlsx = await exportOrders(ctx, {}, 'xlsx', { maxRows: 10 });
		const wb = new ExcelJS.Workbook();
		await wb.xlsx.load((await readAll(xlsx.body)) as never);
		expect(wb.worksheets[0].actualRowCount).toBe(12);
		expect(String(wb.worksheets[0].getRow(12).getCell(1).value)).toMatch(/^Only the first 10 rows/);
		const exact = await exportOrders(ctx, { companyId: '2' }, 'csv', { maxRows: 10_000 });
		expect(exact.capped).toBe(false);
	});

	it('refuses a bad amount range with a clear message', async () => {
		expect(() => ordersExportInput({ minYuan: '200', maxYuan: '100' }, 'en')).toThrow(
			'The minimum amount cannot be more than the maximum amount.'
		);
		expect(() => ordersExportInput({ minYuan: 'abc' }, 'zh-CN')).toThrow(ValidationError);
		await expect(
			exportOrders({ db: t.db, actor: admin }, { minAmount: '5', maxAmount: '1' }, 'csv')
		).rejects.toBeInstanceOf(ValidationError);
		await expect(listOrders({ db: t.db, actor: admin }, { minAmount: '5', maxAmount: '1' })).rejects.toThrow(
			'最低金额不能高于最高金额'
		);
		await expect(exportOrders({ db: t.db, actor: admin }, { bogus: '1' }, 'xlsx')).rejects.toBeInstanceOf(
			ValidationError
		);
	});
});
