import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { asc, inArray } from 'drizzle-orm';
import { z } from 'zod';
import { schema } from '../db';
import { authorize } from '../authz';
import { parseInput } from '../validate';
import { chinaToday } from './order-common';
import { loadCatalog } from './order-entry';
import type { FileResult } from '../file-endpoint';
import { m } from '../../paraglide/messages';
import { isFinish, type CatalogModel, type Locale } from '../../domain/order-entry';
import { COLUMNS, type ColumnKey } from '../../domain/order-import';
import type { Ctx } from './context';

/** The import template in either language, as XLSX (with an instructions sheet) or CSV. */

const templateInput = z.object({
	format: z.enum(['xlsx', 'csv']).default('xlsx'),
	lang: z.enum(['zh-CN', 'en']).optional()
});

const addDays = (iso: string, days: number) => {
	const d = new Date(`${iso}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
};

/** One example order of two lines that passes the checks: a new customer and site, the first models' first values. */
function exampleRows(
	catalog: CatalogModel[],
	companyCode: string,
	locale: Locale
): Record<ColumnKey, string>[] {
	const o = { locale };
	const zh = locale === 'zh-CN';
	const models = catalog.filter((x) => x.active && x.kind !== 'escalator').slice(0, 2);
	return models.map((model, i) => {
		const stops = Math.max(model.minStops, Math.min(model.maxStops, 12));
		const finish = model.options.find((x) => isFinish(x.code));
		const option = model.options.find((x) => !isFinish(x.code));
		const first = i === 0;
		return {
			externalRef: 'PO-2026-0001',
			company: companyCode,
			customerCode: '',
			customerName: first ? (zh ? '示例置业有限公司' : 'Example Property Co., Ltd.') : '',
			customerKind: first ? m.ckind_developer({}, o) : '',
			site: first ? (zh ? '示例花园一期' : 'Example Garden Phase 1') : '',
			province: first ? '上海市' : '',
			city: first ? '上海' : '',
			address: first ? (zh ? '浦东新区示例路 100 号' : '100 Example Road, Pudong') : '',
			lat: first ? '31.2304' : '',
			lng: first ? '121.4737' : '',
			deliveryDate: first ? addDays(chinaToday(), 120) : '',
			priority: first ? m.priority_normal({}, o) : '',
			paymentTerms: first ? (zh ? '30% 预付，发货前付清' : '30% advance, balance before shipment') : '',
			discount: first ? '5' : '',
			tax: first ? '13' : '',
			notes: first ? m.import_example_notes({}, o) : '',
			model: model.code,
			qty: String(i + 1),
			loadKg: String(model.loadsKg[0]),
			speed: String(model.speeds[0]),
			stops: String(stops),
			travelM: String((stops - 1) * 3),
			doorType: (m as unknown as Record<string, (i: object, o: object) => string>)[
				`door_${model.doorTypes[0]}`
			]({}, o),
			doorWidthMm: String(model.minDoorWidthMm),
			machineRoom: model.machineRoomLess ? m.import_no({}, o) : m.import_yes({}, o),
			finish: finish?.code ?? '',
			options: option?.code ?? '',
			special: ''
		};
	});
}

async function xlsx(catalog: CatalogModel[], companyCodes: string[], locale: Locale): Promise<Buffer> {
	const o = { locale };
	const zh = locale === 'zh-CN';
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet(m.import_sheet_orders({}, o), { views: [{ state: 'frozen', ySplit: 1 }] });
	ws.columns = COLUMNS.map((c) => ({
		header: c.header({}, o),
		key: c.key,
		width: Math.max(12, c.header({}, o).length * (zh ? 2.4 : 1.3))
	}));
	const head = ws.getRow(1);
	head.font = { bold: true };
	COLUMNS.forEach((c, i) => {
		if (c.required)
			head.getCell(i + 1).fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFE699' } };
	});
	for (const r of exampleRows(catalog, companyCodes[0] ?? 'SH', locale)) ws.addRow(r);
	// Text cells, so Excel keeps codes and dates as typed.
	for (const key of ['externalRef', 'customerCode', 'deliveryDate', 'options'] as const)
		ws.getColumn(key).numFmt = '@';

	// Excel allows no '/' in a sheet name: 说明 in the Chinese template, Instructions in the English one.
	const help = wb.addWorksheet(m.import_sheet_help({}, o));
	help.getColumn(1).width = 22;
	for (let i = 2; i <= 10; i++) help.getColumn(i).width = 20;
	const title = (text: string) => {
		const r = help.addRow([text]);
		r.font = { bold: true, size: 12 };
	};
	help.addRow([m.import_help_rules({}, o)]).getCell(1).alignment = { wrapText: true };
	help.mergeCells(1, 1, 1, 10);
	help.getRow(1).height = zh ? 60 : 75;
	help.addRow([]);
	title(m.import_help_columns({}, o));
	for (const c of COLUMNS) help.addRow([c.header({}, o), c.required ? m.import_help_required({}, o) : '']);
	help.addRow([]);
	title(m.import_help_companies({}, o));
	help.addRow([companyCodes.join(', ')]);
	help.addRow([]);
	title(m.import_help_models({}, o));
	const labelDoor = (d: string) =>
		(m as unknown as Record<string, (i: object, o: object) => string>)[`door_${d}`]?.({}, o) ?? d;
	const yes = m.import_yes({}, o);
	const no = m.import_no({}, o);
	const hdr = help.addRow([
		m.import_col_model({}, o),
		'',
		m.import_model_loads({}, o),
		m.import_model_speeds({}, o),
		m.import_model_stops({}, o),
		m.import_model_travel({}, o),
		m.import_model_doors({}, o),
		m.import_model_widths({}, o),
		m.import_model_machine_room({}, o),
		m.import_model_finishes({}, o),
		m.import_model_options({}, o)
	]);
	hdr.font = { bold: true };
	for (const x of catalog.filter((c) => c.active)) {
		const name = (opt: { name: string; nameEn: string }) => (zh ? opt.name : opt.nameEn);
		help.addRow([
			x.code,
			name(x),
			x.loadsKg.join(', '),
			x.speeds.join(', '),
			`${x.minStops}–${x.maxStops}`,
			x.maxTravelM,
			x.doorTypes.map(labelDoor).join(', '),
			`${x.minDoorWidthMm}–${x.maxDoorWidthMm}`,
			[x.machineRoom ? yes : null, x.machineRoomLess ? no : null].filter(Boolean).join(' / '),
			x.options
				.filter((p) => isFinish(p.code))
				.map((p) => `${p.code} ${name(p)}`)
				.join('\n'),
			x.options
				.filter((p) => !isFinish(p.code))
				.map((p) => `${p.code} ${name(p)}`)
				.join('\n')
		]).alignment = { wrapText: true, vertical: 'top' };
	}
	return Buffer.from(await wb.xlsx.writeBuffer());
}

function csv(catalog: CatalogModel[], companyCodes: string[], locale: Locale): Buffer {
	const o = { locale };
	const rows = exampleRows(catalog, companyCodes[0] ?? 'SH', locale).map((r) => COLUMNS.map((c) => r[c.key]));
	const text = Papa.unparse({ fields: COLUMNS.map((c) => c.header({}, o)), data: rows }, { newline: '\r\n' });
	// A BOM, so Excel opens the UTF-8 Chinese correctly.
	return Buffer.from(`\uFEFF${text}\r\n`, 'utf8');
}

export async function importTemplate({ db, actor }: Ctx, input: unknown): Promise<FileResult> {
	const a = authorize(actor, 'orders.write');
	const { format, lang } = parseInput(templateInput, input, a.locale);
	const locale = lang ?? a.locale;
	const [catalog, companyRows] = await Promise.all([
		loadCatalog(db),
		db
			.select({ code: schema.companies.code })
			.from(schema.companies)
			.where(inArray(schema.companies.id, a.companyIds.length ? [...a.companyIds] : [-1]))
			.orderBy(asc(schema.companies.id))
	]);
	const codes = companyRows.map((c) => c.code);
	const base = locale === 'zh-CN' ? '订单导入模板' : 'order-import-template';
	return format === 'xlsx'
		? {
				filename: `${base}.xlsx`,
				contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
				body: await xlsx(catalog, codes, locale)
			}
		: { filename: `${base}.csv`, contentType: 'text/csv; charset=utf-8', body: csv(catalog, codes, locale) };
}
