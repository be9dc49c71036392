/**
 * Shop-floor terminal actions (services/terminal-actions.ts) on a throwaway PostgreSQL database
 * of demo data, through the same service the endpoint calls:
 *
 *  1. a press: start / pause on steps of the station, one transaction each (idempotency key
 *     claimed, step locked, work order, unit and order followed, events appended);
 *  2. a replay: the same keys again, answered from the stored result;
 *  3. an offline backlog: --backlog presses queued in the browser's real ActionQueue while
 *     "offline", then drained in order when the network returns.
 *
 *   npm run bench:terminal -- [--presses 200] [--backlog 300] [--orders 400]
 *
 * The last line is one JSON object of the figures.
 */
import { sql } from 'drizzle-orm';
import { numberArg, parseArgs } from './lib/args';
import { progress, result, round } from './lib/log';
import { createDatabase, dropDatabase } from './lib/pg';
import { summarize } from './lib/stats';
import { openDatabase, migrate, rows } from '../src/lib/server/db';
import { seedDemo } from '../src/lib/server/seed';
import { loadActor } from '../src/lib/server/auth/session';
import { deviceForToken } from '../src/lib/server/auth/device';
import { enrolDevice, registerDevice } from '../src/lib/server/services/devices';
import { terminalSignIn } from '../src/lib/server/services/terminal-auth';
import { terminalAction } from '../src/lib/server/services/terminal-actions';
import { ActionQueue, newKey } from '../src/lib/terminal/queue';

const args = parseArgs();
const presses = numberArg(args, 'presses', 200);
const backlog = numberArg(args, 'backlog', 300);
const orders = numberArg(args, 'orders', 400);
const NAME = 'eo_bench_terminal';

const url = await createDatabase(NAME);
const database = await openDatabase({ url, dataDir: null, poolSize: 4 });
try {
	await migrate(database, 'drizzle');
	progress(`seeding ${orders} orders`);
	await seedDemo(database.db, { orders });
	const db = database.db;
	const planner = (await loadActor(db, Number((await rows<{ id: number }>(db, sql`select id from users where username = 'planner1'`))[0].id)))!;
	// Every step of open work orders at the busiest centre of SH: made startable, as first steps are.
	const [{ centre }] = await rows<{ centre: number }>(
		db,
		sql`select s.work_centre_id as centre from work_order_steps s join work_orders w on w.id = s.work_order_id
			where s.company_id = 1 and s.status in ('pending', 'ready') and w.status in ('planned', 'released')
			group by 1 order by count(*) desc limit 1`
	);
	const steps = (
		await rows<{ id: number }>(
			db,
			sql`update work_order_steps s set status = 'ready' from work_orders w
				where w.id = s.work_order_id and s.work_centre_id = ${centre} and s.status in ('pending', 'ready')
				and w.status in ('planned', 'released')
				and not exists (select 1 from work_order_steps p where p.work_order_id = s.work_order_id and p.seq < s.seq and p.status <> 'done')
				returning s.id`
		)
	).map((r) => Number(r.id));
	progress(`${steps.length} startable steps at work centre ${centre}`);
	const reg = await registerDevice({ db, actor: planner }, { kind: 'terminal', name: 'bench', companyId: 1, workCentreId: centre });
	const { token } = await enrolDevice(db, { code: reg.code }, 'zh-CN');
	const device = (await deviceForToken(db, token))!.device;
	const signed = await terminalSignIn(db, device, { scan: 'EOB:B10001' }, { ip: null, userAgent: 'bench', locale: 'zh-CN' });
	const worker = (await loadActor(db, signed.worker.id))!;
	const ctx = { db, actor: worker };

	// 1. Presses: start then pause, round the steps.
	const sent: Record<string, unknown>[] = [];
	const pressMs: number[] = [];
	for (let i = 0; i < presses; i++) {
		const now = Date.now();
		const body = { key: newKey(), stepId: steps[Math.floor(i / 2) % steps.length], action: i % 2 ? 'pause' : 'start', occurredAt: now, sentAt: now };
		const t = performance.now();
		const answer = await terminalAction(ctx, device, body);
		pressMs.push(performance.now() - t);
		if (answer.outcome !== 'applied') throw new Error(`press ${i}: ${answer.message}`);
		sent.push(body);
	}
	progress(`${presses} presses applied`);

	// 2. The same keys again: the stored answers.
	const replayMs: number[] = [];
	for (const body of sent) {
		const t = performance.now();
		const answer = await terminalAction(ctx, device, { ...body, sentAt: Date.now() });
		replayMs.push(performance.now() - t);
		if (!answer.replayed) throw new Error('a replay was applied again');
	}

	// 3. A backlog queued offline in the browser's queue, drained when the network is back.
	let online = false;
	const store = new Map<string, string>();
	const queue = new ActionQueue({
		storage: { getItem: (k) => store.get(k) ?? null, setItem: (k, v) => void store.set(k, v) },
		storageKey: 'bench',
		online: () => online,
		backoff: () => 60_000,
		fetch: async (_url, init) => Response.json(await terminalAction(ctx, device, JSON.parse(String(init.body))))
	});
	const pressedAt = Date.now() - 3_600_000;
	for (let i = 0; i < backlog; i++)
		queue.enqueue({ stepId: steps[Math.floor(i / 2) % steps.length], action: i % 2 ? 'pause' : 'start', label: '', occurredAt: pressedAt + i * 1000 });
	online = true;
	const t0 = performance.now();
	queue.kick();
	await queue.flush();
	const drainMs = performance.now() - t0;
	const state = queue.state;
	if (state.pending.length) throw new Error('backlog not drained');
	progress(`backlog of ${backlog} drained in ${round(drainMs)} ms, ${state.attention.length} refused`);
	const [{ n }] = await rows<{ n: number }>(db, sql`select count(*)::int as n from terminal_actions where device_id = ${device.id}`);

	result({
		bench: 'terminal',
		database: 'postgresql',
		station: { centre, steps: steps.length },
		press: summarize(pressMs),
		replay: summarize(replayMs),
		backlog: { actions: backlog, drainMs: round(drainMs), perActionMs: round(drainMs / backlog, 2), refused: state.attention.length },
		storedActions: Number(n)
	});
} finally {
	await database.close();
	await dropDatabase(NAME);
}
