/**
 * The dispatcher's map with 5,000 job markers, in Chromium, on the built app.
 *
 * Set-up: the built app (`node server.js`) on a throwaway PostgreSQL database of demo data, to
 * which this script adds open installation jobs (copies of the demo jobs' orders and sites,
 * spread ±0.4° around them, 60 % assigned to a crew of their company) until BENCH_MARKERS
 * open jobs are on the map. dispatcher1 opens /installation/dispatch?kinds=jobs,crews (all 3
 * companies: 5,000 job markers plus the crews) at 1920×1080 with every tile request refused,
 * as on a machine with no map server.
 *
 *  - first render: BENCH_LOADS loads; `firstRenderMs` is navigation start → every marker added
 *    to the clusterer and the clusters drawn (the page's `dmap:ready` mark), median;
 *    `mapOnlyMs` the map component's own part of it (markers created and clustered);
 *  - one live update: an assigned job is taken back through the API (one marker changes from
 *    "assigned" to "unassigned"); `liveUpdateMs` is the page's own time from the event in hand to
 *    the markers and clusters redrawn (`dmap:apply`), `paintMs` to the next painted frame,
 *    `requestToMapMs` from the HTTP answer to the redraw done (epoch ms, same machine);
 *    BENCH_UPDATES such updates one after another give the p50/p95;
 *  - a burst: BENCH_UPDATES more taken back at once (concurrent requests): the batches the page
 *    applied, their summed apply time, and first request → last redraw.
 *
 *   npm run bench:map            # BENCH_MARKERS=5000 BENCH_LOADS=3 BENCH_UPDATES=100
 *
 * The last line is one JSON object of the figures.
 */
import postgres from 'postgres';
import { chromium, type Page } from 'playwright-core';
import { startAppServer } from '../tests/helpers/app-server';
import { signedIn, type HttpClient } from '../tests/helpers/http-client';
import { progress, result, round } from './lib/log';
import { ADMIN_URL } from './lib/pg';
import { ensureBuild } from './lib/server';
import { median, percentile } from './lib/stats';

const MARKERS = Number(process.env.BENCH_MARKERS ?? 5000);
const LOADS = Number(process.env.BENCH_LOADS ?? 3);
const UPDATES = Number(process.env.BENCH_UPDATES ?? 100);
const PATH = '/installation/dispatch?kinds=jobs,crews';

type Job = { id: number; status: string; version: number; lat: number | null };

ensureBuild();
process.env.TEST_DATABASE_URL = ADMIN_URL;
const server = await startAppServer();
const sql = postgres(server.databaseUrl!, { max: 2, onnotice: () => {} });
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
});
const epoch = () => performance.timeOrigin + performance.now();

const openJobs = (c: HttpClient) =>
	c.request('GET', '/api/v1/installation/board?kinds=jobs').then((r) => r.json<{ jobs: Job[] }>().jobs);

/** Open jobs up to `target`, copied from the demo jobs with their points spread out. */
async function fillTo(target: number, client: HttpClient): Promise<number> {
	const missing = target - (await openJobs(client)).filter((j) => j.lat !== null).length;
	if (missing > 0)
		await sql`
			with src as (select j.*, row_number() over (order by j.id) - 1 as n, count(*) over () as total from installation_jobs j)
			insert into installation_jobs (company_id, number, order_id, site_id, crew_id, status, priority,
				planned_start, planned_end, lat, lng)
			select s.company_id, 'IJ-BENCH-' || g, s.order_id, s.site_id,
				case when g % 5 < 3 then (select c.id from crews c where c.company_id = s.company_id order by c.id limit 1) end,
				case when g % 5 < 3 then 'assigned' else 'unassigned' end,
				case when g % 9 = 0 then 'urgent' else 'normal' end,
				current_date + (g % 20), current_date + (g % 20) + 30,
				least(89, greatest(-89, coalesce(s.lat, 31) + ((g * 7919) % 800 - 400) / 1000.0)),
				least(179, greatest(-179, coalesce(s.lng, 121) + ((g * 104729) % 800 - 400) / 1000.0))
			from generate_series(0, ${missing - 1}) g join src s on s.n = g % s.total`;
	await sql`analyze installation_jobs`;
	return (await openJobs(client)).filter((j) => j.lat !== null).length;
}

async function load(page: Page) {
	await page.goto(server.url + PATH);
	await page.locator('[data-testid=dispatch][data-ready=true]').waitFor({ timeout: 120_000 });
	return page.evaluate(() => {
		const e = performance.getEntriesByName('dmap:ready')[0] as PerformanceMark;
		return {
			ready: e.startTime,
			mapMs: (e.detail as { mapMs: number }).mapMs,
			icons: document.querySelectorAll('.leaflet-marker-icon').length
		};
	});
}

