/**
 * Time to seed N (default 100,000) demo orders into a new PostgreSQL database, and with
 * --pglite into a new embedded PGlite folder too.
 *
 *   npm run bench:seed -- [--orders 100000] [--keep] [--pglite | --driver postgres|pglite|both]
 *                         [--pglite-dir DIR] [--cli]
 *
 * --pglite is --driver both.
 * --keep   keeps the PostgreSQL database as eo_bench_orders_<N> (and the PGlite folder, default
 *          /tmp/eo-bench/pglite-<N>) for bench:orders to reuse; otherwise both are removed.
 * --cli    (PostgreSQL) times the seed CLI end to end (`tsx src/lib/server/seed/cli.ts --url … --orders N`,
 *          process start and migrations included) instead of seedDemo in this process.
 * The last line is one JSON object with the figures.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { numberArg, parseArgs, stringArg } from './lib/args';
import { progress, result, round } from './lib/log';
import { countOrders, createDatabase, dropDatabase, keptDatabaseName } from './lib/pg';
import { keptPgliteDir, markPglite, pgdataOf, seedInto, type SeedTiming } from './lib/seeding';
import { ROOT } from './lib/server';

const args = parseArgs();
const orders = numberArg(args, 'orders', 100_000);
const keep = args.has('keep');
const cli = args.has('cli');
const driver = stringArg(args, 'driver') ?? (args.has('pglite') ? 'both' : 'postgres');
if (!['postgres', 'pglite', 'both'].includes(driver)) throw new Error('--driver is postgres, pglite or both');

function figures(t: SeedTiming) {
	return {
		seconds: round(t.seedMs / 1000, 2),
		ordersPerSec: Math.round(orders / (t.seedMs / 1000)),
		migrateSeconds: round(t.migrateMs / 1000, 2),
		rows: t.counts
	};
}

async function seedPostgresByCli(url: string) {
	const t = performance.now();
	// The CLI logs to stderr (passed through) and prints its summary as one JSON line on stdout.
	const r = spawnSync(
		join(ROOT, 'node_modules/.bin/tsx'),
		['src/lib/server/seed/cli.ts', '--url', url, '--orders', String(orders)],
		{
			cwd: ROOT,
			stdio: ['ignore', 'pipe', 'inherit'],
			encoding: 'utf8'
		}
	);
	if (r.status !== 0) throw new Error(`seed CLI failed with status ${r.status}`);
	const ms = performance.now() - t;
	const n = await countOrders(url);
	if (n !== orders) throw new Error(`seed CLI left ${n} orders, expected ${orders}`);
	const summary = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { seconds: number };
	return {
		seconds: round(ms / 1000, 2),
		ordersPerSec: Math.round(orders / (ms / 1000)),
		via: 'cli: process start and migrations included',
		cliReportedSeconds: summary.seconds
	};
}

async function postgresRun() {
	const name = keep ? keptDatabaseName(orders) : `eo_bench_seed_${process.pid}`;
	const url = await createDatabase(name);
	progress(`postgres: seeding ${orders} orders into ${name}${cli ? ' with the seed CLI' : ''}…`);
	try {
		const out = cli
			? await seedPostgresByCli(url)
			: figures(await seedInto({ url }, orders, (m) => progress(`postgres: ${m}`)));
		progress(`postgres: ${out.seconds} s (${out.ordersPerSec} orders/s)`);
		return { ...out, database: keep ? url : null };
	} finally {
		if (!keep) await dropDatabase(name);
	}
}

async function pgliteRun() {
	const dir = keep
		? (stringArg(args, 'pglite-dir') ?? keptPgliteDir(orders))
		: mkdtempSync(join(tmpdir(), 'eo-bench-seed-'));
	rmSync(dir, { recursive: true, force: true });
	mkdirSync(dir, { recursive: true });
	progress(`pglite: seeding ${orders} orders into ${pgdataOf(dir)}…`);
	try {
		const t = await seedInto({ dataDir: pgdataOf(dir) }, orders, (m) => progress(`pglite: ${m}`));
		if (keep) markPglite(dir, orders, t.seedMs);
		const out = figures(t);
		progress(`pglite: ${out.seconds} s (${out.ordersPerSec} orders/s)`);
		return { ...out, dir: keep ? dir : null };
	} finally {
		if (!keep) rmSync(dir, { recursive: true, force: true });
	}
}

const pg = driver === 'pglite' ? undefined : await postgresRun();
const lite = driver === 'postgres' ? undefined : await pgliteRun();
const main = pg ?? lite!;
result({
	orders,
	seconds: main.seconds,
	ordersPerSec: main.ordersPerSec,
	driver: pg ? 'postgres' : 'pglite',
	postgres: pg,
	pglite: lite
});
