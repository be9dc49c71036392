import { z } from 'zod';
import { m } from '../paraglide/messages';
import {
	DOOR_TYPES,
	lineIssues,
	orderLineInput,
	type CatalogModel,
	type Locale,
	type OrderData,
	type OrderInput,
	type orderSchema
} from './order-entry';
import { PRIORITIES, CUSTOMER_KINDS } from './statuses';

/**
 * The spreadsheet format of an order import, pure so it runs in unit tests: one row per order
 * line, the rows sharing an external reference make one order. Headers are matched by their
 * text in either language, in any order. This module only turns cells into `OrderInput` and
 * says which cell a problem belongs to; the rules themselves are `orderSchema`'s.
 */

type Msg = (inputs: Record<string, never>, opts: { locale: Locale }) => string;

export interface ImportColumn {
	key: ColumnKey;
	/** The header in each language. */
	header: Msg;
	/** An order's field (same in every row of the order) rather than a line's. */
	order: boolean;
	/** The column must be present in the file. */
	required: boolean;
}

export const COLUMN_KEYS = [
	'externalRef',
	'company',
	'customerCode',
	'customerName',
	'customerKind',
	'site',
	'province',
	'city',
	'address',
	'lat',
	'lng',
	'deliveryDate',
	'priority',
	'paymentTerms',
	'discount',
	'tax',
	'notes',
	'model',
	'qty',
	'loadKg',
	'speed',
	'stops',
	'travelM',
	'doorType',
	'doorWidthMm',
	'machineRoom',
	'finish',
	'options',
	'special'
] as const;
export type ColumnKey = (typeof COLUMN_KEYS)[number];

const col = (key: ColumnKey, header: Msg, order: boolean, required = false): ImportColumn => ({
	key,
	header,
	order,
	required
});

export const COLUMNS: readonly ImportColumn[] = [
	col('externalRef', m.import_col_external_ref, true, true),
	col('company', m.import_col_company, true, true),
	col('customerCode', m.import_col_customer_code, true),
	col('customerName', m.import_col_customer_name, true),
	col('customerKind', m.import_col_customer_kind, true),
	col('site', m.import_col_site, true),
	col('province', m.import_col_province, true),
	col('city', m.import_col_city, true),
	col('address', m.import_col_address, true),
	col('lat', m.import_col_lat, true),
	col('lng', m.import_col_lng, true),
	col('deliveryDate', m.import_col_delivery_date, true, true),
	col('priority', m.import_col_priority, true),
	col('paymentTerms', m.import_col_payment_terms, true),
	col('discount', m.import_col_discount, true),
	col('tax', m.import_col_tax, true),
	col('notes', m.import_col_notes, true),
	col('model', m.import_col_model, false, true),
	col('qty', m.import_col_qty, false, true),
	col('loadKg', m.import_col_load, false, true),
	col('speed', m.import_col_speed, false, true),
	col('stops', m.import_col_stops, false, true),
	col('travelM', m.import_col_travel, false, true),
	col('doorType', m.import_col_door_type, false, true),
	col('doorWidthMm', m.import_col_door_width, false, true),
	col('machineRoom', m.import_col_machine_room, false, true),
	col('finish', m.import_col_finish, false),
	col('options', m.import_col_options, false),
	col('special', m.import_col_special, false)
];

const LOCALES: Locale[] = ['zh-CN', 'en'];
export const columnHeader = (key: ColumnKey, locale: Locale) =>
	COLUMNS.find((c) => c.key === key)!.header({}, { locale });

/** Header text compared loosely: case, spaces, full-width brackets and a required-mark star do not matter. */
export const normalizeHeader = (s: string) =>
	s
		.normalize('NFKC')
		.toLowerCase()
		.replace(/[\s*_\-()[\]（）【】:：]/g, '');

const HEADER_INDEX = new Map<string, ColumnKey>();
for (const c of COLUMNS) {
	HEADER_INDEX.set(normalizeHeader(c.key), c.key);
	for (const l of LOCALES) HEADER_INDEX.set(normalizeHeader(c.header({}, { locale: l })), c.key);
}

