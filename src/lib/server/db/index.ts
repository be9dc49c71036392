import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL } from 'drizzle-orm';
import * as schema from './schema';

export type Schema = typeof schema;
/** The same Drizzle API over either driver. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];
/** Anything a query can run on: the database or an open transaction. */
export type Conn = Db | Tx;

export interface Database {
	db: Db;
	kind: 'postgres' | 'pglite';
	/** postgres.js client (postgres only): for LISTEN and reserved connections. */
	pg?: import('postgres').Sql;
	close(): Promise<void>;
}

/** Rows of a raw `execute`, whichever driver ran it (postgres.js returns an array, PGlite {rows}). */
export async function rows<T>(conn: Conn, query: SQL): Promise<T[]> {
	const result = (await conn.execute(query)) as unknown;
	return (Array.isArray(result) ? result : (result as { rows: T[] }).rows) as T[];
}

export interface OpenOptions {
	/** postgres:// URL; null opens the embedded PGlite database in `dataDir` (or memory). */
	url: string | null;
	dataDir?: string | null;
	poolSize?: number;
}

export async function openDatabase(opts: OpenOptions): Promise<Database> {
	if (opts.url) {
		const { default: postgres } = await import('postgres');
		const { drizzle } = await import('drizzle-orm/postgres-js');
		const client = postgres(opts.url, {
			max: opts.poolSize ?? 10,
			onnotice: () => {},
			connection: { application_name: 'elevator-ops' }
		});
		const db = drizzle(client, { schema }) as unknown as Db;
		return { db, kind: 'postgres', pg: client, close: () => client.end({ timeout: 5 }) };
	}
	const { PGlite } = await import('@electric-sql/pglite');
	const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
	const { drizzle } = await import('drizzle-orm/pglite');
	if (opts.dataDir) mkdirSync(opts.dataDir, { recursive: true });
	const client = new PGlite({ dataDir: opts.dataDir ?? undefined, extensions: { pg_trgm } });
	await client.waitReady;
	const db = drizzle(client, { schema }) as unknown as Db;
	return { db, kind: 'pglite', close: () => client.close() };
}

/** Applies the committed drizzle-kit migrations; several nodes starting at once take turns. */
export async function migrate(database: Database, migrationsFolder: string): Promise<void> {
	const { db, kind } = database;
	if (kind === 'pglite') {
		const { migrate } = await import('drizzle-orm/pglite/migrator');
		await migrate(db as never, { migrationsFolder });
		return;
	}
	const { migrate } = await import('drizzle-orm/postgres-js/migrator');
	// A session advisory lock on a reserved connection: the second node waits, then finds
	// nothing left to apply. It is released when the connection closes, even on a crash.
	const lock = await database.pg!.reserve();
	try {
		await lock`select pg_advisory_lock(72417001)`;
		await migrate(db as never, { migrationsFolder });
	} finally {
		await lock`select pg_advisory_unlock(72417001)`.catch(() => {});
		lock.release();
	}
}

export interface MigrationState {
	applied: number;
	expected: number;
	upToDate: boolean;
}

export async function migrationState(db: Db, migrationsFolder: string): Promise<MigrationState> {
	const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
		entries: unknown[];
	};
	let applied = 0;
	try {
		const [row] = await rows<{ n: number }>(
			db,
			sql`select count(*)::int as n from drizzle.__drizzle_migrations`
		);
		applied = Number(row?.n ?? 0);
	} catch {
		applied = 0; // no migration table yet
	}
	return { applied, expected: journal.entries.length, upToDate: applied === journal.entries.length };
}

export { schema };
