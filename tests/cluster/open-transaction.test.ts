import { afterAll, expect, it } from 'vitest';
import {
	collectionDiff,
	companiesOf,
	deliveryDiff,
	describeCluster,
	eventsFor,
	insertRawStepEvent,
	openLiveClient,
	openSteps,
	reportProgress,
	sessionToken,
	sleep,
	useCluster,
	stepEventIdsSince,
	stepRows,
	waitFor,
	waitLive,
	withSession,
	type LiveClient
} from '../helpers/cluster';

/**
 * Commands notify after their commit, never from inside a transaction, and the nodes read the
 * event table by snapshot. So a long transaction elsewhere holds nothing up: other commands
 * commit and their events go out at once. An event written inside that transaction goes out
 * only when it commits, and then it does, live and by catch-up, even though its id is lower
 * than events already delivered.
 */
describeCluster('a long transaction beside the live core', () => {
	const cluster = useCluster();
	const clients: LiveClient[] = [];

	afterAll(async () => {
		for (const c of clients) c.close();
	});

	it('does not hold up other commits and their events; its own event goes out after its commit, and is not skipped', async () => {
		const [nodeA, nodeB] = cluster.nodes;
		const company1 = (await openSteps(cluster.sql, 6)).filter(
			(s) => s.companyId === 1 && s.status !== 'in_progress'
		);
		expect(company1.length).toBeGreaterThanOrEqual(3);
		const [x, y, z] = company1; // x: the long transaction's; y, z: commands through the API
		const shown = [y.id, z.id];
		const open = async (url: string, username: string, name: string) => {
			const token = await sessionToken(url, username);
			const c = await openLiveClient({
				url,
				token,
				sql: cluster.sql,
				companyIds: await companiesOf(withSession(url, token)),
				stepIds: shown,
				name
			});
			clients.push(c);
			return c;
		};
		const onA = await open(nodeA.url, 'manager1', 'manager on A');
		const onB = await open(nodeB.url, 'manager1', 'manager on B');
		const away = await open(nodeB.url, 'admin', 'admin on B, away during the commit');
		const writer = withSession(nodeA.url, await sessionToken(nodeA.url, 'shopfloor1'));

		const tx = await cluster.sql.reserve();
		let committed = false;
		try {
			await tx`begin`;
			await tx`select id from work_order_steps where id = ${x.id} for update`;
			const rawId = await insertRawStepEvent(tx, x, x.version + 1);

			// A command on another step commits and is heard everywhere while that transaction is open.
			const t0 = Date.now();
			const yOut = await reportProgress(writer, y.id, 'start', y.version);
			const writeMs = Date.now() - t0;
			expect(yOut.ok).toBe(true);
			for (const c of [onA, onB, away])
				await waitFor(() => eventsFor(c, y.id).length === 1, 2000, `${c.name} to hear step ${y.id}`);
			const heardMs = Date.now() - t0;
			expect(writeMs, 'the command answered without waiting for the open transaction').toBeLessThan(1500);
			expect(heardMs, 'its event went out without waiting for the open transaction').toBeLessThan(2000);
			const yEventId = eventsFor(onA, y.id)[0].id;
			expect(rawId, 'the open transaction’s event has the lower id').toBeLessThan(yEventId);

			// One client goes away, its position now past y's event (and the still-open transaction).
			away.socket.disconnect();
			await waitFor(() => !away.socket.connected, 2000, 'the client to go away');

			// Several reads of the table later, and another command after them: still nothing of the open
			// transaction anywhere, while the command's event goes out.
			await sleep(2000);
			const zOut = await reportProgress(writer, z.id, 'start', z.version);
			expect(zOut.ok).toBe(true);
			for (const c of [onA, onB])
				await waitFor(() => eventsFor(c, z.id).length === 1, 2000, `${c.name} to hear step ${z.id}`);
			for (const c of [onA, onB, away]) {
				expect(c.raw.has(rawId), `${c.name} heard an uncommitted event`).toBe(false);
				expect(c.delivered.has(rawId), `${c.name} applied an uncommitted event`).toBe(false);
			}

			await tx`commit`;
			committed = true;
			for (const c of [onA, onB])
				await waitFor(
					() => c.delivered.get(rawId) === 1,
					3000,
					`${c.name} to hear the late commit (event ${rawId})`
				);

			// The client that was away gets it by catch-up from a position taken while it was in flight.
			away.socket.connect();
			await waitLive(away);
			await waitFor(
				() => away.delivered.get(rawId) === 1,
				3000,
				`the returning client to catch up event ${rawId}`
			);
			expect(away.raw.has(rawId), 'not live: it was away when the event went out').toBe(false);
		} finally {
			if (!committed) await tx`rollback`.catch(() => {});
			tx.release();
		}

		// Exactly what each is entitled to, once; the shown steps as in the database.
		const rows = await stepRows(cluster.sql, shown);
		for (const c of clients) {
			const entitled = await stepEventIdsSince(cluster.sql, c.companyIds, c.startCursor);
			expect(entitled).toHaveLength(3);
			expect(deliveryDiff(c, entitled), c.name).toEqual({ missing: [], twice: [], unexpected: [] });
			expect(collectionDiff(c, rows), c.name).toEqual([]);
		}
	});
});
