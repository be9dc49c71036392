import { describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, query, useDatabase } from './db';
import { currentCursor, eventsSince, eventsSinceQuery } from '../../src/lib/server/realtime/stream';

/**
 * Every node reads the event table after each commit and at least once a second, so that read
 * must cost the same on a table of a million events as on an empty one: it looks up the new
 * transactions in the tx_id index and never walks the table.
 */
describe.each(drivers)('reading the event stream (%s)', (driver) => {
	const t = useDatabase(driver, { seed: false });

	it('finds only the events after the cursor, through the tx_id index, however large the table', async () => {
		// A long history: one old transaction of many events (of no company: no rows needed).
		await query(
			t.db,
			sql`insert into events (company_id, topic, entity, entity_id, entity_version, type, payload)
				select null, 'production', 'work_order_step', g, 1, 'work_order_step.start', '{}'::jsonb
				from generate_series(1, 30000) g`
		);
		await query(t.db, sql`analyze events`);
		const cursor = await currentCursor(t.db);
		const fresh: number[] = [];
		for (const id of [1, 2, 3]) {
			const [row] = await query<{ id: number }>(
				t.db,
				sql`insert into events (company_id, topic, entity, entity_id, entity_version, type, payload)
					values (null, 'production', 'work_order_step', ${id}, 2, 'work_order_step.pause', '{}'::jsonb) returning id`
			);
			fresh.push(Number(row.id));
		}

		const read = await eventsSince(t.db, cursor);
		expect(read.events.map((e) => e.id)).toEqual(fresh);
		const scoped = await eventsSince(t.db, cursor, sql`company_id is not null`);
		expect(scoped.events).toEqual([]);
		expect((await eventsSince(t.db, read.cursor)).events).toEqual([]);

		const [plan] = await query<{ 'QUERY PLAN': unknown }>(
			t.db,
			sql`explain (format json) ${eventsSinceQuery(cursor)}`
		);
		const text = JSON.stringify(plan['QUERY PLAN']);
		expect(text).toContain('events_tx_idx');
		expect(text).not.toMatch(/"Seq Scan"[^}]*"Relation Name":"events"/);
		expect(text).not.toContain('events_pkey');
	});
});
