/**
 * The production scheduler at the size the issue names: 2,000 open work orders of 8 stages.
 *
 *  1. the pure scheduler (src/lib/domain/scheduler.ts) on a synthetic book with the demo plant's
 *     work centres and calendars: a fifth of the jobs with a step running, some locked where a
 *     first run put them, a third waiting for parts, urgent ones and manual ranks mixed in;
 *     median of --runs after a warm-up, plus the material allocation alone;
 *  2. the full replan through the service (read everything, materials, schedule, bulk
 *     write-back, one event) of a company given 2,000 extra work orders: on an in-memory
 *     PGlite, and on PostgreSQL too when TEST_DATABASE_URL or DATABASE_URL is set (a throwaway
 *     database). "full" rewrites every step's plan (the plans are cleared before each run),
 *     "unchanged" is a replan right after one (nothing moves: reads and the work-order update).
 *
 *   npm run bench:scheduler [-- --runs 7 --orders 2000]
 *
 * The last line is one JSON object of the figures.
 */
import { sql } from 'drizzle-orm';
import { numberArg, parseArgs } from './lib/args';
import { progress, result, round } from './lib/log';
import { median } from './lib/stats';
import { openDatabase, migrate, rows, type Db } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/seed';
import { HOLIDAYS, STAGES } from '../src/lib/server/seed/plant-data';
import { loadActor } from '../src/lib/server/auth/session';
import { replan } from '../src/lib/server/services/production-schedule';
import { allocateMaterials } from '../src/lib/domain/materials';
import { schedule, type WorkOrderInput } from '../src/lib/domain/scheduler';
import { addDays } from '../src/lib/domain/days';
import { chinaToday } from '../src/lib/server/services/order-common';
import { createTestDatabase } from '../tests/helpers/app-server';
import { Rng } from '../src/lib/server/seed/random';

const args = parseArgs();
const runs = numberArg(args, 'runs', 7);
const ORDERS = numberArg(args, 'orders', 2000);
const today = chinaToday();

async function timed(fn: () => unknown): Promise<number> {
	const t = performance.now();
	await fn();
	return performance.now() - t;
}

// ---- 1. the pure scheduler ----------------------------------------------------------------
function book(): { centres: Parameters<typeof schedule>[0]['centres']; workOrders: WorkOrderInput[] } {
	const rng = new Rng(7);
	const centres = STAGES.map(([, , , , , capacity], i) => ({
		id: i + 1,
		dailyCapacityHours: capacity,
		workDays: [1, 2, 3, 4, 5],
		holidays: HOLIDAYS
	}));
	let stepId = 1;
	const workOrders = Array.from({ length: ORDERS }, (_, i): WorkOrderInput => {
		const running = rng.chance(0.2) ? rng.int(0, 7) : -1;
		const waits = running < 0 && rng.chance(0.3);
		return {
			id: i + 1,
			priority: rng.chance(0.15) ? 'urgent' : 'normal',
			dueDate: addDays(today, rng.int(5, 200)),
			planRank: rng.chance(0.05) ? rng.int(1, 500) : null,
			notBefore: rng.chance(0.05) ? addDays(today, rng.int(1, 30)) : null,
			locked: false,
			shortage: waits,
			materialReadyOn: waits && rng.chance(0.8) ? addDays(today, rng.int(2, 25)) : null,
			steps: STAGES.map(([, , , , hours], j) => ({
				id: stepId++,
				seq: j + 1,
				workCentreId: j + 1,
				standardHours: Math.round(hours * rng.float(0.7, 1.5) * 4) / 4,
				status:
					j < running ? 'done' : j === running ? 'in_progress' : j === running + 1 ? 'ready' : 'pending',
				workedSeconds: j === running ? rng.int(0, 4 * 3600) : 0
			}))
		};
	});
	// Lock 5 % where a first run puts them, as a planner would.
	const first = schedule({ today, centres, workOrders });
	for (const w of workOrders)
		if (rng.chance(0.05)) {
			const plan = first.workOrders[w.id - 1];
			w.locked = true;
			for (const s of w.steps) s.plannedHours = plan.steps.find((p) => p.id === s.id)?.hours ?? null;
		}
	return { centres, workOrders };
}

const input = book();
progress(`pure scheduler: ${ORDERS} work orders × ${STAGES.length} stages, ${runs} runs`);
schedule({ today, ...input }); // warm-up (JIT)
const pure: number[] = [];
let last = schedule({ today, ...input });
for (let r = 0; r < runs; r++) pure.push(await timed(() => (last = schedule({ today, ...input }))));
const horizon = Math.max(...last.load.map((l) => l.used.length));
progress(
	`scheduled: median ${round(median(pure))} ms; ${last.workOrders.filter((w) => w.late).length} late; plan reaches ${horizon} days ahead`
);

