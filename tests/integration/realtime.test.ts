import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server as HttpServer } from 'node:http';
import { sql } from 'drizzle-orm';
import { io as connect, type Socket } from 'socket.io-client';
import { drivers, useDatabase, actorOf, query, userId } from './db';
import { createSession, sessionPolicy } from '../../src/lib/server/auth/session';
import { attachRealtime, type Realtime } from '../../src/lib/server/realtime/server';
import { setRealtime } from '../../src/lib/server/realtime/hub';
import { currentCursor, eventsSince, isCursor } from '../../src/lib/server/realtime/stream';
import { reportStepProgress } from '../../src/lib/server/services/step-progress';
import { ConflictError } from '../../src/lib/server/errors';
import type { Db } from '../../src/lib/server/db';

/**
 * A real command through the service layer, real sockets on a real server: an event reaches
 * exactly the sockets whose user may see its company and topic, live and by catch-up; bad
 * socket messages are answered, never obeyed.
 */
const policy = sessionPolicy(72, 30);
type Wire = { id: number; companyId: number; type: string; entityId: number; version: number };
type Answer = { ok: boolean; error?: { code: string; message: string }; events?: Wire[]; cursor?: string; reset?: boolean };

describe.each(drivers)('live events (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let http: HttpServer;
	let live: Realtime;
	let url: string;
	const sockets: Socket[] = [];

	beforeAll(async () => {
		db = t.db;
		http = createServer();
		live = await attachRealtime(http, { db, sessions: policy, origin: null });
		setRealtime(live);
		await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
		url = `http://127.0.0.1:${(http.address() as { port: number }).port}`;
	});
	afterAll(async () => {
		for (const s of sockets) s.close();
		setRealtime(undefined);
		await live.close(); // closes the HTTP server too
	});

	/** A connected socket of the user and everything it hears. */
	async function listen(username: string): Promise<{ socket: Socket; heard: Wire[]; cursors: string[] }> {
		const { token } = await createSession(db, await userId(db, username), policy);
		const socket = connect(url, {
			transports: ['websocket'],
			forceNew: true,
			extraHeaders: { cookie: `session=${token}` },
			reconnection: false
		});
		sockets.push(socket);
		const heard: Wire[] = [];
		const cursors: string[] = [];
		socket.on('events', (batch: { events: Wire[]; cursor: string }) => {
			heard.push(...batch.events);
			cursors.push(batch.cursor);
		});
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		return { socket, heard, cursors };
	}

	const ask = (s: Socket, event: string, body: unknown): Promise<Answer> => s.timeout(5000).emitWithAck(event, body);

	/** One open step per company, with its version. */
	async function stepPerCompany(): Promise<{ id: number; companyId: number; version: number }[]> {
		return (
			await query<{ id: number; company_id: number; version: number }>(
				db,
				sql`select distinct on (company_id) id, company_id, version from work_order_steps
					where status in ('pending', 'ready') order by company_id, id`
			)
		).map((r) => ({ id: Number(r.id), companyId: Number(r.company_id), version: Number(r.version) }));
	}

	async function until(cond: () => boolean, ms = 5000) {
		const end = Date.now() + ms;
		while (!cond()) {
			if (Date.now() > end) throw new Error('condition not met in time');
			await new Promise((r) => setTimeout(r, 20));
		}
	}
	const quiet = () => new Promise((r) => setTimeout(r, 1300)); // past the tail's safety read

	it('delivers every event type only to sockets that may see its company and topic', async () => {
		const scoped = await listen('scoped1');
		const manager = await listen('manager1');
		const sales = await listen('sales1'); // no production.read
		const planner = await actorOf(db, 'planner1');
		const grant = (await actorOf(db, 'scoped1')).companyIds;
		expect(grant).toHaveLength(1);
		const steps = await stepPerCompany();
		expect(steps.length).toBe(3);
		for (const s of steps) {
			let version = s.version;
			for (const action of ['start', 'pause', 'start', 'finish'] as const)
				version = (await reportStepProgress({ db, actor: planner }, s.id, { action, version })).version;
		}
		await until(() => manager.heard.length >= 12);
		await quiet();
		expect(manager.heard).toHaveLength(12);
		expect(new Set(manager.heard.map((e) => e.type))).toEqual(
			new Set(['work_order_step.start', 'work_order_step.pause', 'work_order_step.finish'])
		);
		expect(scoped.heard).toHaveLength(4);
		expect(scoped.heard.every((e) => e.companyId === grant[0])).toBe(true);
		expect(sales.heard).toHaveLength(0);
		// In commit order, each a newer version of the step, every batch with a cursor.
		const versions = scoped.heard.map((e) => e.version);
		expect(versions).toEqual([...versions].sort((a, b) => a - b));
		expect(manager.cursors.every(isCursor)).toBe(true);
	});

	it('refuses a stale version with the row as it is now, and publishes nothing', async () => {
		const manager = await listen('manager1');
		const planner = await actorOf(db, 'planner1');
		const [s] = await stepPerCompany();
		await reportStepProgress({ db, actor: planner }, s.id, { action: 'start', version: s.version });
		const stale = reportStepProgress({ db, actor: planner }, s.id, { action: 'pause', version: s.version });
		await expect(stale).rejects.toBeInstanceOf(ConflictError);
		await expect(stale).rejects.toMatchObject({
			current: { id: s.id, version: s.version + 1, status: 'in_progress', operatorName: planner.displayName }
		});
		await until(() => manager.heard.some((e) => e.entityId === s.id));
		await quiet();
		expect(manager.heard.filter((e) => e.entityId === s.id)).toHaveLength(1);
	});

	it('catches up after a disconnect with what the user may see, exactly once', async () => {
		const scoped = await listen('scoped1');
		const grant = (await actorOf(db, 'scoped1')).companyIds[0];
		const cursor = await currentCursor(db);
		scoped.socket.disconnect();
		const planner = await actorOf(db, 'planner1');
		const steps = await stepPerCompany();
		for (const s of steps)
			await reportStepProgress({ db, actor: planner }, s.id, { action: 'start', version: s.version });
		const again = await listen('scoped1');
		const res = await ask(again.socket, 'catchup', { since: cursor });
		expect(res.ok).toBe(true);
		const mine = steps.filter((s) => s.companyId === grant).map((s) => s.id);
		expect(res.events!.map((e) => e.entityId)).toEqual(mine);
		expect(res.events!.every((e) => e.companyId === grant)).toBe(true);
		// From the new cursor there is nothing more: no event is read twice.
		expect(isCursor(res.cursor)).toBe(true);
		expect(await ask(again.socket, 'catchup', { since: res.cursor })).toMatchObject({ ok: true, events: [] });
		// No cursor yet: the current position and no events.
		const fresh = await ask(again.socket, 'catchup', { since: null });
		expect(fresh).toMatchObject({ ok: true, events: [] });
		expect(isCursor(fresh.cursor)).toBe(true);
	});

	it('answers malformed, unknown, oversized and too frequent messages with an error and stays up', async () => {
		const { socket } = await listen('manager1');
		const bad = await ask(socket, 'catchup', { since: 'drop table events' });
		expect(bad).toMatchObject({ ok: false, error: { code: 'invalid' } });
		expect(bad.error!.message).toMatch(/since/);
		expect(await ask(socket, 'catchup', { since: '1:2:3', extra: 1 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
		expect(await ask(socket, 'catchup', 'not an object')).toMatchObject({ ok: false });
		expect(await ask(socket, 'orders:delete', { id: 1 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
		expect(await ask(socket, 'catchup', { since: '1:2:' + '3,'.repeat(6000) + '3' })).toMatchObject({
			ok: false,
			error: { code: 'invalid' }
		});
		// Past 20 messages in a second the rest are refused, not processed.
		await new Promise((r) => setTimeout(r, 1100));
		const burst = await Promise.all(Array.from({ length: 30 }, () => ask(socket, 'catchup', { since: null })));
		expect(burst.filter((a) => a.ok)).toHaveLength(20);
		expect(burst.filter((a) => a.error?.code === 'rate_limited')).toHaveLength(10);
		await new Promise((r) => setTimeout(r, 1100));
		expect(socket.connected).toBe(true);
		expect(await ask(socket, 'catchup', { since: null })).toMatchObject({ ok: true });
	});

	it('shows who else has a record open, only to those who may see it', async () => {
		const [a, b, scoped] = [await listen('manager1'), await listen('planner1'), await listen('scoped1')];
		const [wo] = await query<{ id: number; company_id: number }>(
			db,
			sql`select id, company_id from work_orders where company_id <> ${(await actorOf(db, 'scoped1')).companyIds[0]} order by id limit 1`
		);
		const seen: { viewers: { name: string; editing: boolean }[] }[] = [];
		a.socket.on('presence', (p) => seen.push(p));
		expect(await ask(a.socket, 'presence:join', { entity: 'work_order', id: Number(wo.id) })).toEqual({ ok: true });
		expect(await ask(b.socket, 'presence:join', { entity: 'work_order', id: Number(wo.id), editing: true })).toEqual({ ok: true });
		await until(() => seen.some((p) => p.viewers.length === 2));
		const planner = await actorOf(db, 'planner1');
		expect(seen.at(-1)!.viewers).toContainEqual(expect.objectContaining({ name: planner.displayName, editing: true }));
		// Outside the user's companies the record does not exist for them.
		expect(await ask(scoped.socket, 'presence:join', { entity: 'work_order', id: Number(wo.id) })).toMatchObject({
			ok: false,
			error: { code: 'not_found' }
		});
		expect(await ask(scoped.socket, 'presence:join', { entity: 'invoice', id: 1 })).toMatchObject({ ok: false, error: { code: 'invalid' } });
		b.socket.disconnect();
		await until(() => seen.at(-1)!.viewers.length === 1);
	});

	it.runIf(driver === 'postgres')('never skips an event whose transaction commits after a later one', async () => {
		const before = await currentCursor(db);
		const [s] = await stepPerCompany();
		let release!: () => void;
		const held = new Promise<void>((r) => (release = r));
		let inserted!: () => void;
		const wrote = new Promise<void>((r) => (inserted = r));
		const insert = (tx: Db | Parameters<Parameters<Db['transaction']>[0]>[0], type: string) =>
			tx.execute(sql`insert into events (company_id, topic, entity, entity_id, entity_version, type, payload)
				values (${s.companyId}, 'production', 'work_order_step', ${s.id}, 1, ${type}, '{}')`);
		// The early transaction takes its id first and commits last.
		const early = db.transaction(async (tx) => {
			await insert(tx, 'test.early');
			inserted();
			await held;
		});
		await wrote;
		await db.transaction((tx) => insert(tx, 'test.late'));
		const first = await eventsSince(db, before, sql`type like 'test.%'`);
		expect(first.events.map((e) => e.type)).toEqual(['test.late']);
		release();
		await early;
		const second = await eventsSince(db, first.cursor, sql`type like 'test.%'`);
		expect(second.events.map((e) => e.type)).toEqual(['test.early']);
		expect(second.events[0].id).toBeLessThan(first.events[0].id);
		expect((await eventsSince(db, second.cursor, sql`type like 'test.%'`)).events).toEqual([]);
	});
});