/** One problem, on the cell the user should change: the file's row number and the header as written. */
export interface CellIssue {
	row: number;
	column: string;
	message: string;
}

/** A data row of the file: its row number (the header is row 1 of a CSV) and its cells as text. */
export interface SheetRow {
	row: number;
	cells: string[];
}

export interface HeaderMap {
	/** Index of each known column in the row, and the header as the user wrote it. */
	columns: Partial<Record<ColumnKey, { index: number; header: string }>>;
	issues: CellIssue[];
}

/** Maps the header row to columns; unknown, repeated and missing required headers are issues. */
export function mapHeaders(headerRow: SheetRow, locale: Locale): HeaderMap {
	const o = { locale };
	const columns: HeaderMap['columns'] = {};
	const issues: CellIssue[] = [];
	headerRow.cells.forEach((raw, index) => {
		const header = raw.trim();
		if (!header) return;
		const key = HEADER_INDEX.get(normalizeHeader(header));
		if (!key)
			issues.push({
				row: headerRow.row,
				column: header,
				message: m.import_err_unknown_header({ header }, o)
			});
		else if (columns[key])
			issues.push({
				row: headerRow.row,
				column: header,
				message: m.import_err_duplicate_header({ header }, o)
			});
		else columns[key] = { index, header };
	});
	for (const c of COLUMNS)
		if (c.required && !columns[c.key]) {
			const column = c.header({}, o);
			issues.push({ row: headerRow.row, column, message: m.import_err_missing_column({ column }, o) });
		}
	return { columns, issues };
}

/** What the importer knows from the database, already limited to the user's scope. */
export interface ImportLookups {
	companyId(code: string): number | undefined;
	customerId(companyId: number, code: string): number | undefined;
	siteId(customerId: number, name: string): number | undefined;
	model(code: string): CatalogModel | undefined;
}

/** The rows of one order (one external reference), in file order. */
export interface RowGroup {
	ref: string;
	rows: SheetRow[];
}

/** Groups rows by external reference, in order of first appearance; a row without one is its own group. */
export function groupRows(rows: SheetRow[], header: HeaderMap): RowGroup[] {
	const at = header.columns.externalRef?.index ?? -1;
	const groups = new Map<string, RowGroup>();
	const out: RowGroup[] = [];
	for (const r of rows) {
		const ref = (r.cells[at] ?? '').trim();
		const existing = ref ? groups.get(ref) : undefined;
		if (existing) existing.rows.push(r);
		else {
			const g = { ref, rows: [r] };
			if (ref) groups.set(ref, g);
			out.push(g);
		}
	}
	return out;
}

/** A cell's text and where it came from. */
interface Cell {
	value: string;
	row: number;
}

const MISSING = 2_147_483_647;

const yesNo = new Map<string, boolean>();
for (const [words, v] of [
	[['yes', 'y', 'true', '1', '是', '有', '有机房', 'mr'], true],
	[['no', 'n', 'false', '0', '否', '无', '无机房', 'mrl'], false]
] as const)
	for (const w of words) yesNo.set(w, v);

/** A value given as its code or its label in either language (door_center, 中分门, "Center opening"…). */
function choice<T extends string>(
	values: readonly T[],
	labelOf: (v: T, locale: Locale) => string,
	raw: string
): T | undefined {
	const k = normalizeHeader(raw);
	for (const v of values) {
		if (normalizeHeader(v) === k) return v;
		for (const l of LOCALES) if (normalizeHeader(labelOf(v, l)) === k) return v;
	}
	return undefined;
}
const messages = m as unknown as Record<string, (i: object, o: { locale: Locale }) => string>;
const labelOf = (list: string) => (v: string, locale: Locale) =>
	messages[`${list}_${v}`]?.({}, { locale }) ?? v;

/** A date as ISO: 2026-09-01, 2026/9/1, 2026.9.1 or 2026年9月1日; anything else is left for the schema to refuse. */
export function isoDate(raw: string): string | undefined {
	const x = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(raw.trim());
	if (!x) return undefined;
	return `${x[1]}-${x[2].padStart(2, '0')}-${x[3].padStart(2, '0')}`;
}