const demands = input.workOrders.map((w) => ({
	workOrderId: w.id,
	bom: Array.from({ length: 20 }, (_, k) => ({ itemId: k + 1, qty: 1 + (k % 4) })),
	reserved: new Map<number, number>()
}));
const supply = {
	free: new Map(Array.from({ length: 20 }, (_, k) => [k + 1, 500 * (k + 1)] as [number, number])),
	purchases: Array.from({ length: 40 }, (_, k) => ({
		purchaseOrderId: k + 1,
		number: `PO-${k + 1}`,
		itemId: (k % 20) + 1,
		openQty: 300,
		expectedOn: addDays(today, 3 + k)
	}))
};
const materials: number[] = [];
for (let r = 0; r < runs; r++) materials.push(await timed(() => allocateMaterials(demands, supply, today)));

// ---- 2. the replan through the service ------------------------------------------------------
/** Gives company SH `ORDERS` more open work orders on its routings (units cloned from one unit). */
async function grow(db: Db): Promise<number> {
	const [sh] = await rows<{ id: number }>(db, sql`select id from companies where code = 'SH'`);
	const c = Number(sh.id);
	await db.execute(sql`
		with u as (
			insert into units (company_id, order_id, line_id, site_id, serial_no, model_id, status)
			select u.company_id, u.order_id, u.line_id, u.site_id, 'BENCH-' || g, m.id, 'planned'
			from (select * from units where company_id = ${c} order by id limit 1) u
				cross join generate_series(1, ${ORDERS}) g
				join lateral (select id from elevator_models order by id offset (g % 10) limit 1) m on true
			returning id, company_id, order_id, model_id, serial_no
		)
		insert into work_orders (company_id, number, order_id, unit_id, routing_id, priority, due_date, plan_rank)
		select u.company_id, 'WO-' || u.serial_no, u.order_id, u.id, r.id,
			case when u.id % 7 = 0 then 'urgent' else 'normal' end, current_date + (u.id % 150),
			case when u.id % 20 = 0 then u.id % 300 end
		from u join routings r on r.company_id = u.company_id and r.model_id = u.model_id`);
	await db.execute(sql`
		insert into work_order_steps (company_id, work_order_id, seq, stage, work_centre_id, standard_hours, status)
		select w.company_id, w.id, s.seq, s.stage, s.work_centre_id, s.standard_hours, case when s.seq = 1 then 'ready' else 'pending' end
		from work_orders w join routing_stages s on s.routing_id = w.routing_id where w.number like 'WO-BENCH-%'`);
	await db.execute(sql`analyze work_orders, work_order_steps, units`);
	return c;
}

async function replanBench(
	label: string,
	db: Db
): Promise<{ fullMs: number; unchangedMs: number; openWorkOrders: number }> {
	progress(`${label}: seeding a small demo, then ${ORDERS} more work orders for SH`);
	await seedDemo(db, { orders: 200 });
	const company = await grow(db);
	const [admin] = await rows<{ id: number }>(db, sql`select id from users where username = 'admin'`);
	const ctx = { db, actor: (await loadActor(db, Number(admin.id)))! };
	const [open] = await rows<{ n: number }>(
		db,
		sql`select count(*)::int as n from work_orders where company_id = ${company} and status not in ('done','cancelled')`
	);
	await replan(ctx, { companyId: company }); // warm-up
	const full: number[] = [];
	const unchanged: number[] = [];
	for (let r = 0; r < runs; r++) {
		await db.execute(sql`update work_order_steps set planned_hours = null where company_id = ${company}`);
		full.push(await timed(() => replan(ctx, { companyId: company })));
		unchanged.push(await timed(() => replan(ctx, { companyId: company })));
	}
	progress(
		`${label}: ${open.n} open work orders; full ${round(median(full))} ms, unchanged ${round(median(unchanged))} ms`
	);
	return {
		fullMs: round(median(full)),
		unchangedMs: round(median(unchanged)),
		openWorkOrders: Number(open.n)
	};
}

const pglite = await openDatabase({ url: null, dataDir: null, poolSize: 1 });
let onPglite;
try {
	await migrate(pglite, 'drizzle');
	onPglite = await replanBench('PGlite', pglite.db);
} finally {
	await pglite.close();
}

let onPostgres = null;
const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (base) {
	const created = await createTestDatabase(base, 'eo_bench_sched');
	const pg = await openDatabase({ url: created.url, poolSize: 2 });
	try {
		await migrate(pg, 'drizzle');
		onPostgres = await replanBench('PostgreSQL', pg.db);
	} finally {
		await pg.close();
		await created.drop();
	}
}

result({
	workOrders: ORDERS,
	stages: STAGES.length,
	scheduleMs: round(median(pure)),
	scheduleMaxMs: round(Math.max(...pure)),
	materialsMs: round(median(materials)),
	horizonDays: horizon,
	replanMs: onPglite.fullMs,
	replanUnchangedMs: onPglite.unchangedMs,
	replanOpenWorkOrders: onPglite.openWorkOrders,
	postgres: onPostgres
});
