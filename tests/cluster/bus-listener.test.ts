import { afterAll, expect, it } from 'vitest';
import { io, type Socket } from 'socket.io-client';
import {
	alive,
	busListeners,
	collectionDiff,
	companiesOf,
	describeCluster,
	eventsFor,
	openLiveClient,
	openSteps,
	reportProgress,
	sessionToken,
	useCluster,
	stepRows,
	waitFor,
	withSession,
	type LiveClient,
	type StepRow
} from '../helpers/cluster';

/**
 * The connection a node LISTENs on for the cluster bus (the Socket.IO PostgreSQL adapter) is
 * killed by the database. Events still reach that node's clients (each node reads the event
 * table itself), the node gets its LISTEN connection back by itself, the cross-node wake-ups
 * and broadcasts work again, and the process never goes down.
 */
describeCluster('losing the cluster bus listener', () => {
	const cluster = useCluster();
	let client: LiveClient | undefined;
	const sockets: Socket[] = [];

	afterAll(async () => {
		client?.close();
		for (const s of sockets) s.close();
	});

	it('a node whose LISTEN connection is terminated keeps delivering, recovers it, and stays up', async () => {
		const [nodeA, nodeB] = cluster.nodes;
		const steps = (await openSteps(cluster.sql, 5)).filter((s) => s.status !== 'in_progress');
		const ids = steps.map((s) => s.id);
		const token = await sessionToken(nodeB.url, 'manager1');
		const companyIds = await companiesOf(withSession(nodeB.url, token));
		client = await openLiveClient({
			url: nodeB.url,
			token,
			sql: cluster.sql,
			companyIds,
			stepIds: ids,
			name: 'manager on B'
		});
		const c = client;
		const writer = withSession(nodeA.url, await sessionToken(nodeA.url, 'shopfloor1'));
		const queue = [...steps];
		/** Starts the next step through node A; resolves with how long node B's client waited for it. */
		async function writeThroughA(): Promise<{ step: StepRow; latency: number }> {
			const step = queue.shift()!;
			const out = await reportProgress(writer, step.id, 'start', step.version);
			if (!out.ok) throw new Error(`step ${step.id}: unexpected conflict`);
			const t0 = Date.now();
			await waitFor(
				() => eventsFor(c, step.id).some((e) => e.version === out.step.version),
				5000,
				`step ${step.id} on node B's client`
			);
			return { step, latency: Date.now() - t0 };
		}

		expect(await busListeners(cluster.sql, nodeA)).toHaveLength(1);
		const before = await busListeners(cluster.sql, nodeB);
		expect(before).toHaveLength(1);

		// The listener of node B's bus (node A's is left alone).
		const killed = await cluster.sql<{ ok: boolean }[]>`
			select pg_terminate_backend(pid) as ok from pg_stat_activity
			where datname = ${cluster.dbName} and application_name = 'elevator-ops-bus' and query ilike 'LISTEN%'
				and pid = ${before[0].pid}`;
		expect(killed).toEqual([{ ok: true }]);
		const terminatedAt = Date.now();
		await waitFor(
			async () => (await busListeners(cluster.sql, nodeB)).length === 0,
			3000,
			'the listener to be gone'
		);

		// During the outage (the adapter waits a second or more before it reconnects): a write on A.
		const during = await writeThroughA();
		expect(
			(await busListeners(cluster.sql, nodeB)).length,
			'the write happened while B had no listener'
		).toBe(0);
		expect(during.latency).toBeLessThan(5000);

		// The node listens again within 5 s, on its own, and is still up.
		await waitFor(
			async () => (await busListeners(cluster.sql, nodeB)).length === 1,
			Math.max(0, 5000 - (Date.now() - terminatedAt)),
			'node B to LISTEN again'
		);
		expect(alive(nodeB)).toBe(true);
		expect((await fetch(`${nodeB.url}/healthz`)).status).toBe(200);
		expect(await busListeners(cluster.sql, nodeA)).toHaveLength(1);

		// And it is the bus again, not only a connection: A's commits wake B at once…
		const latencies: number[] = [];
		for (let i = 0; i < 5; i++) latencies.push((await writeThroughA()).latency);
		latencies.sort((x, y) => x - y);
		expect(latencies[2], `latencies on node B after recovery: ${latencies.join(', ')} ms`).toBeLessThan(250);

		// …and a sign-out on A reaches the session's socket on B.
		const ending = await sessionToken(nodeA.url, 'planner1');
		const s = io(nodeB.url, {
			transports: ['websocket'],
			forceNew: true,
			extraHeaders: { cookie: `session=${ending}` },
			reconnection: false
		});
		sockets.push(s);
		await waitFor(() => s.connected, 5000, 'the socket on B');
		const closed = new Promise<string>((resolve) => s.once('disconnect', resolve));
		expect(
			(await withSession(nodeA.url, ending).post('/api/v1/auth/logout', {}, { origin: nodeA.url })).status
		).toBe(200);
		expect(
			await Promise.race([closed, new Promise((r) => setTimeout(() => r('still connected after 5 s'), 5000))])
		).toBe('io server disconnect');

		expect(collectionDiff(c, await stepRows(cluster.sql, ids))).toEqual([]);
		expect(alive(nodeB)).toBe(true);
		expect(nodeB.log()).not.toMatch(/uncaught|unhandled/i);
	});
});
