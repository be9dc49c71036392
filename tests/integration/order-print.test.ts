import { describe, expect, it, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query } from './db';
import type { Actor } from '../../src/lib/server/authz';
import { printOrder, printOrders, MAX_PRINT } from '../../src/lib/server/services/order-print';
import { NotFoundError, ValidationError } from '../../src/lib/server/errors';

/** Pages of a PDF as pdfkit writes them: one `/Type /Page` object each (`/Pages` is the tree). */
function pageCount(pdf: Buffer): number {
	return (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;
}

describe.each(drivers)('order printing (%s)', (driver) => {
	const t = useDatabase(driver);
	let admin: Actor;
	let scoped: Actor;
	let orders: { id: number; number: string; companyId: number }[];

	beforeAll(async () => {
		admin = await actorOf(t.db, 'admin');
		scoped = await actorOf(t.db, 'scoped1');
		orders = (
			await query<{ id: number; number: string; company_id: number }>(
				t.db,
				sql`select o.id, o.number, o.company_id from orders o
					where exists (select 1 from order_lines l where l.order_id = o.id) order by o.id limit 60`
			)
		).map((r) => ({ id: Number(r.id), number: r.number, companyId: Number(r.company_id) }));
	});

	it('prints one order as a PDF with the Chinese font embedded as a subset', async () => {
		const file = await printOrder({ db: t.db, actor: admin }, orders[0].id);
		expect(file.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(file.contentType).toBe('application/pdf');
		expect(file.filename).toBe(`${orders[0].number}.pdf`);
		const text = file.body.toString('latin1');
		expect(text).toMatch(/\/FontFile[23]/);
		expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
		expect(pageCount(file.body)).toBeGreaterThanOrEqual(1);
		// A subset, not the 10 MB font file.
		expect(file.body.length).toBeLessThan(400_000);
	});

	it('prints in English too', async () => {
		const file = await printOrder({ db: t.db, actor: { ...admin, locale: 'en' } }, orders[0].id);
		expect(file.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(file.body.toString('latin1')).toMatch(/\/FontFile[23]/);
	});

	it('prints a batch with every order from a new page', async () => {
		const ctx = { db: t.db, actor: admin };
		const one = await printOrder(ctx, orders[0].id);
		const three = orders.slice(0, 3);
		const file = await printOrders(ctx, { ids: three.map((o) => o.id).join(',') });
		expect(file.orders).toBe(3);
		expect(file.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		const text = file.body.toString('latin1');
		// The document's title lists the three contract numbers (ASCII, so readable in the bytes).
		for (const o of three) expect(text).toContain(o.number);
		expect(pageCount(file.body)).toBeGreaterThanOrEqual(3);
		expect(pageCount(file.body)).toBeGreaterThan(pageCount(one.body));
		const ten = await printOrders(ctx, {
			ids: orders
				.slice(0, 10)
				.map((o) => o.id)
				.join(',')
		});
		expect(pageCount(ten.body)).toBeGreaterThanOrEqual(10);
		expect(pageCount(ten.body)).toBeGreaterThan(pageCount(file.body));
	});

	it('prints the same order once when it is asked for twice', async () => {
		const file = await printOrders({ db: t.db, actor: admin }, { ids: `${orders[0].id}, ${orders[0].id}` });
		expect(file.orders).toBe(1);
	});

	it('reads an order of another company as not found, alone or in a batch', async () => {
		const other = orders.find((o) => !scoped.companyIds.includes(o.companyId))!;
		const mine = orders.find((o) => scoped.companyIds.includes(o.companyId));
		const ctx = { db: t.db, actor: scoped };
		await expect(printOrder(ctx, other.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(
			printOrders(ctx, { ids: [mine?.id ?? other.id, other.id].join(',') })
		).rejects.toBeInstanceOf(NotFoundError);
		if (mine) expect((await printOrder(ctx, mine.id)).orders).toBe(1);
	});

	it('refuses malformed and too many ids with a message in the user’s language', async () => {
		const ctx = { db: t.db, actor: admin };
		for (const ids of ['', 'abc', '1,,2', '1;2', '-1', '0', '1.5', '99999999999'])
			await expect(printOrders(ctx, { ids }), ids).rejects.toBeInstanceOf(ValidationError);
		const many = Array.from({ length: MAX_PRINT + 1 }, (_, i) => i + 1).join(',');
		await expect(printOrders(ctx, { ids: many })).rejects.toBeInstanceOf(ValidationError);
		const zh = await printOrders({ db: t.db, actor: { ...admin, locale: 'zh-CN' } }, { ids: many }).catch(
			(e) => e
		);
		expect(zh.message).toContain('100');
		expect(zh.message).toMatch(/[\u4e00-\u9fff]/);
		const en = await printOrders({ db: t.db, actor: { ...admin, locale: 'en' } }, { ids: 'x' }).catch(
			(e) => e
		);
		expect(en).toBeInstanceOf(ValidationError);
		expect(en.message).toMatch(/ids/);
		await expect(printOrder(ctx, 'abc')).rejects.toBeInstanceOf(ValidationError);
	});

	it('prints the page of the orders list when no ids are given', async () => {
		const file = await printOrders({ db: t.db, actor: admin }, { pageSize: '5', status: 'approved' });
		expect(file.orders).toBeGreaterThan(0);
		expect(file.orders).toBeLessThanOrEqual(5);
		await expect(printOrders({ db: t.db, actor: admin }, { pageSize: '200' })).rejects.toBeInstanceOf(
			ValidationError
		);
	});
});
