/**
 * Crew suggestions at the size the issue names: 200 crews.
 *
 *  1. the pure ranking (src/lib/domain/dispatch.ts) of 200 crews, each with 3–5 technicians'
 *     certificates and 20–40 booked sites, for a job of 30 days: median and p95 over --runs;
 *  2. the service (suggestCrews: read the job, the 200 crews with certificates and bookings in
 *     SQL, rank, reasons in the user's language) on a small demo database given 194 more crews
 *     with bookings: on PGlite, and on PostgreSQL too when TEST_DATABASE_URL or DATABASE_URL is
 *     set (a throwaway database); and one assignment (locks, re-check, write, event).
 *
 *   npm run bench:dispatch [-- --runs 200]
 *
 * The last line is one JSON object of the figures.
 */
import { sql } from 'drizzle-orm';
import { numberArg, parseArgs } from './lib/args';
import { progress, result, round } from './lib/log';
import { median, percentile } from './lib/stats';
import { openDatabase, migrate, rows, type Db } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/seed';
import { loadActor } from '../src/lib/server/auth/session';
import { assignJob, suggestCrews } from '../src/lib/server/services/dispatch';
import { rankCrews, type CrewInfo, type JobNeed } from '../src/lib/domain/dispatch';
import { addDays } from '../src/lib/domain/days';
import { chinaToday } from '../src/lib/server/services/order-common';
import { createTestDatabase } from '../tests/helpers/app-server';
import { Rng } from '../src/lib/server/seed/random';

const args = parseArgs();
const runs = numberArg(args, 'runs', 200);
const CREWS = 200;
const today = chinaToday();
const SKILLS = [
	'mechanical',
	'electrical',
	'commissioning',
	'inspection',
	'escalator',
	'maintenance',
	'rescue'
];

function time(fn: () => unknown): number {
	const t = performance.now();
	fn();
	return performance.now() - t;
}

// ---- 1. the pure ranking ------------------------------------------------------------------
const rng = new Rng(11);
const crews: CrewInfo[] = Array.from({ length: CREWS }, (_, i) => ({
	id: i + 1,
	name: `crew ${i + 1}`,
	baseCity: 'x',
	base: { lat: rng.float(22, 40), lng: rng.float(110, 122) },
	capacity: rng.int(2, 40),
	active: true,
	certificates: Array.from({ length: rng.int(3, 5) }).flatMap(() =>
		rng.sample(SKILLS, rng.int(2, 5)).map((skill) => ({
			skill,
			certificateNo: 'TS',
			expiresOn: addDays(today, rng.int(-30, 900))
		}))
	),
	bookings: Array.from({ length: rng.int(20, 40) }, (_, k) => {
		const start = addDays(today, rng.int(-40, 60));
		return { jobId: 10_000 + i * 100 + k, start, end: addDays(start, rng.int(10, 50)) };
	})
}));
const job: JobNeed = {
	id: 1,
	at: { lat: 31.2, lng: 121.4 },
	start: addDays(today, 7),
	end: addDays(today, 37),
	skills: ['mechanical', 'electrical']
};
for (let i = 0; i < 20; i++) rankCrews(job, crews);
const pure = Array.from({ length: runs }, () => time(() => rankCrews(job, crews)));
progress(`pure ranking of ${CREWS} crews: median ${round(median(pure), 3)} ms`);

