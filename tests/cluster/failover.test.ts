import { afterAll, beforeAll, expect, it } from 'vitest';
import {
	alive,
	collectionDiff,
	companiesOf,
	converged,
	deliveryDiff,
	describeCluster,
	openLiveClient,
	openSteps,
	sessionToken,
	startWriters,
	useCluster,
	stepEventIdsSince,
	stepRows,
	waitFor,
	waitLive,
	withSession,
	type LiveClient
} from '../helpers/cluster';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy';

/**
 * A node dies without warning (SIGKILL) behind a load balancer while work goes on through the
 * other node: the browser's feed reconnects through the balancer to the survivor, catches up
 * from its last position, and ends up showing exactly the database, every event once.
 */
describeCluster('failover when a node is killed', () => {
	const cluster = useCluster();
	let proxy: TcpProxy;
	let client: LiveClient | undefined;

	beforeAll(async () => {
		proxy = await startTcpProxy(cluster.nodes.map((n) => Number(new URL(n.url).port)));
	});
	afterAll(async () => {
		client?.close();
		await proxy?.close();
	});

	it('the client fails over to the other node and converges on the database', async () => {
		const [nodeA, nodeB] = cluster.nodes;
		const steps = await openSteps(cluster.sql, 4);
		const ids = steps.map((s) => s.id);
		const token = await sessionToken(nodeA.url, 'manager1');
		const companyIds = await companiesOf(withSession(nodeA.url, token));
		client = await openLiveClient({
			url: proxy.url,
			token,
			sql: cluster.sql,
			companyIds,
			stepIds: ids,
			name: 'manager behind the proxy'
		});
		expect(proxy.routed.get(Number(new URL(nodeA.url).port))).toBe(1);
		const c = client;

		// One writer per node, on steps of its own; A's ends when A dies under it.
		const [httpA, httpB] = await Promise.all(
			[nodeA, nodeB].map(async (n, i) =>
				withSession(n.url, await sessionToken(n.url, i === 0 ? 'shopfloor1' : 'planner1'))
			)
		);
		const writers = startWriters(
			[
				{ http: httpA, steps: ids.filter((_, i) => i % 2 === 0) },
				{ http: httpB, steps: ids.filter((_, i) => i % 2 === 1) }
			],
			steps,
			{
				tolerate: (e, w) =>
					w === 0 && (!alive(nodeA) || /ECONNRESET|ECONNREFUSED|socket hang up/.test(String(e)))
			}
		);
		try {
			const started = Date.now();
			await waitFor(
				() => c.delivered.size >= 20 && Date.now() - started > 1500,
				10_000,
				'the first live events'
			);
			const beforeKill = c.delivered.size;
			nodeA.process.kill('SIGKILL');
			await waitFor(() => !alive(nodeA), 5000, 'node A to die');

			// Through the balancer to node B; meanwhile B keeps writing.
			await waitFor(() => c.connects >= 2, 15_000, 'the client to reconnect');
			await waitLive(c);
			expect(proxy.routed.get(Number(new URL(nodeB.url).port))).toBeGreaterThanOrEqual(1);
			expect(c.disconnects[0]).toBe('transport close');
			const atReconnect = c.delivered.size;
			const reconnected = Date.now();
			await waitFor(
				() => c.delivered.size >= atReconnect + 20 && Date.now() - reconnected > 1500,
				10_000,
				'live events through node B'
			);
			expect(atReconnect).toBeGreaterThan(beforeKill);
		} finally {
			await writers.stop();
		}

		await waitFor(
			() => converged(cluster.sql, c, ids),
			15_000,
			async () =>
				`the client to converge: ${JSON.stringify(collectionDiff(c, await stepRows(cluster.sql, ids)).slice(0, 5))}`
		);
		const entitled = await stepEventIdsSince(cluster.sql, companyIds, c.startCursor);
		expect(collectionDiff(c, await stepRows(cluster.sql, ids))).toEqual([]);
		expect(deliveryDiff(c, entitled)).toEqual({ missing: [], twice: [], unexpected: [] });
		// Every answered write is an event; one more may have committed on A as it was killed.
		expect(entitled.length - writers.total()).toBeGreaterThanOrEqual(0);
		expect(entitled.length - writers.total()).toBeLessThanOrEqual(1);
		expect(writers.writes[0], 'writes through A before it died').toBeGreaterThan(0);
		expect(c.applied).toBeGreaterThan(0);
		expect(c.applied).toBeLessThanOrEqual(entitled.length);
	});
});
