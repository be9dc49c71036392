/**
 * Production analytics (src/lib/server/services/production-analytics.ts): the time to answer the
 * page's figures on the demo data set (what `npm start` seeds, on an in-memory PGlite), through
 * the same service the page and GET /api/v1/production/analytics call, as the admin (every
 * company) and as scoped1 (one company), for the default 30 days and a full year.
 *
 *   npx tsx bench/analytics.ts [--runs 7] [--orders N]
 *
 * Figures are medians (and the slowest) of --runs after one warm-up. The last line is one JSON object.
 */
import { sql } from 'drizzle-orm';
import { numberArg, parseArgs } from './lib/args';
import { progress, result, round } from './lib/log';
import { median } from './lib/stats';
import { openDatabase, migrate, rows } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/seed';
import { loadActor } from '../src/lib/server/auth/session';
import { productionAnalytics } from '../src/lib/server/services/production-analytics';
import { chinaToday } from '../src/lib/server/services/order-common';
import { addDays } from '../src/lib/domain/days';

const args = parseArgs();
const runs = numberArg(args, 'runs', 7);
const orders = args.has('orders') ? numberArg(args, 'orders', 2000) : undefined;

const database = await openDatabase({ url: null, dataDir: null, poolSize: 1 });
try {
	await migrate(database, 'drizzle');
	progress(`seeding demo data (in memory${orders ? `, ${orders} orders` : ''})…`);
	await seedDemo(database.db, orders ? { orders } : {});
	const [counts] = await rows<{ wo: number; steps: number }>(
		database.db,
		sql`select (select count(*)::int from work_orders) as wo, (select count(*)::int from work_order_steps) as steps`
	);
	progress(`${counts.wo} work orders, ${counts.steps} steps`);
	const actor = async (username: string) => {
		const [u] = await rows<{ id: number }>(database.db, sql`select id from users where username = ${username}`);
		return { db: database.db, actor: (await loadActor(database.db, Number(u.id)))! };
	};
	const admin = await actor('admin');
	const scoped = await actor('scoped1');
	const today = chinaToday();
	const year = { from: addDays(today, -365), to: today };

	async function measure(name: string, ctx: typeof admin, input: Record<string, string>) {
		await productionAnalytics(ctx, input); // warm-up: plans and caches
		const times: number[] = [];
		let done = 0;
		for (let i = 0; i < runs; i++) {
			const t = performance.now();
			done = (await productionAnalytics(ctx, input)).summary.workOrdersDone;
			times.push(performance.now() - t);
		}
		progress(`${name}: median ${round(median(times))} ms, slowest ${round(Math.max(...times))} ms (${done} work orders done)`);
		return { medianMs: round(median(times)), maxMs: round(Math.max(...times)), workOrdersDone: done };
	}

	result({
		bench: 'analytics',
		driver: 'pglite',
		runs,
		workOrders: counts.wo,
		steps: counts.steps,
		admin30d: await measure('admin, last 30 days', admin, {}),
		admin365d: await measure('admin, a year', admin, year),
		scoped30d: await measure('scoped1, last 30 days', scoped, {}),
		scoped365d: await measure('scoped1, a year', scoped, year)
	});
} finally {
	await database.close();
}
