import { afterAll, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { openDatabase, migrate, rows, type Database, type Db } from '../../src/lib/server/db';
import { loadActor } from '../../src/lib/server/auth/session';
import type { Actor } from '../../src/lib/server/authz';
import { createTestDatabase } from '../helpers/app-server';

/**
 * Integration tests run against a real database: always an in-memory PGlite, and also a
 * throwaway PostgreSQL database when TEST_DATABASE_URL is set (CI). Use with
 * `describe.each(drivers)` and `useDatabase(driver)`.
 */
export type Driver = 'pglite' | 'postgres';

export const drivers: Driver[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export const DEMO_ORDERS = 400;

export interface TestDatabase {
	driver: Driver;
	database: Database;
	db: Db;
	close(): Promise<void>;
}

/** A fresh migrated database, seeded with the demo data unless `seed` is false. */
export async function openTestDatabase(driver: Driver, opts: { seed?: boolean } = {}): Promise<TestDatabase> {
	let drop: (() => Promise<void>) | null = null;
	let url: string | null = null;
	if (driver === 'postgres') {
		const base = process.env.TEST_DATABASE_URL;
		if (!base) throw new Error('TEST_DATABASE_URL is not set');
		const created = await createTestDatabase(base, 'eo_it');
		url = created.url;
		drop = created.drop;
	}
	const database = await openDatabase({ url, dataDir: null, poolSize: 4 });
	try {
		await migrate(database, 'drizzle');
		if (opts.seed !== false) {
			const { seedDemo } = await import('../../src/lib/server/seed');
			await seedDemo(database.db, { orders: DEMO_ORDERS });
		}
	} catch (e) {
		await database.close();
		await drop?.();
		throw e;
	}
	return {
		driver,
		database,
		db: database.db,
		async close() {
			await database.close();
			await drop?.();
		}
	};
}

/**
 * Opens the database before the suite's tests and closes (and drops) it after; the returned
 * object's fields are filled in by then.
 */
export function useDatabase(driver: Driver, opts: { seed?: boolean } = {}): TestDatabase {
	const holder = {} as TestDatabase;
	beforeAll(async () => {
		Object.assign(holder, await openTestDatabase(driver, opts));
	});
	afterAll(async () => {
		await holder.close?.();
	});
	return holder;
}

/** Rows of raw SQL, whichever driver. */
export function query<T>(db: Db, q: ReturnType<typeof sql>): Promise<T[]> {
	return rows<T>(db, q);
}

/** A single number from raw SQL (`select count(*) ...`). */
export async function scalar(db: Db, q: ReturnType<typeof sql>): Promise<number> {
	const [row] = await rows<Record<string, unknown>>(db, q);
	return Number(Object.values(row ?? {})[0] ?? 0);
}

export async function userId(db: Db, username: string): Promise<number> {
	const [row] = await rows<{ id: number }>(db, sql`select id from users where username = ${username}`);
	if (!row) throw new Error(`no user ${username} in the seeded database`);
	return Number(row.id);
}

export async function actorOf(db: Db, username: string, over: Partial<Actor> = {}): Promise<Actor> {
	const actor = await loadActor(db, await userId(db, username));
	if (!actor) throw new Error(`user ${username} is not active`);
	return { ...actor, ...over };
}

/** A SQL list literal of ids for `in (...)`, from numbers only. */
export function idList(ids: readonly number[]): ReturnType<typeof sql> {
	if (ids.length === 0) return sql`(null)`;
	return sql.raw(`(${ids.map((n) => String(Math.trunc(Number(n)))).join(',')})`);
}

/** The message of an error and of its causes (Drizzle wraps driver errors as "Failed query: …"). */
export function fullMessage(e: unknown): string {
	const parts: string[] = [];
	for (let cur = e as { message?: string; cause?: unknown } | undefined, i = 0; cur && i < 5; cur = cur.cause as typeof cur, i++)
		parts.push(String(cur.message ?? cur));
	return parts.join(' <- ');
}

/** Resolves to the full message of the rejection; fails the test if `p` resolves. */
export async function rejection(p: Promise<unknown>): Promise<string> {
	try {
		await p;
	} catch (e) {
		return fullMessage(e);
	}
	throw new Error('expected a rejection, but it resolved');
}
