/**
 * Service tickets on the demo data, through the services the endpoints call:
 *
 *  1. the first maintenance sweep (services/maintenance.ts generateVisits): every active plan's
 *     visits for 14 days, auto-assigned, as a new server does once at start;
 *  2. opening a ticket from a call (services/tickets.ts openTicket): unit read, technicians and
 *     their load read, ranking, number, insert and event in one transaction; --opens calls on
 *     units of every company, p50/p95;
 *  3. ranking alone (domain/technician-rank.ts) over --technicians synthetic technicians, and
 *     the same number of real ones added to one company: read their skills and load, then rank
 *     (tickets-rank.ts), p50/p95; then opens again with that many technicians to choose from.
 *
 * On an in-memory PGlite database, and also on a throwaway PostgreSQL database when
 * DATABASE_URL (or BENCH_DATABASE_URL) is set.
 *
 *   npm run bench:tickets -- [--opens 200] [--technicians 200] [--orders 2000]
 *
 * The last line is one JSON object of the figures.
 */
import { sql } from 'drizzle-orm';
import { numberArg, parseArgs } from './lib/args';
import { progress, result, round } from './lib/log';
import postgres from 'postgres';
import { summarize } from './lib/stats';
import { openDatabase, migrate, rows, type Database } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/seed';
import { loadActor } from '../src/lib/server/auth/session';
import { openTicket } from '../src/lib/server/services/tickets';
import { generateVisits } from '../src/lib/server/services/maintenance';
import { loadWorkforce, rankFor } from '../src/lib/server/services/tickets-rank';
import { chinaToday } from '../src/lib/server/services/order-common';
import { rankTechnicians, type Technician } from '../src/lib/domain/technician-rank';
import { TICKET_KINDS, TICKET_PRIORITIES } from '../src/lib/domain/statuses';

const args = parseArgs();
const opens = numberArg(args, 'opens', 200);
const technicians = numberArg(args, 'technicians', 200);
const orders = numberArg(args, 'orders', 2000);
const NAME = 'eo_bench_tickets';

async function timed<T>(fn: () => Promise<T>): Promise<[T, number]> {
	const t = performance.now();
	const r = await fn();
	return [r, performance.now() - t];
}

/** Ranking alone: the pure function over `n` synthetic technicians around Shanghai. */
function rankPure(n: number) {
	let seed = 7;
	const rnd = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
	const skills = ['maintenance', 'rescue', 'inspection', 'electrical'];
	const techs: Technician[] = Array.from({ length: n }, (_, i) => ({
		userId: i + 1,
		name: `T${i}`,
		crewId: 1 + (i % 20),
		crewName: 'C',
		base: { lat: 31 + rnd(), lng: 121 + rnd() },
		skills: skills
			.filter(() => rnd() > 0.3)
			.map((code) => ({ code, certificateNo: 'TS', expiresOn: rnd() > 0.1 ? '2099-01-01' : '2020-01-01' })),
		open: { normal: Math.floor(rnd() * 4), urgent: Math.floor(rnd() * 2) }
	}));
	const ms: number[] = [];
	for (let i = 0; i < 1000; i++) {
		const t = performance.now();
		rankTechnicians(techs, {
			kind: 'fault',
			priority: i % 2 ? 'trapped' : 'normal',
			site: { lat: 31.2, lng: 121.5 },
			today: '2026-03-02'
		});
		ms.push(performance.now() - t);
	}
	return summarize(ms);
}

