import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, migrate } from '../../src/lib/server/db';
import { seedDemo } from '../../src/lib/server/seed';
import { ROOT } from './server';

export interface SeedTiming {
	driver: 'postgres' | 'pglite';
	migrateMs: number;
	/** seedDemo alone (one transaction, then its own ANALYZE). */
	seedMs: number;
	/** What the seed made, to show what "100,000 orders" drags along. */
	counts: Record<string, number>;
}

/** Migrates and seeds one database in this process, timing each step on its own. */
export async function seedInto(
	target: { url: string } | { dataDir: string },
	orders: number,
	log: (msg: string) => void = () => {}
): Promise<SeedTiming> {
	const database = await openDatabase(
		'url' in target ? { url: target.url } : { url: null, dataDir: target.dataDir }
	);
	try {
		let t = performance.now();
		await migrate(database, join(ROOT, 'drizzle'));
		const migrateMs = performance.now() - t;
		t = performance.now();
		const {
			seed: _seed,
			today: _today,
			seconds: _seconds,
			...counts
		} = await seedDemo(database.db, { orders, log });
		return { driver: database.kind, migrateMs, seedMs: performance.now() - t, counts };
	} finally {
		await database.close();
	}
}

/**
 * A kept PGlite folder: the database in `<dir>/pgdata`, and `<dir>/seed.json` saying what it
 * holds, so a later run reuses it instead of seeding 100,000 orders again.
 */
export const pgdataOf = (dir: string) => join(dir, 'pgdata');
export const keptPgliteDir = (orders: number) => join(tmpdir(), 'eo-bench', `pglite-${orders}`);

export function keptPglite(dir: string): { orders: number; seedMs: number } | null {
	const file = join(dir, 'seed.json');
	if (!existsSync(file)) return null;
	try {
		return JSON.parse(readFileSync(file, 'utf8'));
	} catch {
		return null;
	}
}

export function markPglite(dir: string, orders: number, seedMs: number): void {
	writeFileSync(join(dir, 'seed.json'), JSON.stringify({ orders, seedMs, at: new Date().toISOString() }));
}