// ---- 2. through the service -----------------------------------------------------------------
async function serviceRun(db: Db, label: string) {
	progress(`${label}: seeding a small demo, then ${CREWS - 6} more crews`);
	await seedDemo(db, { orders: 300 });
	const [{ company_id: companyId }] = await rows<{ company_id: number }>(
		db,
		sql`select company_id from crews order by id limit 1`
	);
	await db.execute(sql`
		insert into crews (company_id, name, base_city, base_lat, base_lng, capacity)
		select ${companyId}, '测试队 ' || g, '上海', 30 + random() * 2, 120 + random() * 2, 5 + (random() * 30)::int
		from generate_series(1, ${CREWS - 6}) g`);
	// Each new crew gets two technicians with certificates (most valid, some expired or missing).
	await db.execute(sql`
		insert into users (username, display_name, password_hash, home_company_id)
		select 'benchtech' || c.id || '_' || k, '技术员 ' || c.id || '-' || k, 'x', ${companyId}
		from crews c, generate_series(1, 2) k where c.name like '测试队 %'`);
	await db.execute(sql`
		insert into crew_members (crew_id, user_id)
		select c.id, u.id from crews c join users u on u.username in ('benchtech' || c.id || '_1', 'benchtech' || c.id || '_2')
		where c.name like '测试队 %'`);
	await db.execute(sql`
		insert into technician_skills (user_id, skill_id, certificate_no, certificate_expires_on)
		select u.id, s.id, 'TS', current_date + (random() * 900)::int - 60
		from users u, skills s where u.username like 'benchtech%' and random() < 0.8`);
	// And bookings: demo jobs copied onto them over the coming weeks.
	await db.execute(sql`
		insert into installation_jobs (company_id, number, order_id, site_id, crew_id, status, planned_start, planned_end, lat, lng)
		select ${companyId}, 'IJ-BENCH-' || c.id || '-' || k, j.order_id, j.site_id, c.id, 'in_progress',
			current_date + (random() * 60)::int - 30, current_date + 30 + (random() * 40)::int, j.lat, j.lng
		from crews c, generate_series(1, 20) k,
			lateral (select order_id, site_id, lat, lng from installation_jobs where company_id = ${companyId} limit 1) j
		where c.name like '测试队 %'`);
	// Fresh statistics, as autovacuum would give a live database.
	await db.execute(sql`analyze crews, crew_members, technician_skills, installation_jobs, users`);
	const [{ id: userId }] = await rows<{ id: number }>(
		db,
		sql`select id from users where username = 'dispatcher1'`
	);
	const actor = (await loadActor(db, userId))!;
	const [target] = await rows<{ id: number; version: number }>(
		db,
		sql`update installation_jobs set status = 'unassigned', crew_id = null, planned_start = current_date + 7, planned_end = current_date + 37
			where id = (select id from installation_jobs where company_id = ${companyId} order by id limit 1) returning id, version`
	);
	const [{ n }] = await rows<{ n: number }>(
		db,
		sql`select count(*)::int as n from crews where company_id = ${companyId}`
	);
	const ctx = { db, actor: { ...actor, companyIds: [companyId] } };
	for (let i = 0; i < 5; i++) await suggestCrews(ctx, target.id);
	const times: number[] = [];
	let eligible = 0;
	for (let i = 0; i < Math.min(runs, 60); i++) {
		const t = performance.now();
		const r = await suggestCrews(ctx, target.id);
		times.push(performance.now() - t);
		eligible = r.suggestions.filter((s) => s.eligible).length;
	}
	const best = (await suggestCrews(ctx, target.id)).suggestions.find((s) => s.eligible);
	const t = performance.now();
	if (best) await assignJob(ctx, target.id, { crewId: best.crewId, version: target.version });
	const assignMs = performance.now() - t;
	progress(
		`${label}: ${n} crews, ${eligible} eligible; suggest median ${round(median(times))} ms, assign ${round(assignMs)} ms`
	);
	return {
		crews: Number(n),
		suggestMedianMs: round(median(times)),
		suggestP95Ms: round(percentile(times, 95)),
		assignMs: round(assignMs)
	};
}

const pglite = await openDatabase({ url: null, dataDir: null, poolSize: 1 });
await migrate(pglite, 'drizzle');
const onPglite = await serviceRun(pglite.db, 'PGlite');
await pglite.close();

let onPostgres: Awaited<ReturnType<typeof serviceRun>> | null = null;
const base = process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL;
if (base) {
	const created = await createTestDatabase(base, 'eo_bench_dispatch');
	const pg = await openDatabase({ url: created.url, poolSize: 2 });
	await migrate(pg, 'drizzle');
	onPostgres = await serviceRun(pg.db, 'PostgreSQL');
	await pg.close();
	await created.drop();
}

result({
	crews: CREWS,
	rankMedianMs: round(median(pure), 3),
	rankP95Ms: round(percentile(pure, 95), 3),
	suggestPgliteMs: onPglite.suggestMedianMs,
	suggestPgliteP95Ms: onPglite.suggestP95Ms,
	assignPgliteMs: onPglite.assignMs,
	suggestPostgresMs: onPostgres?.suggestMedianMs ?? null,
	suggestPostgresP95Ms: onPostgres?.suggestP95Ms ?? null,
	assignPostgresMs: onPostgres?.assignMs ?? null
});
