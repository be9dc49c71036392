/**
 * The production wall board, on the built app (`node server.js`) with a throwaway PostgreSQL
 * database of demo data, the board of company SH filled to 500 work orders in production:
 *
 *  (b) render: a wall display (an enrolled device, its cookie) opens /wall/production in
 *      Chromium at 1920×1080; time from navigation start to the board drawn and live
 *      (`wall:drawn`, set when the page is interactive) and to the first contentful paint,
 *      median of BENCH_LOADS loads; the snapshot API's size and time;
 *  (a) terminal action → wall board: BENCH_ACTIONS running steps are finished one by one as
 *      shopfloor1 through POST /api/v1/work-order-steps/:id/progress; a MutationObserver in the
 *      page notes when the board's content first changes; the figure is that moment minus the
 *      moment the HTTP response arrived (both epoch milliseconds on this machine; negative when
 *      the board changed before the response was read), p50/p95;
 *      and the time the page takes to apply one live update (`wall:apply`: from the event in
 *      hand to the DOM updated), p50/p95.
 *
 *   npm run bench:wall            # BENCH_ACTIONS=30 BENCH_LOADS=5 BENCH_WORK_ORDERS=500
 *
 * The last line is one JSON object of the figures.
 */
import postgres from 'postgres';
import { chromium } from 'playwright-core';
import { startAppServer } from '../tests/helpers/app-server';
import { signedIn, type HttpClient } from '../tests/helpers/http-client';
import { progress, result, round } from './lib/log';
import { ADMIN_URL } from './lib/pg';
import { ensureBuild } from './lib/server';
import { median, percentile, summarize } from './lib/stats';

const ACTIONS = Number(process.env.BENCH_ACTIONS ?? 30);
const LOADS = Number(process.env.BENCH_LOADS ?? 5);
const WORK_ORDERS = Number(process.env.BENCH_WORK_ORDERS ?? 500);
const SH = 1;

type BoardStep = { id: number; workCentreId: number; status: string; version: number };
type Snapshot = { board: { steps: BoardStep[]; workOrders: unknown[] } };

ensureBuild();
process.env.TEST_DATABASE_URL = ADMIN_URL;
const server = await startAppServer();
const sql = postgres(server.databaseUrl!, { max: 2, onnotice: () => {} });
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
	args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking']
});
const epoch = () => performance.timeOrigin + performance.now();

/** More units on SH's orders in production, each with a started work order of the model's routing. */
async function fillTo(target: number, planner: HttpClient): Promise<number> {
	const now = () => planner.request('GET', `/api/v1/wall/production?company=${SH}`).then((r) => r.json<Snapshot>().board.workOrders.length);
	const missing = target - (await now());
	if (missing <= 0) return now();
	await sql.begin(async (tx) => {
		const units = await tx`
			with src as (
				select o.id as order_id, l.id as line_id, l.model_id, row_number() over (order by o.id, l.id) - 1 as n, count(*) over () as total
				from orders o join order_lines l on l.order_id = o.id
				where o.company_id = ${SH} and o.status = 'in_production'
			)
			insert into units (company_id, order_id, line_id, serial_no, model_id, status)
			select ${SH}, s.order_id, s.line_id, 'BENCH-' || g, s.model_id, 'in_production'
			from generate_series(0, ${missing - 1}) g join src s on s.n = g % s.total
			returning id, order_id, model_id`;
		const ids = units.map((u) => u.id as number);
		await tx`
			insert into work_orders (company_id, number, order_id, unit_id, routing_id, status, due_date, projected_finish, started_at)
			select ${SH}, 'WO-BENCH-' || u.id, u.order_id, u.id,
				(select r.id from routings r where r.company_id = ${SH} and r.model_id = u.model_id and r.active order by r.id limit 1),
				'in_progress', current_date + (u.id % 40)::int, current_date + (u.id % 40)::int + (u.id % 9)::int - 4, now() - interval '1 day'
			from units u where u.id = any(${ids})`;
		// Step 1 done yesterday, step 2 running (planned today), the rest pending on the days after.
		await tx`
			insert into work_order_steps (company_id, work_order_id, seq, stage, work_centre_id, standard_hours, status,
				planned_date, planned_end, planned_hours, started_at, finished_at, worked_seconds, run_started_at)
			select ${SH}, w.id, rs.seq, rs.stage, rs.work_centre_id, rs.standard_hours,
				case when rs.seq = 1 then 'done' when rs.seq = 2 then 'in_progress' else 'pending' end,
				current_date + rs.seq - 2, current_date + rs.seq - 2,
				jsonb_build_object((current_date + rs.seq - 2)::text, rs.standard_hours),
				case when rs.seq <= 2 then now() - interval '20 hours' end,
				case when rs.seq = 1 then now() - interval '16 hours' end,
				case when rs.seq = 1 then 14400 else 0 end,
				case when rs.seq = 2 then now() - interval '10 minutes' end
			from work_orders w join routing_stages rs on rs.routing_id = w.routing_id
			where w.unit_id = any(${ids})`;
	});
	await sql`analyze`;
	return now();
}

