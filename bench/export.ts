/**
 * Orders exports (services/order-export.ts) at 10,000 and 100,000 orders, XLSX and CSV, through
 * the same service the routes /orders/export.xlsx|csv call, on PostgreSQL.
 *
 *   npx tsx bench/export.ts [--sizes 10000,100000] [--runs 2] [--db-url URL]
 *
 * Databases: reuses eo_bench_orders_<N> (left by `bench:seed --keep` or bench:orders) when it
 * holds N orders, else seeds it and keeps it. `--db-url` uses one given database instead (its
 * order count is the size). Per size and format, as admin (all companies):
 *   - "capped": the export as the routes make it, at most 50,000 rows (so 100,000 orders give 50,000);
 *   - "all": the cap lifted to N, to see the cost of every row.
 * Times: to the first byte and to the last, medians of --runs; bytes; the process's peak RSS
 * while writing. The last line is one JSON object with the figures.
 */
import { sql } from 'drizzle-orm';
import { numberArg, parseArgs, stringArg } from './lib/args';
import { progress, result, round } from './lib/log';
import { countOrders, createDatabase, databaseExists, databaseUrl, keptDatabaseName } from './lib/pg';
import { seedInto } from './lib/seeding';
import { median } from './lib/stats';
import { openDatabase, rows, type Db } from '../src/lib/server/db';
import { loadActor } from '../src/lib/server/auth/session';
import { exportOrders, MAX_EXPORT_ROWS, type ExportFormat } from '../src/lib/server/services/order-export';

const args = parseArgs();
const sizes = (stringArg(args, 'sizes') ?? '10000,100000').split(',').map(Number);
const runs = numberArg(args, 'runs', 2);
const given = stringArg(args, 'db-url');

async function target(orders: number): Promise<string> {
	const name = keptDatabaseName(orders);
	const url = databaseUrl(name);
	if ((await databaseExists(name)) && (await countOrders(url)) === orders) {
		progress(`reusing ${name}`);
		return url;
	}
	await createDatabase(name);
	progress(`seeding ${orders} orders into ${name} (kept for later runs)…`);
	const t = await seedInto({ url }, orders, (m) => progress(m));
	progress(`seeded in ${round(t.seedMs / 1000)} s`);
	return url;
}

interface Run {
	firstByteMs: number;
	totalMs: number;
	bytes: number;
	rows: number;
	peakRssMiB: number;
}

async function once(
	db: Db,
	actor: NonNullable<Awaited<ReturnType<typeof loadActor>>>,
	format: ExportFormat,
	maxRows: number
): Promise<Run> {
	global.gc?.();
	let peak = process.memoryUsage().rss;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
	const t0 = performance.now();
	let firstByteMs = NaN;
	let bytes = 0;
	try {
		const file = await exportOrders({ db, actor }, {}, format, { maxRows });
		for await (const part of file.body) {
			if (Number.isNaN(firstByteMs)) firstByteMs = performance.now() - t0;
			bytes += (part as Buffer).length;
		}
		return {
			firstByteMs,
			totalMs: performance.now() - t0,
			bytes,
			rows: file.rows,
			peakRssMiB: peak / 2 ** 20
		};
	} finally {
		clearInterval(sampler);
	}
}

const cases: Record<string, unknown>[] = [];
const urls = given ? [given] : [];
if (!given) for (const n of sizes) urls.push(await target(n));

for (const url of urls) {
	const database = await openDatabase({ url, poolSize: 2 });
	try {
		const [{ n }] = await rows<{ n: number }>(database.db, sql`select count(*)::int as n from orders`);
		const [admin] = await rows<{ id: number }>(
			database.db,
			sql`select id from users where username = 'admin'`
		);
		const actor = (await loadActor(database.db, Number(admin.id)))!;
		// One unmeasured export first: the connection, the plan cache and the modules warm up.
		await once(database.db, actor, 'csv', 1_000);
		for (const [variant, maxRows] of [
			['capped', MAX_EXPORT_ROWS],
			['all', Number(n)]
		] as const) {
			if (variant === 'all' && Number(n) <= MAX_EXPORT_ROWS) continue;
			for (const format of ['csv', 'xlsx'] as const) {
				const measured: Run[] = [];
				for (let r = 0; r < runs; r++) {
					const run = await once(database.db, actor, format, maxRows);
					measured.push(run);
					progress(
						`${n} orders, ${format} ${variant}: ${run.rows} rows, ${Math.round(run.totalMs)} ms ` +
							`(first byte ${Math.round(run.firstByteMs)} ms), ${(run.bytes / 2 ** 20).toFixed(1)} MiB, peak RSS ${Math.round(run.peakRssMiB)} MiB`
					);
				}
				const totalMs = median(measured.map((m) => m.totalMs));
				cases.push({
					orders: Number(n),
					format,
					variant,
					rows: measured[0].rows,
					totalMs: round(totalMs),
					firstByteMs: round(median(measured.map((m) => m.firstByteMs))),
					rowsPerSec: Math.round(measured[0].rows / (totalMs / 1000)),
					mib: round(measured[0].bytes / 2 ** 20, 2),
					peakRssMiB: Math.round(Math.max(...measured.map((m) => m.peakRssMiB)))
				});
			}
		}
	} finally {
		await database.close();
	}
}

result({ driver: 'postgres', runs, maxRows: MAX_EXPORT_ROWS, cases });
