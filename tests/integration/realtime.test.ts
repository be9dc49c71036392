import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server as HttpServer } from 'node:http';
import { sql } from 'drizzle-orm';
import { io as connect, type Socket } from 'socket.io-client';
import { drivers, useDatabase, actorOf, query, userId } from './db';
import { createSession, sessionPolicy } from '../../src/lib/server/auth/session';
import { attachRealtime } from '../../src/lib/server/realtime/server';
import { setRealtime } from '../../src/lib/server/realtime/hub';
import { currentCursor } from '../../src/lib/server/realtime/stream';
import { reportStepProgress } from '../../src/lib/server/services/step-progress';
import { ConflictError } from '../../src/lib/server/errors';
import type { Db } from '../../src/lib/server/db';

/**
 * A real command through the service layer, real sockets on a real server: an event reaches
 * exactly the sockets whose user may see its company and topic, live and by catch-up.
 */
const policy = sessionPolicy(72, 30);
type Wire = { id: number; companyId: number; type: string; entityId: number; version: number };

describe.each(drivers)('live events (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let http: HttpServer;
	let live: Awaited<ReturnType<typeof attachRealtime>>;
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
	async function listen(username: string): Promise<{ socket: Socket; heard: Wire[]; token: string }> {
		const { token } = await createSession(db, await userId(db, username), policy);
		const socket = connect(url, {
			transports: ['websocket'],
			extraHeaders: { cookie: `session=${token}` },
			reconnection: false
		});
		sockets.push(socket);
		const heard: Wire[] = [];
		socket.on('events', (batch: { events: Wire[] }) => heard.push(...batch.events));
		await new Promise<void>((resolve, reject) => {
			socket.once('connect', () => resolve());
			socket.once('connect_error', reject);
		});
		return { socket, heard, token };
	}

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

	const settle = () => new Promise((r) => setTimeout(r, 400));

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
		await settle();
		expect(manager.heard).toHaveLength(12);
		expect(new Set(manager.heard.map((e) => e.type))).toEqual(
			new Set(['work_order_step.start', 'work_order_step.pause', 'work_order_step.finish'])
		);
		expect(scoped.heard).toHaveLength(4);
		expect(scoped.heard.every((e) => e.companyId === grant[0])).toBe(true);
		expect(sales.heard).toHaveLength(0);
		// In commit order, each a newer version of the step.
		const versions = scoped.heard.map((e) => e.version);
		expect(versions).toEqual([...versions].sort((a, b) => a - b));
	});

	it('refuses a stale version with the row as it is now, and publishes nothing', async () => {
		const manager = await listen('manager1');
		const planner = await actorOf(db, 'planner1');
		const [s] = await stepPerCompany();
		await reportStepProgress({ db, actor: planner }, s.id, { action: 'start', version: s.version });
		const stale = reportStepProgress({ db, actor: planner }, s.id, { action: 'pause', version: s.version });
		await expect(stale).rejects.toBeInstanceOf(ConflictError);
		await expect(stale).rejects.toMatchObject({
			current: { id: s.id, version: s.version + 1, status: 'in_progress' }
		});
		await settle();
		expect(manager.heard.filter((e) => e.entityId === s.id)).toHaveLength(1);
	});

	it('catches up after a disconnect with what the user may see and nothing else', async () => {
		const scoped = await listen('scoped1');
		const grant = (await actorOf(db, 'scoped1')).companyIds[0];
		const cursor = await currentCursor(db);
		scoped.socket.disconnect();
		const planner = await actorOf(db, 'planner1');
		const steps = await stepPerCompany();
		for (const s of steps)
			await reportStepProgress({ db, actor: planner }, s.id, { action: 'start', version: s.version });
		const again = await listen('scoped1');
		const res = await again.socket.emitWithAck('catchup', { since: cursor });
		expect(res.ok).toBe(true);
		const mine = steps.filter((s) => s.companyId === grant).map((s) => s.id);
		expect(res.events.map((e: Wire) => e.entityId)).toEqual(mine);
		expect(res.events.every((e: Wire) => e.companyId === grant)).toBe(true);
		expect(BigInt(res.cursor)).toBeGreaterThanOrEqual(BigInt(cursor));
		// A bad cursor is an error answer, not a crash.
		expect(await again.socket.emitWithAck('catchup', { since: 'drop table' })).toMatchObject({ ok: false });
		expect(again.socket.connected).toBe(true);
	});
});