async function enrolWall(baseUrl: string, planner: HttpClient): Promise<string> {
	const reg = await planner.request('POST', '/api/v1/devices', {
		headers: { origin: baseUrl },
		json: { kind: 'wall', name: 'bench wall', companyId: SH, settings: { views: ['centres'], rotateSeconds: 600 } }
	});
	const { code } = reg.json<{ code: string }>();
	const res = await fetch(`${baseUrl}/api/v1/devices/enrol`, {
		method: 'POST',
		headers: { 'content-type': 'application/json', origin: baseUrl },
		body: JSON.stringify({ code })
	});
	const cookie = res.headers.getSetCookie().find((c) => c.startsWith('device='));
	if (!cookie) throw new Error(`enrolment failed: ${res.status} ${await res.text()}`);
	return cookie.split(';')[0].slice('device='.length);
}

try {
	const planner = await signedIn(server.url, 'planner1');
	progress(`filling SH's board to ${WORK_ORDERS} work orders in production`);
	const inProduction = await fillTo(WORK_ORDERS, planner);

	const snapshotTimes: number[] = [];
	let snapshotBytes = 0;
	for (let i = 0; i < 10; i++) {
		const t = performance.now();
		const res = await planner.request('GET', `/api/v1/wall/production?company=${SH}`);
		snapshotTimes.push(performance.now() - t);
		snapshotBytes = Buffer.byteLength(res.text);
	}

	const token = await enrolWall(server.url, planner);
	const ctx = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
	await ctx.addCookies([{ name: 'device', value: token, url: server.url }]);
	const page = await ctx.newPage();

	progress(`render: ${LOADS} loads of the board`);
	const drawn: number[] = [];
	const fcp: number[] = [];
	for (let i = 0; i < LOADS; i++) {
		await page.goto(`${server.url}/wall/production?view=centres`);
		await page.locator('[data-testid=live-status][data-status=live]').waitFor({ timeout: 30_000 });
		const t = await page.evaluate(() => ({
			drawn: performance.getEntriesByName('wall:drawn')[0]?.startTime ?? NaN,
			fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN
		}));
		drawn.push(t.drawn);
		fcp.push(t.fcp);
	}

	progress(`terminal action → board: ${ACTIONS} steps finished`);
	await page.evaluate(() => {
		const w = window as unknown as { __armed: boolean; __changed: number };
		w.__armed = false;
		new MutationObserver(() => {
			if (!w.__armed) return;
			w.__armed = false;
			w.__changed = performance.timeOrigin + performance.now();
		}).observe(document.querySelector('[data-testid=wall-view]')!, { subtree: true, childList: true, characterData: true, attributes: true });
	});
	const worker = await signedIn(server.url, 'shopfloor1');
	const running = (await worker.request('GET', `/api/v1/wall/production?company=${SH}`))
		.json<Snapshot>()
		.board.steps.filter((s) => s.status === 'in_progress')
		.slice(0, ACTIONS);
	if (running.length < ACTIONS) throw new Error(`only ${running.length} running steps on the board`);
	const fromResponse: number[] = [];
	const fromRequest: number[] = [];
	for (const step of running) {
		await page.evaluate(() => Object.assign(window, { __armed: true, __changed: 0 }));
		const sent = epoch();
		const res = await worker.request('POST', `/api/v1/work-order-steps/${step.id}/progress`, {
			headers: { origin: server.url },
			json: { action: 'finish', version: step.version }
		});
		const answered = epoch();
		if (res.status !== 200) throw new Error(`finish ${step.id}: ${res.status} ${res.text.slice(0, 200)}`);
		await page.waitForFunction(() => (window as unknown as { __changed: number }).__changed > 0, null, { timeout: 10_000 });
		const changed = await page.evaluate(() => (window as unknown as { __changed: number }).__changed);
		fromResponse.push(changed - answered);
		fromRequest.push(changed - sent);
	}
	const applyMs = await page.evaluate(() => performance.getEntriesByName('wall:apply').map((e) => e.duration));
	const reloads = Number(await page.getByTestId('wall').getAttribute('data-reloads'));
	await ctx.close();

	result({
		workOrdersInProduction: inProduction,
		actionToBoardP50Ms: round(percentile(fromResponse, 50), 1),
		actionToBoardP95Ms: round(percentile(fromResponse, 95), 1),
		requestToBoardP50Ms: round(percentile(fromRequest, 50), 1),
		requestToBoardP95Ms: round(percentile(fromRequest, 95), 1),
		renderMs500: round(median(drawn), 1),
		firstPaintMs500: round(median(fcp), 1),
		liveUpdateMs: round(median(applyMs), 2),
		liveUpdateP95Ms: round(percentile(applyMs, 95), 2),
		snapshot: { kb: round(snapshotBytes / 1024, 1), ...summarize(snapshotTimes) },
		snapshotReloadsDuringActions: reloads,
		actions: ACTIONS,
		loads: LOADS
	});
} finally {
	await browser.close();
	await sql.end();
	await server.stop();
}