async function run(database: Database, driver: string) {
	const db = database.db;
	progress(`${driver}: seeding ${orders} orders`);
	await seedDemo(db, { orders });
	const [sweep, sweepMs] = await timed(() => generateVisits(db));
	progress(
		`${driver}: first sweep made ${sweep.created} visits for ${sweep.plans} plans in ${round(sweepMs)} ms`
	);
	const [again, againMs] = await timed(() => generateVisits(db));
	const [{ id: dispatcherId }] = await rows<{ id: number }>(
		db,
		sql`select id from users where username = 'dispatcher1'`
	);
	const actor = (await loadActor(db, Number(dispatcherId)))!;
	const units = await rows<{ id: number; company_id: number }>(
		db,
		sql`select id, company_id from units where status in ('handed_over', 'in_service') order by id`
	);
	const openMany = async () => {
		const ms: number[] = [];
		let assigned = 0;
		for (let i = 0; i < opens; i++) {
			const [t, took] = await timed(() =>
				openTicket(
					{ db, actor },
					{
						unitId: Number(units[(i * 37) % units.length].id),
						kind: TICKET_KINDS[i % TICKET_KINDS.length],
						priority: TICKET_PRIORITIES[i % TICKET_PRIORITIES.length],
						description: 'bench call',
						reporterPhone: '13800000000'
					}
				)
			);
			ms.push(took);
			if (t.status === 'assigned') assigned++;
		}
		return { ...summarize(ms), assigned };
	};
	const open = await openMany();
	progress(`${driver}: ${opens} opens p50 ${open.p50Ms} ms p95 ${open.p95Ms} ms (${open.assigned} assigned)`);

	// Many technicians in company SH: copies of its technicians' skills, in its crews.
	const sh = Number((await rows<{ id: number }>(db, sql`select id from companies where code = 'SH'`))[0].id);
	await db.execute(sql`
		with made as (
			insert into users (username, display_name, password_hash, home_company_id)
			select 'benchtech' || g, '技术员' || g, 'x', ${sh} from generate_series(1, ${technicians}) g
			returning id, username
		), crewed as (
			insert into crew_members (crew_id, user_id)
			select (select id from crews where company_id = ${sh} order by id limit 1 offset (substring(m.username from 10)::int % 2)), m.id
			from made m returning user_id
		)
		insert into technician_skills (user_id, skill_id, certificate_no, certificate_expires_on)
		select c.user_id, s.id, 'TS-BENCH', (now() + interval '1 year')::date from crewed c cross join skills s
		where s.code in ('maintenance', 'rescue') and (c.user_id + s.id) % 3 <> 0`);
	const ms: number[] = [];
	let count = 0;
	for (let i = 0; i < 200; i++) {
		const t = performance.now();
		const w = await loadWorkforce(db, [sh], chinaToday());
		count = rankFor(w, {
			companyId: sh,
			kind: 'fault',
			priority: 'trapped',
			lat: 31.2,
			lng: 121.5,
			plannedOn: null
		}).length;
		ms.push(performance.now() - t);
	}
	const readRank = { ...summarize(ms), technicians: count };
	progress(`${driver}: read + rank ${count} technicians p50 ${readRank.p50Ms} ms`);
	const openWithMany = await openMany();
	return {
		sweep: { ...sweep, ms: round(sweepMs), againMs: round(againMs), againCreated: again.created },
		open,
		readRank,
		openWithMany
	};
}

const figures: Record<string, unknown> = { opens, technicians, orders, rankPure: rankPure(technicians) };
progress(`pure ranking of ${technicians}: p50 ${(figures.rankPure as { p50Ms: number }).p50Ms} ms`);
const pglite = await openDatabase({ url: null, dataDir: null });
try {
	await migrate(pglite, 'drizzle');
	figures.pglite = await run(pglite, 'pglite');
} finally {
	await pglite.close();
}
const serverUrl = process.env.DATABASE_URL || process.env.BENCH_DATABASE_URL;
if (serverUrl) {
	// A throwaway database on that server, dropped afterwards.
	const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
	await admin.unsafe(`drop database if exists ${NAME} with (force)`);
	await admin.unsafe(`create database ${NAME}`);
	const url = new URL(serverUrl);
	url.pathname = `/${NAME}`;
	const pg = await openDatabase({ url: url.toString(), dataDir: null, poolSize: 4 });
	try {
		await migrate(pg, 'drizzle');
		figures.postgres = await run(pg, 'postgres');
	} finally {
		await pg.close();
		await admin.unsafe(`drop database if exists ${NAME} with (force)`);
		await admin.end({ timeout: 5 });
	}
}
result(figures);
