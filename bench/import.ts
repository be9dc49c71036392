/**
 * Spreadsheet import of orders (src/lib/server/services/order-import.ts): a 5,000-line file
 * (about 2,000 orders, existing and new customers, from the demo catalog) as XLSX and as CSV,
 * previewed and committed through the same services the API calls, on a throwaway PostgreSQL
 * database (dropped at the end) and on an in-memory PGlite. Goal: preview and commit < 10 s each.
 *
 *   npx tsx bench/import.ts [--lines 5000] [--orders 400] [--driver both|postgres|pglite]
 *
 * --orders is the demo data seeded first. Each driver: preview XLSX, preview CSV, commit XLSX
 * (new refs), commit CSV (other new refs), then commit the XLSX again (everything skipped).
 * The last line is one JSON object with the figures.
 */
import ExcelJS from 'exceljs';
import Papa from 'papaparse';
import { sql } from 'drizzle-orm';
import { numberArg, parseArgs, stringArg } from './lib/args';
import { progress, result, round } from './lib/log';
import { createDatabase, dropDatabase } from './lib/pg';
import { openDatabase, migrate, rows, type Db } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/seed';
import { loadActor } from '../src/lib/server/auth/session';
import { loadCatalog } from '../src/lib/server/services/order-entry';
import { chinaToday } from '../src/lib/server/services/order-common';
import { commitImport, previewImport } from '../src/lib/server/services/order-import';
import { COLUMNS, type ColumnKey } from '../src/lib/domain/order-import';
import { isFinish, type CatalogModel } from '../src/lib/domain/order-entry';

const GOAL_MS = 10_000;
const args = parseArgs();
const lineCount = numberArg(args, 'lines', 5000);
const demoOrders = numberArg(args, 'orders', 400);
const driver = stringArg(args, 'driver') ?? 'both';
if (!['postgres', 'pglite', 'both'].includes(driver)) throw new Error('--driver is postgres, pglite or both');