/** A number as typed: full-width digits, thousands separators and a trailing % or unit are fine. */
export function parseNumber(raw: string): number | undefined {
	const s = raw
		.normalize('NFKC')
		.trim()
		.replace(/,/g, '')
		.replace(/\s*(%|kg|mm|m\/s|m)$/i, '');
	if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(s)) return undefined;
	return Number(s);
}

export const splitCodes = (raw: string) =>
	raw
		.split(/[,，、;；\s]+/)
		.map((s) => s.trim())
		.filter(Boolean);

export interface MappedOrder {
	input: OrderInput;
	/** Problems found while reading the cells (unknown codes, not a number…). */
	issues: CellIssue[];
	/** The cell an `orderSchema` issue path points at. */
	cellOf(path: readonly PropertyKey[]): { row: number; column: string };
}

/**
 * Turns one group of rows into an order's input. Order fields come from the first row that
 * fills them; a later row repeating them must agree. Unknown codes become issues here (and an
 * id no row has, so the schema still checks the rest of the order).
 */
export function mapOrder(
	group: RowGroup,
	header: HeaderMap,
	lookups: ImportLookups,
	locale: Locale
): MappedOrder {
	const o = { locale };
	const issues: CellIssue[] = [];
	const first = group.rows[0].row;
	const headerOf = (key: ColumnKey) => header.columns[key]?.header ?? columnHeader(key, locale);
	const raw = (r: SheetRow, key: ColumnKey) => {
		const c = header.columns[key];
		return c ? (r.cells[c.index] ?? '').trim() : '';
	};
	const issue = (row: number, key: ColumnKey, message: string) =>
		issues.push({ row, column: headerOf(key), message });

	/** An order field: the first non-empty value among the rows; a different later value is an issue. */
	const orderCell = (key: ColumnKey): Cell | undefined => {
		let found: Cell | undefined;
		for (const r of group.rows) {
			const value = raw(r, key);
			if (!value) continue;
			if (!found) found = { value, row: r.row };
			else if (value !== found.value)
				issue(r.row, key, m.import_err_conflict({ row: found.row, value: found.value }, o));
		}
		return found;
	};
	const cells = Object.fromEntries(
		COLUMNS.filter((c) => c.order).map((c) => [c.key, orderCell(c.key)])
	) as Partial<Record<ColumnKey, Cell>>;
	const rowOf = (key: ColumnKey) => cells[key]?.row ?? first;
	const text = (key: ColumnKey) => cells[key]?.value || undefined;
	const required = (key: ColumnKey) => {
		if (!cells[key]) issue(first, key, m.import_err_required({}, o));
		return cells[key]?.value;
	};
	/** A number cell; text that is no number is an issue and passes on as is for the schema to refuse too. */
	const num = (
		key: ColumnKey,
		value: string | undefined,
		row: number,
		scale = 1
	): number | string | undefined => {
		if (!value) return undefined;
		const n = parseNumber(value);
		if (n === undefined) {
			issue(row, key, m.import_err_number({ value }, o));
			return value;
		}
		return scale === 1 ? n : Math.round(n * scale);
	};
	const pick = <T extends string>(
		key: ColumnKey,
		values: readonly T[],
		list: string,
		value: string | undefined,
		row: number
	) => {
		if (!value) return undefined;
		const v = choice(values, labelOf(list), value);
		if (v) return v;
		issue(
			row,
			key,
			m.import_err_choice({ value, allowed: values.map((x) => labelOf(list)(x, locale)).join(', ') }, o)
		);
		return value as T;
	};

	// Company, customer, site.
	let companyId: number = MISSING;
	const companyCode = required('company');
	if (companyCode) {
		const id = lookups.companyId(companyCode);
		if (id) companyId = id;
		else issue(rowOf('company'), 'company', m.import_err_company({}, o));
	}
	let customerId: number | undefined;
	let newCustomer: OrderInput['newCustomer'];
	const customerCode = text('customerCode');
	if (customerCode) {
		customerId = companyId !== MISSING ? lookups.customerId(companyId, customerCode) : undefined;
		if (!customerId) {
			if (companyId !== MISSING)
				issue(rowOf('customerCode'), 'customerCode', m.order_customer_unknown({}, o));
			customerId = MISSING;
		}
	}
	if (text('customerName'))
		newCustomer = {
			name: text('customerName')!,
			kind:
				pick('customerKind', CUSTOMER_KINDS, 'ckind', text('customerKind'), rowOf('customerKind')) ?? 'other'
		};
	let siteId: number | undefined;
	let newSite: OrderInput['newSite'];
	const siteName = text('site');
	const existingSite =
		siteName && customerId && customerId !== MISSING ? lookups.siteId(customerId, siteName) : undefined;
	if (existingSite) siteId = existingSite;
	else if (text('province') || text('city') || text('address') || text('lat') || text('lng'))
		newSite = {
			name: siteName ?? '',
			province: text('province') ?? '',
			city: text('city') ?? '',
			address: text('address') ?? '',
			lat: num('lat', text('lat'), rowOf('lat')) as number | undefined,
			lng: num('lng', text('lng'), rowOf('lng')) as number | undefined
		};
	else if (siteName) {
		if (customerId !== MISSING) issue(rowOf('site'), 'site', m.import_err_site({ name: siteName }, o));
		siteId = MISSING;
	}

	const dateText = required('deliveryDate');
	const deliveryDate = dateText ? (isoDate(dateText) ?? dateText) : undefined;
	if (dateText && !isoDate(dateText))
		issue(rowOf('deliveryDate'), 'deliveryDate', m.import_err_date({ value: dateText }, o));

	const lineKeys: ColumnKey[] = [
		'model',
		'qty',
		'loadKg',
		'speed',
		'stops',
		'travelM',
		'doorType',
		'doorWidthMm',
		'machineRoom'
	];
	const lines = group.rows.map((r) => {
		for (const k of lineKeys)
			if (header.columns[k] && !raw(r, k)) issue(r.row, k, m.import_err_required({}, o));
		const code = raw(r, 'model');
		const model = code ? lookups.model(code) : undefined;
		if (code && !model) issue(r.row, 'model', m.import_err_model({ code }, o));
		const mr = raw(r, 'machineRoom');
		const machineRoom = mr ? yesNo.get(normalizeHeader(mr)) : undefined;
		if (mr && machineRoom === undefined) issue(r.row, 'machineRoom', m.import_err_yes_no({}, o));
		const finish = raw(r, 'finish');
		return {
			modelId: model?.id ?? MISSING,
			qty: num('qty', raw(r, 'qty'), r.row),
			loadKg: num('loadKg', raw(r, 'loadKg'), r.row),
			speed: num('speed', raw(r, 'speed'), r.row),
			stops: num('stops', raw(r, 'stops'), r.row),
			travelM: num('travelM', raw(r, 'travelM'), r.row),
			doorType: pick('doorType', DOOR_TYPES, 'door', raw(r, 'doorType'), r.row),
			doorWidthMm: num('doorWidthMm', raw(r, 'doorWidthMm'), r.row),
			machineRoom: machineRoom ?? false,
			finish: finish || null,
			optionCodes: splitCodes(raw(r, 'options')),
			specialRequirements: raw(r, 'special') || undefined
		};
	}) as OrderInput['lines'];

	const input: OrderInput = {
		companyId,
		customerId,
		newCustomer,
		siteId,
		newSite,
		priority: pick('priority', PRIORITIES, 'priority', text('priority'), rowOf('priority')),
		deliveryDate: deliveryDate as string,
		paymentTerms: text('paymentTerms'),
		discountBp: num('discount', text('discount'), rowOf('discount'), 100),
		taxRateBp: num('tax', text('tax'), rowOf('tax'), 100),
		notes: text('notes'),
		externalRef: group.ref || undefined,
		lines
	};
	if (!group.ref) issue(first, 'externalRef', m.import_err_required({}, o));

	const ORDER_PATH: Record<string, ColumnKey> = {
		companyId: 'company',
		customerId: customerCode ? 'customerCode' : 'customerName',
		newCustomer: 'customerName',
		siteId: 'site',
		priority: 'priority',
		deliveryDate: 'deliveryDate',
		paymentTerms: 'paymentTerms',
		discountBp: 'discount',
		taxRateBp: 'tax',
		notes: 'notes',
		externalRef: 'externalRef'
	};
	const SUB_PATH: Record<string, ColumnKey> = {
		'newCustomer.kind': 'customerKind',
		'newSite.name': 'site',
		'newSite.province': 'province',
		'newSite.city': 'city',
		'newSite.address': 'address',
		'newSite.lat': 'lat',
		'newSite.lng': 'lng'
	};
	const LINE_PATH: Record<string, ColumnKey> = {
		modelId: 'model',
		optionCodes: 'options',
		specialRequirements: 'special'
	};
	const cellOf = (path: readonly PropertyKey[]) => {
		const [head, i, field] = path.map(String);
		if (head === 'lines' && i !== undefined && group.rows[Number(i)]) {
			const key = (LINE_PATH[field] ?? field) as ColumnKey;
			const known = COLUMN_KEYS.includes(key) ? key : 'model';
			return { row: group.rows[Number(i)].row, column: headerOf(known) };
		}
		const key = SUB_PATH[`${head}.${i}`] ?? ORDER_PATH[head] ?? 'externalRef';
		return { row: rowOf(key), column: headerOf(key) };
	};
	return { input, issues, cellOf };
}

