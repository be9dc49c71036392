import { PassThrough, Readable } from 'node:stream';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { schema } from '../db';
import type { Db } from '../db';
import { authorize } from '../authz';
import { parseInput, type Locale } from '../validate';
import { m } from '../../paraglide/messages';
import { ordersQuery, ordersSort, ordersWhere } from './orders';
import type { Ctx } from './context';

const { orders, customers, sites, users, companies } = schema;

/**
 * Exports of the orders list: every order the list's query matches (same filter, scope and
 * sort, through orders.ts's ordersWhere/ordersSort), not just one page, as XLSX or CSV in the
 * user's language. At most MAX_EXPORT_ROWS rows; when more match, the file's last row says so.
 */
export const MAX_EXPORT_ROWS = 50_000;
/** Orders fetched (and written) per query while the file streams out. */
const CHUNK = 2_000;

export type ExportFormat = 'xlsx' | 'csv';

export interface OrderExport {
	filename: string;
	contentType: string;
	/** Orders in the file. */
	rows: number;
	/** More orders matched than the file holds. */
	capped: boolean;
	body: Readable;
}

interface ExportRow {
	id: number;
	number: string;
	company: string;
	customer: string;
	city: string | null;
	rep: string;
	status: string;
	priority: string;
	orderDate: string;
	deliveryDate: string | null;
	units: number;
	totalFen: number;
}

const CONTENT_TYPES: Record<ExportFormat, string> = {
	xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
	csv: 'text/csv; charset=utf-8'
};

export async function exportOrders(
	{ db, actor }: Ctx,
	input: unknown,
	format: ExportFormat,
	opts: { maxRows?: number; now?: Date } = {}
): Promise<OrderExport> {
	const a = authorize(actor, 'orders.read');
	const q = parseInput(ordersQuery, input, a.locale);
	const max = opts.maxRows ?? MAX_EXPORT_ROWS;
	const { orderBy } = ordersSort(q);
	// The ids in list order first (one index-friendly query, 4 bytes a row), then the joined
	// rows a chunk at a time as the file is written: memory stays flat however many match.
	const idRows = await db
		.select({ id: orders.id })
		.from(orders)
		.where(ordersWhere(a, q))
		.orderBy(...orderBy)
		.limit(max + 1);
	const capped = idRows.length > max;
	const ids = idRows.slice(0, max).map((r) => r.id);
	const locale = a.locale;
	const chunks = rowChunks(db, ids, locale);
	const cap = capped ? m.track_export_capped({ max: max.toLocaleString(locale) }, { locale }) : null;
	return {
		filename: `orders-${stamp(opts.now ?? new Date())}.${format}`,
		contentType: CONTENT_TYPES[format],
		rows: ids.length,
		capped,
		body: format === 'csv' ? csvStream(chunks, locale, cap) : xlsxStream(chunks, locale, cap)
	};
}

/** yyyymmdd-hhmm in China time, for the file name. */
function stamp(now: Date): string {
	const parts = Object.fromEntries(
		new Intl.DateTimeFormat('en-GB', {
			timeZone: 'Asia/Shanghai',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			hourCycle: 'h23'
		})
			.formatToParts(now)
			.map((p) => [p.type, p.value])
	);
	return `${parts.year}${parts.month}${parts.day}-${parts.hour}${parts.minute}`;
}

const labels = m as unknown as Record<string, ((i: object, o: { locale: Locale }) => string) | undefined>;
const labelOf = (list: string, value: string, locale: Locale) =>
	labels[`${list}_${value}`]?.({}, { locale }) ?? value;

async function* rowChunks(db: Db, ids: number[], locale: Locale): AsyncGenerator<ExportRow[]> {
	for (let i = 0; i < ids.length; i += CHUNK) {
		const slice = ids.slice(i, i + CHUNK);
		const found = await db
			.select({
				id: orders.id,
				number: orders.number,
				companyName: companies.name,
				companyNameEn: companies.nameEn,
				customer: customers.name,
				city: sites.city,
				rep: users.displayName,
				status: orders.status,
				priority: orders.priority,
				orderDate: orders.orderDate,
				deliveryDate: orders.deliveryDate,
				units: orders.unitCount,
				totalFen: orders.totalAmount
			})
			.from(orders)
			.innerJoin(customers, eq(customers.id, orders.customerId))
			.innerJoin(companies, eq(companies.id, orders.companyId))
			.innerJoin(users, eq(users.id, orders.salesRepId))
			.leftJoin(sites, eq(sites.id, orders.siteId))
			// One array parameter, not a thousand: several times cheaper to send and plan.
			.where(sql`${orders.id} = any(${`{${slice.join(',')}}`}::int[])`);
		const byId = new Map(found.map((r) => [r.id, r]));
		const out: ExportRow[] = [];
		for (const id of slice) {
			const r = byId.get(id);
			// Deleted between the two queries: left out rather than failing the whole file.
			if (!r) continue;
			out.push({
				id: r.id,
				number: r.number,
				company: locale === 'en' ? r.companyNameEn || r.companyName : r.companyName,
				customer: r.customer,
				city: r.city,
				rep: r.rep,
				status: labelOf('order', r.status, locale),
				priority: labelOf('priority', r.priority, locale),
				orderDate: r.orderDate,
				deliveryDate: r.deliveryDate,
				units: Number(r.units),
				totalFen: Number(r.totalFen)
			});
		}
		yield out;
	}
}

