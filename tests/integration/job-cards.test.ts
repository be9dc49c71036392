import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query } from './db';
import type { Actor } from '../../src/lib/server/authz';
import { MAX_CARDS, printJobCard, printJobCards } from '../../src/lib/server/services/job-cards';
import { renderJobCardsPdf, type JobCard } from '../../src/lib/server/print/job-card-pdf';
import { NotFoundError, ValidationError } from '../../src/lib/server/errors';

/** Pages of a PDF as pdfkit writes them: one `/Type /Page` object each (`/Pages` is the tree). */
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;

describe.each(drivers)('job cards (%s)', (driver) => {
	const t = useDatabase(driver);
	let admin: Actor;
	let scoped: Actor;
	let wos: { id: number; number: string; companyId: number }[];

	beforeAll(async () => {
		admin = await actorOf(t.db, 'admin');
		scoped = await actorOf(t.db, 'scoped1');
		wos = (
			await query<{ id: number; number: string; company_id: number }>(
				t.db,
				sql`select id, number, company_id from work_orders order by id limit 60`
			)
		).map((r) => ({ id: Number(r.id), number: r.number, companyId: Number(r.company_id) }));
	});

	it('prints one card as an A4 PDF naming the work order, with the Chinese font as a subset', async () => {
		const file = await printJobCard({ db: t.db, actor: admin }, wos[0].id);
		expect(file.body.subarray(0, 5).toString('latin1')).toBe('%PDF-');
		expect(file.filename).toBe(`${wos[0].number}.pdf`);
		const text = file.body.toString('latin1');
		// The document's title is the work order number (ASCII, so readable in the bytes).
		expect(text).toContain(wos[0].number);
		expect(text).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);
		expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular/);
		expect(pageCount(file.body)).toBe(1);
		expect(file.body.length).toBeLessThan(200_000);
		const en = await printJobCard({ db: t.db, actor: { ...admin, locale: 'en' } }, wos[0].id);
		expect(en.body.toString('latin1')).toContain(wos[0].number);
	});

	it('prints a batch, one card per page, each asked for once', async () => {
		const ten = wos.slice(0, 10);
		const file = await printJobCards({ db: t.db, actor: admin }, { ids: ten.map((w) => w.id).join(',') });
		expect(file.cards).toBe(10);
		expect(pageCount(file.body)).toBe(10);
		for (const w of ten) expect(file.body.toString('latin1')).toContain(w.number);
		const twice = await printJobCards({ db: t.db, actor: admin }, { ids: `${wos[0].id}, ${wos[0].id}` });
		expect(twice.cards).toBe(1);
	});

	it("reads another company's work order as not found, alone or in a batch", async () => {
		const other = wos.find((w) => !scoped.companyIds.includes(w.companyId))!;
		const mine = wos.find((w) => scoped.companyIds.includes(w.companyId))!;
		const ctx = { db: t.db, actor: scoped };
		await expect(printJobCard(ctx, other.id)).rejects.toBeInstanceOf(NotFoundError);
		await expect(printJobCards(ctx, { ids: `${mine.id},${other.id}` })).rejects.toBeInstanceOf(NotFoundError);
		await expect(printJobCard(ctx, 99_999_999)).rejects.toBeInstanceOf(NotFoundError);
		expect((await printJobCard(ctx, mine.id)).cards).toBe(1);
	});

	it('refuses more than 100 cards and malformed ids, in the user’s language', async () => {
		const many = Array.from({ length: MAX_CARDS + 1 }, (_, i) => i + 1).join(',');
		const zh = await printJobCards({ db: t.db, actor: { ...admin, locale: 'zh-CN' } }, { ids: many }).catch((e) => e);
		expect(zh).toBeInstanceOf(ValidationError);
		expect(zh.issues[0]).toMatchObject({ path: 'ids', message: '一次最多打印 100 张工单卡' });
		const en = await printJobCards({ db: t.db, actor: { ...admin, locale: 'en' } }, { ids: many }).catch((e) => e);
		expect(en.issues[0].message).toBe('At most 100 job cards can be printed at once');
		for (const ids of ['', 'abc', '1,,2', '-1', '0', '1.5'])
			await expect(printJobCards({ db: t.db, actor: admin }, { ids }), ids).rejects.toBeInstanceOf(ValidationError);
		await expect(printJobCards({ db: t.db, actor: admin }, { pageSize: '101' })).rejects.toBeInstanceOf(ValidationError);
		await expect(printJobCard({ db: t.db, actor: admin }, 'x')).rejects.toBeInstanceOf(ValidationError);
	});

	it('prints the page of the work orders list when no ids are given', async () => {
		const file = await printJobCards({ db: t.db, actor: admin }, { pageSize: '5', status: 'in_progress' });
		expect(file.cards).toBe(5);
		expect(pageCount(file.body)).toBe(5);
		const scopedPage = await printJobCards({ db: t.db, actor: scoped }, { pageSize: '3' });
		expect(scopedPage.cards).toBe(3);
		await expect(printJobCards({ db: t.db, actor: admin }, { status: 'lost' })).rejects.toBeInstanceOf(ValidationError);
	});

	it('continues a long routing on a second page of the same card; a card without steps says so', async () => {
		const base: JobCard = {
			id: 1,
			companyName: '上海示例电梯有限公司',
			companyNameEn: null,
			number: 'WO-SH-2026-999999',
			status: 'planned',
			priority: 'urgent',
			dueDate: '2026-09-30',
			plannedStart: '2026-09-01',
			projectedFinish: '2026-10-03',
			changeFlag: '订单变更：门宽调整，待计划员确认',
			orderNumber: 'SO-SH-2026-000001',
			customerName: '示例客户',
			siteName: '示例小区',
			siteProvince: '上海市',
			siteCity: '上海市',
			serialNo: 'EL-SH-000001',
			modelCode: 'HT-P10',
			modelName: '乘客电梯',
			modelNameEn: 'Passenger lift',
			loadKg: 1000,
			speed: 1.75,
			stops: 12,
			travelM: 34.5,
			doorType: 'center',
			doorWidthMm: 900,
			machineRoom: false,
			steps: Array.from({ length: 30 }, (_, i) => ({
				seq: i + 1,
				stage: 'wiring',
				workCentreCode: 'WR',
				workCentreName: '线束工位',
				workCentreNameEn: 'Wiring station',
				standardHours: 2.5,
				status: i < 3 ? 'done' : 'pending',
				plannedDate: '2026-09-01',
				plannedEnd: '2026-09-02'
			}))
		};
		const pdf = await renderJobCardsPdf([base, { ...base, steps: [], number: 'WO-SH-2026-999998' }], {
			locale: 'zh-CN',
			printedAt: new Date()
		});
		expect(pageCount(pdf)).toBe(3);
	});
});