const delivery = (() => {
	const d = new Date(`${chinaToday()}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + 120);
	return d.toISOString().slice(0, 10);
})();

interface Customer {
	company: string;
	code: string;
	site: string | null;
}

/** 2- and 3-line orders alternately until `lineCount` lines; 4 in 5 for existing customers, the rest new. */
function makeRows(
	prefix: string,
	catalog: CatalogModel[],
	customers: Customer[]
): Record<ColumnKey, string>[] {
	const models = catalog.filter((x) => x.active);
	const out: Record<ColumnKey, string>[] = [];
	for (let n = 0; out.length < lineCount; n++) {
		const lines = Math.min(n % 2 === 0 ? 2 : 3, lineCount - out.length);
		const c = customers[n % customers.length];
		const fresh = n % 5 === 4;
		for (let i = 0; i < lines; i++) {
			const model = models[(n + i) % models.length];
			const stops =
				model.kind === 'escalator'
					? 2
					: Math.max(
							model.minStops,
							Math.min(model.maxStops, 6 + (n % 10), Math.floor(model.maxTravelM / 3.2) + 1)
						);
			const travel = model.kind === 'escalator' ? Math.min(model.maxTravelM, 5) : (stops - 1) * 3.2;
			const first = i === 0;
			out.push({
				externalRef: `${prefix}-${String(n).padStart(5, '0')}`,
				company: first ? c.company : '',
				customerCode: first && !fresh ? c.code : '',
				customerName: first && fresh ? `导入客户 ${prefix}-${n}` : '',
				customerKind: first && fresh ? 'developer' : '',
				site: first ? (fresh ? `新工地 ${n}` : (c.site ?? '')) : '',
				province: first && fresh ? '浙江省' : '',
				city: first && fresh ? '杭州' : '',
				address: first && fresh ? `西湖区文三路 ${n} 号` : '',
				lat: first && fresh ? '30.27' : '',
				lng: first && fresh ? '120.15' : '',
				deliveryDate: first ? delivery : '',
				priority: first ? (n % 7 === 0 ? 'urgent' : 'normal') : '',
				paymentTerms: first ? '30/60/10' : '',
				discount: first ? String(n % 8) : '',
				tax: first ? '13' : '',
				notes: '',
				model: model.code,
				qty: String(1 + (n % 4)),
				loadKg: String(model.loadsKg[n % model.loadsKg.length]),
				speed: String(model.speeds[n % model.speeds.length]),
				stops: String(stops),
				travelM: String(round(travel, 1)),
				doorType: model.doorTypes[0],
				doorWidthMm: String(model.minDoorWidthMm),
				machineRoom: model.machineRoom ? 'yes' : 'no',
				finish: model.options.find((o) => isFinish(o.code))?.code ?? '',
				options: model.options
					.filter((o) => !isFinish(o.code))
					.slice(0, n % 3)
					.map((o) => o.code)
					.join(','),
				special: n % 50 === 0 ? '井道尺寸待复核' : ''
			});
		}
	}
	return out;
}

async function toXlsx(data: Record<ColumnKey, string>[]): Promise<Uint8Array> {
	const wb = new ExcelJS.Workbook();
	const ws = wb.addWorksheet('订单');
	ws.addRow(COLUMNS.map((c) => c.header({}, { locale: 'zh-CN' })));
	const numeric = new Set<ColumnKey>([
		'qty',
		'loadKg',
		'speed',
		'stops',
		'travelM',
		'doorWidthMm',
		'discount',
		'tax'
	]);
	for (const r of data)
		ws.addRow(COLUMNS.map((c) => (numeric.has(c.key) && r[c.key] !== '' ? Number(r[c.key]) : r[c.key])));
	return new Uint8Array(await wb.xlsx.writeBuffer());
}

const toCsv = (data: Record<ColumnKey, string>[]) =>
	new TextEncoder().encode(
		'\uFEFF' +
			Papa.unparse({
				fields: COLUMNS.map((c) => c.header({}, { locale: 'en' })),
				data: data.map((r) => COLUMNS.map((c) => r[c.key]))
			})
	);

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
	const t = performance.now();
	const v = await fn();
	return [v, performance.now() - t];
}

async function bench(label: string, db: Db) {
	progress(`${label}: seeding ${demoOrders} demo orders…`);
	await seedDemo(db, { orders: demoOrders });
	const [admin] = await rows<{ id: number }>(db, sql`select id from users where username = 'admin'`);
	const actor = (await loadActor(db, Number(admin.id)))!;
	const ctx = { db, actor: { ...actor, locale: 'zh-CN' as const } };
	const catalog = await loadCatalog(db);
	const customers = (
		await rows<{ company: string; code: string; site: string | null }>(
			db,
			sql`select co.code as company, c.code, (select s.name from sites s where s.customer_id = c.id order by s.id limit 1) as site
				from customers c join companies co on co.id = c.company_id order by c.id limit 300`
		)
	).map((c) => ({ ...c }));
	const xRows = makeRows('BX', catalog, customers);
	const cRows = makeRows('BC', catalog, customers);
	const xlsx = await toXlsx(xRows);
	const csv = toCsv(cRows);
	progress(`${label}: files of ${xRows.length} lines: XLSX ${xlsx.length} bytes, CSV ${csv.length} bytes`);

	const [px, previewXlsxMs] = await timed(() => previewImport(ctx, xlsx, 'bench.xlsx'));
	if (px.issues.length) throw new Error(`bench file has issues: ${JSON.stringify(px.issues.slice(0, 5))}`);
	progress(
		`${label}: preview XLSX ${Math.round(previewXlsxMs)} ms: ${px.totals.orders} orders, ${px.totals.lines} lines`
	);
	const [pc, previewCsvMs] = await timed(() => previewImport(ctx, csv, 'bench.csv'));
	progress(
		`${label}: preview CSV ${Math.round(previewCsvMs)} ms: ${pc.totals.orders} orders, ${pc.issues.length} issues`
	);
	const [cx, commitXlsxMs] = await timed(() => commitImport(ctx, xlsx, 'bench.xlsx'));
	progress(`${label}: commit XLSX ${Math.round(commitXlsxMs)} ms: ${cx.created.length} orders created`);
	const [cc, commitCsvMs] = await timed(() => commitImport(ctx, csv, 'bench.csv'));
	progress(`${label}: commit CSV ${Math.round(commitCsvMs)} ms: ${cc.created.length} orders created`);
	const [again, recommitMs] = await timed(() => commitImport(ctx, xlsx, 'bench.xlsx'));
	progress(
		`${label}: commit XLSX again ${Math.round(recommitMs)} ms: ${again.created.length} created, ${again.skipped.length} skipped`
	);
	const [{ n }] = await rows<{ n: number }>(
		db,
		sql`select count(*)::int as n from orders where external_ref like 'B%'`
	);
	if (Number(n) !== cx.created.length + cc.created.length)
		throw new Error(`expected ${cx.created.length + cc.created.length} imported orders, found ${n}`);
	return {
		lines: xRows.length,
		orders: px.totals.orders,
		xlsxBytes: xlsx.length,
		csvBytes: csv.length,
		previewXlsxMs: Math.round(previewXlsxMs),
		previewCsvMs: Math.round(previewCsvMs),
		commitXlsxMs: Math.round(commitXlsxMs),
		commitCsvMs: Math.round(commitCsvMs),
		recommitSkippedMs: Math.round(recommitMs),
		underGoal: Math.max(previewXlsxMs, previewCsvMs, commitXlsxMs, commitCsvMs) < GOAL_MS
	};
}

const figures: Record<string, unknown> = { bench: 'import', goalMs: GOAL_MS };
if (driver !== 'pglite') {
	const name = `eo_bench_import_${process.pid}`;
	const url = await createDatabase(name);
	const database = await openDatabase({ url, poolSize: 4 });
	try {
		await migrate(database, 'drizzle');
		figures.postgres = await bench('postgres', database.db);
	} finally {
		await database.close();
		await dropDatabase(name);
	}
}
if (driver !== 'postgres') {
	const database = await openDatabase({ url: null, dataDir: null });
	try {
		await migrate(database, 'drizzle');
		figures.pglite = await bench('pglite', database.db);
	} finally {
		await database.close();
	}
}
result(figures);