const measures = (page: Page, name: string) =>
	page.evaluate(
		(n) =>
			performance.getEntriesByName(n).map((e) => ({
				start: e.startTime,
				end: e.startTime + e.duration,
				ms: e.duration,
				origin: performance.timeOrigin
			})),
		name
	);

try {
	const dispatcher = await signedIn(server.url, 'dispatcher1');
	progress(`filling the board to ${MARKERS} open jobs with coordinates`);
	const markers = await fillTo(MARKERS, dispatcher);

	const ctx = await browser.newContext({
		viewport: { width: 1920, height: 1080 },
		locale: 'zh-CN',
		timezoneId: 'Asia/Shanghai'
	});
	await ctx.route(/tile\.openstreetmap\.org/, (r) => r.abort());
	await ctx.addCookies([{ name: 'session', value: dispatcher.session!, url: server.url }]);
	const page = await ctx.newPage();

	progress(`first render: ${LOADS} loads`);
	const loads = [];
	for (let i = 0; i < LOADS; i++) loads.push(await load(page));
	await page.locator('[data-testid=live-status][data-status=live]').waitFor({ timeout: 30_000 });

	const assigned = (await openJobs(dispatcher)).filter((j) => j.status === 'assigned');
	if (assigned.length < 2 * UPDATES) throw new Error(`only ${assigned.length} assigned jobs to take back`);
	const takeBack = (j: Job) =>
		dispatcher.request('POST', `/api/v1/installation-jobs/${j.id}/unassign`, {
			headers: { origin: server.url },
			json: { version: j.version }
		});

	progress(`one live update at a time: ${UPDATES} jobs taken back`);
	const fromAnswer: number[] = [];
	for (const job of assigned.slice(0, UPDATES)) {
		const before = (await measures(page, 'dmap:apply')).length;
		const res = await takeBack(job);
		const answered = epoch();
		if (res.status !== 200) throw new Error(`unassign ${job.id}: ${res.status} ${res.text.slice(0, 200)}`);
		await page.waitForFunction((n) => performance.getEntriesByName('dmap:apply').length > n, before, {
			timeout: 10_000
		});
		const last = (await measures(page, 'dmap:apply')).at(-1)!;
		fromAnswer.push(last.origin + last.end - answered);
	}
	await page.waitForTimeout(300);
	const apply = (await measures(page, 'dmap:apply')).map((e) => e.ms);
	const paint = (await measures(page, 'dmap:paint')).map((e) => e.ms);

	progress(`a burst: ${UPDATES} jobs taken back at once`);
	await page.evaluate(() => performance.clearMeasures());
	const sent = epoch();
	const answers = await Promise.all(assigned.slice(UPDATES, 2 * UPDATES).map(takeBack));
	if (answers.some((r) => r.status !== 200)) throw new Error('a burst unassign failed');
	// Quiet for a second: every event of the burst has been applied.
	let seen = -1;
	for (
		let n = (await measures(page, 'dmap:apply')).length;
		n !== seen;
		n = (await measures(page, 'dmap:apply')).length
	) {
		seen = n;
		await page.waitForTimeout(1000);
	}
	const burst = await measures(page, 'dmap:apply');
	const unassignedShown = await page.evaluate(() => document.querySelectorAll('.leaflet-marker-icon').length);
	await ctx.close();

	result({
		markers,
		firstRenderMs: round(median(loads.map((l) => l.ready)), 1),
		mapOnlyMs: round(median(loads.map((l) => l.mapMs)), 1),
		iconsDrawn: loads[0].icons,
		liveUpdateMs: round(median(apply), 2),
		liveUpdateP95Ms: round(percentile(apply, 95), 2),
		paintMs: round(median(paint), 2),
		paintP95Ms: round(percentile(paint, 95), 2),
		requestToMapMs: round(median(fromAnswer), 1),
		requestToMapP95Ms: round(percentile(fromAnswer, 95), 1),
		burst: {
			updates: UPDATES,
			batches: burst.length,
			applyTotalMs: round(
				burst.reduce((s, e) => s + e.ms, 0),
				1
			),
			firstRequestToLastRedrawMs: burst.length
				? round(burst.at(-1)!.origin + burst.at(-1)!.end - sent, 1)
				: null
		},
		iconsAfterBurst: unassignedShown,
		loads: LOADS
	});
} finally {
	await browser.close();
	await sql.end();
	await server.stop();
}
