import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { m } from '../../paraglide/messages';
import { ValidationError } from '../errors';
import type { Locale } from '../validate';
import type { SheetRow } from '../../domain/order-import';

/** Reading an uploaded order file into rows of text: limits, format sniffing, CSV and XLSX. */

export const MAX_IMPORT_BYTES = 10 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 20_000;

export interface Sheet {
	format: 'csv' | 'xlsx';
	header: SheetRow;
	rows: SheetRow[];
}

const startsWith = (b: Uint8Array, sig: number[]) => sig.every((x, i) => b[i] === x);
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** What the bytes are, whatever the name says; a name that disagrees gets a clear refusal. */
export function sniffFormat(bytes: Uint8Array, filename: string, locale: Locale): 'csv' | 'xlsx' {
	const o = { locale };
	const ext = /\.([a-z0-9]+)$/i.exec(filename.trim())?.[1]?.toLowerCase() ?? '';
	if (bytes.length > MAX_IMPORT_BYTES)
		throw new ValidationError(m.import_err_too_large({ max: MAX_IMPORT_BYTES / 1024 / 1024 }, o));
	if (startsWith(bytes, OLE2)) throw new ValidationError(m.import_err_xls({}, o));
	const zip = startsWith(bytes, ZIP);
	if (ext === 'xlsx') {
		if (!zip) throw new ValidationError(m.import_err_renamed_csv({}, o));
		return 'xlsx';
	}
	if (ext === '' && zip) return 'xlsx';
	if (ext === 'csv' || ext === 'txt' || ext === '') {
		if (zip) throw new ValidationError(m.import_err_renamed_xlsx({}, o));
		if (bytes.subarray(0, 8192).includes(0)) throw new ValidationError(m.import_err_binary({}, o));
		return 'csv';
	}
	throw new ValidationError(m.import_err_type({}, o));
}

/** UTF-8 (with or without BOM); Excel on Chinese Windows saves CSV as GB18030, so that is the fallback. */
function decodeText(bytes: Uint8Array): string {
	try {
		return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
	} catch {
		return new TextDecoder('gb18030').decode(bytes);
	}
}

const blank = (cells: string[]) => cells.every((c) => c.trim() === '');

function split(all: SheetRow[], locale: Locale): { header: SheetRow; rows: SheetRow[] } {
	const rows = all.filter((r) => !blank(r.cells));
	if (rows.length === 0) throw new ValidationError(m.import_err_empty({}, { locale }));
	if (rows.length - 1 > MAX_IMPORT_ROWS)
		throw new ValidationError(m.import_err_too_many_rows({ max: MAX_IMPORT_ROWS }, { locale }));
	const [header, ...data] = rows;
	if (data.length === 0) throw new ValidationError(m.import_err_empty({}, { locale }));
	return { header, rows: data };
}

function readCsv(bytes: Uint8Array, locale: Locale): Sheet {
	const parsed = Papa.parse<string[]>(decodeText(bytes), { skipEmptyLines: false });
	// Row numbers are lines of the file, as a text editor or Excel shows them (1 = header).
	const all = parsed.data.map((cells, i) => ({ row: i + 1, cells: cells.map((c) => String(c ?? '')) }));
	return { format: 'csv', ...split(all, locale) };
}

/** A cell as text: numbers as typed, dates as YYYY-MM-DD, formulas by their result, rich text joined. */
function cellText(v: ExcelJS.CellValue): string {
	if (v === null || v === undefined) return '';
	if (typeof v === 'string') return v;
	if (typeof v === 'number') return String(v);
	if (typeof v === 'boolean') return v ? 'yes' : 'no';
	if (v instanceof Date) return v.toISOString().slice(0, 10);
	if (typeof v === 'object') {
		if ('richText' in v) return v.richText.map((t) => t.text).join('');
		if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
		if ('text' in v) return String(v.text);
		if ('error' in v) return String(v.error);
	}
	return String(v);
}

async function readXlsx(bytes: Uint8Array, locale: Locale): Promise<Sheet> {
	const wb = new ExcelJS.Workbook();
	try {
		await wb.xlsx.load(
			Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer
		);
	} catch (e) {
		throw new ValidationError(
			m.import_err_unreadable({ reason: (e as Error).message.slice(0, 200) }, { locale })
		);
	}
	// The orders are on the first sheet; the template's instructions sheet comes after it.
	const ws = wb.worksheets[0];
	if (!ws) throw new ValidationError(m.import_err_empty({}, { locale }));
	if (ws.actualRowCount - 1 > MAX_IMPORT_ROWS)
		throw new ValidationError(m.import_err_too_many_rows({ max: MAX_IMPORT_ROWS }, { locale }));
	const all: SheetRow[] = [];
	ws.eachRow({ includeEmpty: false }, (row, rowNumber) => {
		const cells: string[] = [];
		row.eachCell({ includeEmpty: false }, (cell, colNumber) => {
			cells[colNumber - 1] = cellText(cell.value).trim();
		});
		for (let i = 0; i < cells.length; i++) cells[i] ??= '';
		all.push({ row: rowNumber, cells });
	});
	return { format: 'xlsx', ...split(all, locale) };
}

export async function readSheet(bytes: Uint8Array, filename: string, locale: Locale): Promise<Sheet> {
	const format = sniffFormat(bytes, filename, locale);
	return format === 'xlsx' ? readXlsx(bytes, locale) : readCsv(bytes, locale);
}

/**
 * The uploaded file of a request: multipart (the first file field) or the raw body, named by
 * `?filename=` or the content type (the bytes decide anyway). Oversized bodies are refused
 * before they are read.
 */
export async function readUpload(
	request: Request,
	url: URL,
	locale: Locale
): Promise<{ bytes: Uint8Array; filename: string }> {
	const tooLarge = () =>
		new ValidationError(m.import_err_too_large({ max: MAX_IMPORT_BYTES / 1024 / 1024 }, { locale }));
	// Multipart framing adds a little to the file itself.
	if (Number(request.headers.get('content-length') ?? 0) > MAX_IMPORT_BYTES + 64 * 1024) throw tooLarge();
	const type = request.headers.get('content-type') ?? '';
	if (type.startsWith('multipart/form-data')) {
		let form: FormData;
		try {
			form = await request.formData();
		} catch {
			throw new ValidationError(m.import_err_empty({}, { locale }));
		}
		const file = [...form.values()].find(
			(v): v is File => typeof v === 'object' && v !== null && 'arrayBuffer' in v
		);
		if (!file) throw new ValidationError(m.import_err_empty({}, { locale }));
		if (file.size > MAX_IMPORT_BYTES) throw tooLarge();
		return {
			bytes: new Uint8Array(await file.arrayBuffer()),
			filename: file.name || url.searchParams.get('filename') || ''
		};
	}
	const bytes = new Uint8Array(await request.arrayBuffer());
	if (bytes.length > MAX_IMPORT_BYTES) throw tooLarge();
	const byType = type.includes('spreadsheetml') ? 'upload.xlsx' : type.includes('csv') ? 'upload.csv' : '';
	return { bytes, filename: url.searchParams.get('filename') || byType };
}