function headers(locale: Locale): string[] {
	const o = { locale };
	return [
		m.col_number({}, o),
		m.col_company({}, o),
		m.col_customer({}, o),
		m.col_city({}, o),
		m.col_sales_rep({}, o),
		m.col_status({}, o),
		m.col_priority({}, o),
		m.col_order_date({}, o),
		m.col_delivery_date({}, o),
		m.col_units({}, o),
		m.track_export_col_total({}, o)
	];
}

/**
 * A text cell a spreadsheet would run as a formula (=, +, -, @, or a tab/CR before one) gets a
 * leading apostrophe, so opening the CSV never executes what a customer name says.
 */
export function neutralise(value: string): string {
	return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

function csvStream(chunks: AsyncGenerator<ExportRow[]>, locale: Locale, cap: string | null): Readable {
	async function* lines(): AsyncGenerator<string> {
		// The BOM tells Excel the file is UTF-8, so Chinese opens as Chinese.
		yield '\uFEFF' + Papa.unparse([headers(locale).map(neutralise)], { newline: '\r\n' }) + '\r\n';
		for await (const rows of chunks) {
			if (rows.length === 0) continue;
			const data = rows.map((r) => [
				neutralise(r.number),
				neutralise(r.company),
				neutralise(r.customer),
				neutralise(r.city ?? ''),
				neutralise(r.rep),
				neutralise(r.status),
				neutralise(r.priority),
				r.orderDate,
				r.deliveryDate ?? '',
				String(r.units),
				(r.totalFen / 100).toFixed(2)
			]);
			yield Papa.unparse(data, { newline: '\r\n' }) + '\r\n';
		}
		if (cap) yield Papa.unparse([[neutralise(cap)]], { newline: '\r\n' }) + '\r\n';
	}
	return Readable.from(lines());
}

/** A calendar date as the Excel date of that day (exceljs counts from UTC midnight). */
const excelDate = (d: string | null) => (d ? new Date(`${d}T00:00:00Z`) : null);

function xlsxStream(chunks: AsyncGenerator<ExportRow[]>, locale: Locale, cap: string | null): Readable {
	const out = new PassThrough();
	const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
		stream: out,
		useStyles: true,
		useSharedStrings: false
	});
	const sheet = workbook.addWorksheet(m.track_export_sheet({}, { locale }), {
		views: [{ state: 'frozen', ySplit: 1 }]
	});
	const widths = [16, 18, 30, 10, 12, 12, 8, 12, 12, 8, 16];
	const formats: (string | undefined)[] = [
		undefined,
		undefined,
		undefined,
		undefined,
		undefined,
		undefined,
		undefined,
		'yyyy-mm-dd',
		'yyyy-mm-dd',
		'#,##0',
		'"¥"#,##0.00'
	];
	// Only the columns that need a format get a style: exceljs looks up every styled cell's
	// style, so an empty style object on the others would cost as much as a real one.
	sheet.columns = headers(locale).map((header, i) => ({
		header,
		width: widths[i],
		...(formats[i] ? { style: { numFmt: formats[i] } } : {})
	}));
	const head = sheet.getRow(1);
	head.font = { bold: true };
	head.commit();
	(async () => {
		for await (const rows of chunks) {
			for (const r of rows) {
				sheet
					.addRow([
						r.number,
						r.company,
						r.customer,
						r.city ?? '',
						r.rep,
						r.status,
						r.priority,
						excelDate(r.orderDate),
						excelDate(r.deliveryDate),
						r.units,
						r.totalFen / 100
					])
					.commit();
			}
		}
		if (cap) {
			const row = sheet.addRow([cap]);
			row.font = { italic: true, bold: true };
			row.commit();
		}
		sheet.commit();
		await workbook.commit();
	})().catch((e) => out.destroy(e instanceof Error ? e : new Error(String(e))));
	return out;
}

/** The whole body of an export, for tests and scripts. */
export async function readAll(body: Readable): Promise<Buffer> {
	const parts: Buffer[] = [];
	for await (const part of body) parts.push(Buffer.isBuffer(part) ? part : Buffer.from(part));
	return Buffer.concat(parts);
}