const localeErrors = { 'zh-CN': z.locales.zhCN().localeError, en: z.locales.en().localeError };

export interface CheckedOrder {
	data?: OrderData;
	issues: CellIssue[];
}

/**
 * Parses a mapped order with the one order schema, each issue put on its cell. When the shape
 * already fails (so the schema's spec checks did not run), each well-formed line is still
 * checked against its model with the schema's own `lineIssues`, so one upload lists every bad
 * cell. One reason per cell: the first found.
 */
export function checkOrder(
	mapped: MappedOrder,
	schema: ReturnType<typeof orderSchema>,
	models: ReadonlyMap<number, CatalogModel>,
	locale: Locale
): CheckedOrder {
	const issues = [...mapped.issues];
	const r = schema.safeParse(mapped.input, { error: localeErrors[locale] as never });
	if (!r.success) {
		for (const i of r.error.issues) issues.push({ ...mapped.cellOf(i.path), message: i.message });
		mapped.input.lines.forEach((line, n) => {
			const model = models.get(Number(line.modelId));
			if (!model) return;
			// The line's malformed cells (already reported) take a value the model allows, so the rest is still checked.
			const bad = new Set((orderLineInput.safeParse(line).error?.issues ?? []).map((i) => String(i.path[0])));
			const fill: Record<string, unknown> = {
				qty: 1,
				loadKg: model.loadsKg[0],
				speed: model.speeds[0],
				stops: model.minStops,
				travelM: Math.max(0.5, (model.minStops - 1) * 3),
				doorType: model.doorTypes[0],
				doorWidthMm: model.minDoorWidthMm,
				machineRoom: model.machineRoom
			};
			const patched = {
				...line,
				...Object.fromEntries([...bad].filter((k) => k in fill).map((k) => [k, fill[k]]))
			};
			const l = orderLineInput.safeParse(patched);
			if (!l.success) return;
			const skip = (field: string) => bad.has(field) || (field === 'travelM' && bad.has('stops'));
			for (const i of lineIssues(l.data, model, locale))
				if (!skip(String(i.path[0])))
					issues.push({ ...mapped.cellOf(['lines', n, ...i.path]), message: i.message });
		});
	}
	const seen = new Set<string>();
	const unique = issues.filter((i) => {
		const k = `${i.row}\u0000${i.column}`;
		if (seen.has(k)) return false;
		seen.add(k);
		return true;
	});
	return unique.length || !r.success ? { issues: unique } : { data: r.data, issues: [] };
}
