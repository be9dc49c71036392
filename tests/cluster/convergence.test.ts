import { afterAll, expect, it } from 'vitest';
import {
	collectionDiff,
	companiesOf,
	converged,
	deliveryDiff,
	describeCluster,
	openLiveClient,
	openSteps,
	sessionToken,
	sleep,
	useCluster,
	startWriters,
	stepEventIdsSince,
	stepRows,
	waitFor,
	withSession,
	type LiveClient
} from '../helpers/cluster';

/** How long the writers and the dropping clients run. */
const RUN_MS = 15_000;

/**
 * Many writers through both nodes on one small set of steps (so they conflict and retry), many
 * screens on both nodes losing their connection at random moments. Once things settle, every
 * screen shows exactly the database for the steps it may see, and has had every event of its
 * companies exactly once, live or by catch-up.
 */
describeCluster('convergence under concurrent writes and dropping clients', () => {
	const cluster = useCluster();
	const clients: LiveClient[] = [];

	afterAll(async () => {
		for (const c of clients) c.close();
	});

	it(
		'every client ends equal to the database, every event applied once, none missed',
		{ timeout: 90_000 },
		async () => {
			const nodes = cluster.nodes;
			const steps = await openSteps(cluster.sql, 10); // 30 steps, 10 per company
			const ids = steps.map((s) => s.id);
			expect(ids.length).toBe(30);

			// 8 screens: 4 users (one of them sees company 2 only) on each node.
			for (const username of ['manager1', 'scoped1', 'admin', 'planner1']) {
				const token = await sessionToken(nodes[0].url, username);
				const companyIds = await companiesOf(withSession(nodes[0].url, token));
				for (const [i, node] of nodes.entries())
					clients.push(
						await openLiveClient({
							url: node.url,
							token,
							sql: cluster.sql,
							companyIds,
							stepIds: ids,
							name: `${username} on node ${'AB'[i]}`
						})
					);
			}

			// 8 writers, 4 through each node, two users, each with its own idea of the versions.
			const tokens = await Promise.all(['shopfloor1', 'planner1'].map((u) => sessionToken(nodes[0].url, u)));
			const writers = startWriters(
				Array.from({ length: 8 }, (_, w) => ({
					http: withSession(nodes[w % 2].url, tokens[Math.floor(w / 2) % 2]),
					steps: ids
				})),
				steps,
				{ finishes: 4, pauseMs: 30 }
			);

			// Each screen drops its connection now and then; socket.io-client reconnects it.
			let dropping = true;
			const drops = clients.map(() => 0);
			const droppers = clients.map(async (c, i) => {
				while (dropping) {
					await sleep(300 + Math.random() * 2200);
					if (dropping && c.socket.connected) {
						c.socket.io.engine.close();
						drops[i]++;
					}
				}
			});

			try {
				await sleep(RUN_MS);
			} finally {
				dropping = false;
				await Promise.all(droppers);
				await writers.stop();
			}

			for (const c of clients)
				await waitFor(
					() => converged(cluster.sql, c, ids),
					20_000,
					async () => {
						const d = deliveryDiff(c, await stepEventIdsSince(cluster.sql, c.companyIds, c.startCursor));
						return `${c.name} to converge (state ${c.feed.state.status}): ${JSON.stringify(collectionDiff(c, await stepRows(cluster.sql, ids)).slice(0, 5))}, missing ${d.missing.length} events`;
					}
				);

			const rows = await stepRows(cluster.sql, ids);
			const total = writers.total();
			const conflicts = writers.conflicts.reduce((a, b) => a + b, 0);
			for (const [i, c] of clients.entries()) {
				const entitled = await stepEventIdsSince(cluster.sql, c.companyIds, c.startCursor);
				expect(collectionDiff(c, rows), c.name).toEqual([]);
				expect(deliveryDiff(c, entitled), c.name).toEqual({ missing: [], twice: [], unexpected: [] });
				expect(c.applied, c.name).toBeLessThanOrEqual(entitled.length);
				expect(drops[i], `${c.name} dropped its connection`).toBeGreaterThanOrEqual(2);
				expect(c.connects, `${c.name} reconnected`).toBeGreaterThanOrEqual(drops[i]);
			}
			// Every answered write is one event; the screens that see every company had them all.
			expect(clients[0].companyIds.length, 'manager1 sees every company').toBe(3);
			const all = await stepEventIdsSince(cluster.sql, clients[0].companyIds, clients[0].startCursor);
			expect(all.length).toBe(total);
			expect(total, 'enough writes to mean something').toBeGreaterThan(200);
			expect(conflicts, 'the writers did conflict').toBeGreaterThan(0);
			expect(clients[0].delivered.size).toBe(total);
			// Each step's events carry every version once, in order: no command was lost or doubled.
			const gaps = await cluster.sql`
			select entity_id, count(*)::int as n, min(entity_version) as lo, max(entity_version) as hi from events
			where entity = 'work_order_step' and entity_id in ${cluster.sql(ids)} and id >= ${Math.min(...all)}
			group by entity_id having count(*) <> max(entity_version) - min(entity_version) + 1`;
			expect(gaps).toEqual([]);
		}
	);
});
