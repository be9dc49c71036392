import { afterAll, expect, it } from 'vitest';
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
	useCluster,
	startWriters,
	stepEventIdsSince,
	stepRows,
	waitFor,
	waitLive,
	withSession,
	type LiveClient
} from '../helpers/cluster';

/**
 * A node is restarted mid-shift (a deploy: SIGTERM, then the same node again on the same port
 * and database) while work goes on through the other node. Its browsers reconnect by
 * themselves, as socket.io-client does with reconnection on (the default, and what the pages
 * use), catch up on what was written meanwhile, and end up showing exactly the database.
 */
describeCluster('a node restarting mid-shift', () => {
	const cluster = useCluster();
	const clients: LiveClient[] = [];

	afterAll(async () => {
		for (const c of clients) c.close();
	});

	it('its clients reconnect after the restart and catch up on everything written meanwhile', async () => {
		const [nodeA, nodeB] = cluster.nodes;
		const steps = await openSteps(cluster.sql, 4);
		const ids = steps.map((s) => s.id);
		for (const username of ['manager1', 'scoped1', 'admin']) {
			const token = await sessionToken(nodeB.url, username);
			const companyIds = await companiesOf(withSession(nodeB.url, token));
			clients.push(
				await openLiveClient({
					url: nodeB.url,
					token,
					sql: cluster.sql,
					companyIds,
					stepIds: ids,
					name: `${username} on B`,
					// The pages' own settings (src/lib/live/live.svelte.ts): reconnection on, by default.
					socket: { reconnectionDelay: 1000, reconnectionDelayMax: 5000 }
				})
			);
		}
		const writers = startWriters(
			[{ http: withSession(nodeA.url, await sessionToken(nodeA.url, 'shopfloor1')), steps: ids }],
			steps
		);
		try {
			await waitFor(() => writers.total() >= 10, 10_000, 'writes before the restart');
			const before = writers.total();
			const restarted = cluster.restart(1); // SIGTERM, wait for the exit, start again
			await waitFor(() => !alive(nodeB), 15_000, 'node B to stop'); // nodeB: the old process
			for (const c of clients)
				await waitFor(() => c.disconnects.length >= 1, 5000, `${c.name} to see node B go`);
			const newB = await restarted;
			expect(newB.url).toBe(nodeB.url);
			const writtenWhileDown = writers.total() - before;
			expect(writtenWhileDown, 'writes while node B was down').toBeGreaterThan(0);

			for (const c of clients) {
				await waitFor(
					() => c.connects >= 2,
					15_000,
					() =>
						`${c.name} to reconnect by itself (disconnected: ${c.disconnects.join(', ')}; state ${c.feed.state.status})`
				);
				await waitLive(c);
			}
			const at = writers.total();
			await waitFor(() => writers.total() >= at + 10, 10_000, 'writes after the restart');
		} finally {
			await writers.stop();
		}

		for (const c of clients)
			await waitFor(
				() => converged(cluster.sql, c, ids),
				15_000,
				async () =>
					`${c.name} to converge: ${JSON.stringify(collectionDiff(c, await stepRows(cluster.sql, ids)).slice(0, 5))}`
			);
		const rows = await stepRows(cluster.sql, ids);
		for (const c of clients) {
			const entitled = await stepEventIdsSince(cluster.sql, c.companyIds, c.startCursor);
			expect(collectionDiff(c, rows), c.name).toEqual([]);
			expect(deliveryDiff(c, entitled), c.name).toEqual({ missing: [], twice: [], unexpected: [] });
			expect(entitled.length, c.name).toBeGreaterThan(0);
		}
		// scoped1 sees company 2 only; the others every company.
		expect(clients[1].companyIds).toHaveLength(1);
		expect(clients[1].steps.items.size).toBeLessThan(clients[0].steps.items.size);
	});
});
