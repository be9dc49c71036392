import { describe, expect, it, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, query, scalar, rejection } from './db';
import type { Db } from '../../src/lib/server/db';
import { appendEvent } from '../../src/lib/server/events/append';

describe.each(drivers)('the events table (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let id: number;
	let before: number;

	beforeAll(async () => {
		db = t.db;
		id = await appendEvent(db, {
			companyId: null,
			topic: 'admin',
			entity: 'test',
			entityId: 1,
			entityVersion: 1,
			type: 'test.appended',
			payload: { n: 1 },
			actorId: null
		});
		before = await scalar(db, sql`select count(*) from events`);
	});

	it('accepts new events', async () => {
		expect(id).toBeGreaterThan(0);
		expect(before).toBeGreaterThan(1);
	});

	it('refuses UPDATE', async () => {
		expect(await rejection(query(db, sql`update events set type = 'tampered' where id = ${id}`))).toMatch(/append-only/);
		expect(await rejection(query(db, sql`update events set payload = '{}'::jsonb`))).toMatch(/append-only/);
		expect(await scalar(db, sql`select count(*) from events where type = 'tampered'`)).toBe(0);
	});

	it('refuses DELETE', async () => {
		expect(await rejection(query(db, sql`delete from events where id = ${id}`))).toMatch(/append-only/);
		expect(await rejection(query(db, sql`delete from events`))).toMatch(/append-only/);
	});

	it('refuses TRUNCATE', async () => {
		expect(await rejection(query(db, sql`truncate events`))).toMatch(/append-only/);
		expect(await rejection(query(db, sql`truncate events cascade`))).toMatch(/append-only/);
	});

	it('refuses changes inside a transaction too, rolling it back', async () => {
		const message = await rejection(
			db.transaction(async (tx) => {
				await tx.execute(sql`insert into events (topic, entity, entity_id, entity_version, type, payload) values ('admin','test',2,1,'test.in_tx','{}')`);
				await tx.execute(sql`delete from events where id = ${id}`);
			})
		);
		expect(message).toMatch(/append-only/);
		expect(await scalar(db, sql`select count(*) from events where type = 'test.in_tx'`)).toBe(0);
	});

	it('still holds every event afterwards', async () => {
		expect(await scalar(db, sql`select count(*) from events`)).toBe(before);
		expect(await scalar(db, sql`select count(*) from events where id = ${id} and type = 'test.appended'`)).toBe(1);
	});
});
