import { afterAll, beforeAll, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import {
	collectionDiff,
	companiesOf,
	describeCluster,
	eventsFor,
	openLiveClient,
	openSteps,
	reportProgress,
	sessionToken,
	sleep,
	useCluster,
	stepRows,
	waitFor,
	withSession,
	type LiveClient,
	type StepRow
} from '../helpers/cluster';

/**
 * Two server.js processes on one database: what one node commits reaches the other node's
 * sockets (once), a sign-out on one node closes the session's socket on the other, and the
 * viewers of a record on both nodes see each other.
 */
describeCluster('two nodes on one database', () => {
	const cluster = useCluster();
	let a: string;
	let b: string;
	const clients: LiveClient[] = [];
	const sockets: Socket[] = [];

	beforeAll(async () => {
		[a, b] = cluster.nodes.map((n) => n.url);
	});
	afterAll(async () => {
		for (const c of clients) c.close();
		for (const s of sockets) s.close();
	});

	function rawSocket(url: string, token: string): Socket {
		const s = io(url, {
			transports: ['websocket'],
			forceNew: true,
			extraHeaders: { cookie: `session=${token}` },
			reconnection: false,
			timeout: 5000
		});
		sockets.push(s);
		return s;
	}
	const outcome = (s: Socket) =>
		new Promise<string>((resolve) => {
			if (s.connected) return resolve('connect');
			s.once('connect', () => resolve('connect'));
			s.once('connect_error', (e) => resolve(e.message));
		});

	it('a write through node A reaches the sockets on node B promptly, and only once', async () => {
		const steps = (await openSteps(cluster.sql, 3)).filter((s) => s.status !== 'in_progress');
		const ids = steps.map((s) => s.id);
		const managerToken = await sessionToken(a, 'manager1');
		const companyIds = await companiesOf(withSession(a, managerToken));
		const onB = await openLiveClient({
			url: b,
			token: managerToken,
			sql: cluster.sql,
			companyIds,
			stepIds: ids,
			name: 'manager on B'
		});
		const onA = await openLiveClient({
			url: a,
			token: managerToken,
			sql: cluster.sql,
			companyIds,
			stepIds: ids,
			name: 'manager on A'
		});
		clients.push(onA, onB);
		const writer = withSession(a, await sessionToken(a, 'shopfloor1'));

		const latencies: number[] = [];
		for (const step of steps) {
			const out = await reportProgress(writer, step.id, 'start', step.version);
			expect(out.ok).toBe(true);
			const version = out.ok ? out.step.version : 0;
			const t0 = Date.now();
			await waitFor(
				() => eventsFor(onB, step.id).some((e) => e.version === version),
				5000,
				`step ${step.id} v${version} on node B`
			);
			latencies.push(Date.now() - t0);
		}
		await waitFor(() => steps.every((s) => eventsFor(onA, s.id).length === 1), 5000, 'the events on node A');
		// Every node reads the table at least once a second anyway; give a duplicate time to show.
		await sleep(1500);

		const rows = await stepRows(cluster.sql, ids);
		for (const client of [onA, onB]) {
			const mine = [...client.raw].filter(([id]) =>
				client.events.some((e) => e.id === id && ids.includes(e.entityId))
			);
			expect(mine, `${client.name}: each event sent once`).toHaveLength(steps.length);
			expect(
				mine.filter(([, n]) => n !== 1),
				`${client.name}: events sent more than once`
			).toEqual([]);
			expect(collectionDiff(client, rows), client.name).toEqual([]);
		}
		// The committing node wakes the others through the adapter: no waiting for their once-a-second
		// read. (Half of the reads would be slower than this if only that timer brought the events.)
		latencies.sort((x, y) => x - y);
		expect(
			latencies[Math.floor(latencies.length / 2)],
			`latencies on node B: ${latencies.join(', ')} ms`
		).toBeLessThan(250);
	});

	it('signing out on node A closes that session’s socket held on node B, and only that one', async () => {
		const ending = await sessionToken(a, 'planner1');
		const staying = await sessionToken(a, 'planner1');
		const sEnding = rawSocket(b, ending);
		const sStaying = rawSocket(b, staying);
		expect(await outcome(sEnding)).toBe('connect');
		expect(await outcome(sStaying)).toBe('connect');
		const closed = new Promise<string>((resolve) => sEnding.once('disconnect', resolve));

		const res = await withSession(a, ending).post('/api/v1/auth/logout', {}, { origin: a });
		expect(res.status).toBe(200);
		const reason = await Promise.race([closed, sleep(5000).then(() => 'still connected after 5 s')]);
		expect(reason).toBe('io server disconnect');
		await sleep(300);
		expect(sStaying.connected).toBe(true);
		// The ended session cannot open a socket on either node.
		expect(await outcome(rawSocket(b, ending))).toBe('unauthenticated');
		expect(await outcome(rawSocket(a, ending))).toBe('unauthenticated');
	});

	it('viewers of one work order on node A and node B see each other, editing and leaving', async () => {
		const [wo] = await cluster.sql<
			{ id: number }[]
		>`select id from work_orders where company_id = 1 order by id limit 1`;
		const users = await cluster.sql<
			{ id: number; username: string }[]
		>`select id, username from users where username in ('manager1', 'planner1')`;
		const uid = (name: string) => Number(users.find((u) => u.username === name)!.id);
		const onA = rawSocket(a, await sessionToken(a, 'manager1'));
		const onB = rawSocket(b, await sessionToken(b, 'planner1'));
		expect(await outcome(onA)).toBe('connect');
		expect(await outcome(onB)).toBe('connect');
		type Presence = {
			entity: string;
			id: number;
			viewers: { userId: number; name: string; editing: boolean }[];
		};
		const last = new Map<Socket, Presence>();
		for (const s of [onA, onB])
			s.on('presence', (p: Presence) => {
				if (p.entity === 'work_order' && p.id === Number(wo.id)) last.set(s, p);
			});
		const viewers = (s: Socket) =>
			(last.get(s)?.viewers ?? []).map((v) => `${v.userId}${v.editing ? ' editing' : ''}`).sort();
		const ref = { entity: 'work_order', id: Number(wo.id) };

		expect(await onA.timeout(5000).emitWithAck('presence:join', ref)).toEqual({ ok: true });
		expect(await onB.timeout(5000).emitWithAck('presence:join', ref)).toEqual({ ok: true });
		const both = [String(uid('manager1')), String(uid('planner1'))].sort();
		for (const s of [onA, onB])
			await waitFor(
				() => JSON.stringify(viewers(s)) === JSON.stringify(both),
				5000,
				() => `both viewers on each node, saw ${viewers(s)}`
			);

		expect(await onB.timeout(5000).emitWithAck('presence:editing', { ...ref, editing: true })).toEqual({
			ok: true
		});
		const editing = [String(uid('manager1')), `${uid('planner1')} editing`].sort();
		await waitFor(
			() => JSON.stringify(viewers(onA)) === JSON.stringify(editing),
			5000,
			() => `node A to see B's user editing, saw ${viewers(onA)}`
		);

		// Closing the socket on B leaves only A's viewer, on A.
		onB.close();
		await waitFor(
			() => JSON.stringify(viewers(onA)) === JSON.stringify([String(uid('manager1'))]),
			5000,
			() => `B's viewer gone on A, saw ${viewers(onA)}`
		);
	});
});
