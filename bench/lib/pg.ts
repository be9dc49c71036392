import postgres from 'postgres';

/** The PostgreSQL server the benches create their throwaway databases on (local only). */
export const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** The database `bench:seed --keep` leaves behind and `bench:orders` reuses. */
export const keptDatabaseName = (orders: number) => `eo_bench_orders_${orders}`;

export function databaseUrl(name: string): string {
	const url = new URL(ADMIN_URL);
	url.pathname = `/${name}`;
	return url.toString();
}

async function admin<T>(fn: (sql: postgres.Sql) => Promise<T>): Promise<T> {
	const sql = postgres(ADMIN_URL, { max: 1, onnotice: () => {} });
	try {
		return await fn(sql);
	} finally {
		await sql.end({ timeout: 5 });
	}
}

const safeName = (name: string) => {
	if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`unsafe database name ${name}`);
	return name;
};

export function createDatabase(name: string): Promise<string> {
	return admin(async (sql) => {
		await sql.unsafe(`drop database if exists "${safeName(name)}" with (force)`);
		await sql.unsafe(`create database "${safeName(name)}"`);
		return databaseUrl(name);
	});
}

export function dropDatabase(name: string): Promise<void> {
	return admin(async (sql) => {
		await sql.unsafe(`drop database if exists "${safeName(name)}" with (force)`);
	});
}

export function databaseExists(name: string): Promise<boolean> {
	return admin(async (sql) => (await sql`select 1 from pg_database where datname = ${name}`).length > 0);
}

/** Orders in a database, or null when it has no orders table (never migrated). */
export async function countOrders(url: string): Promise<number | null> {
	const sql = postgres(url, { max: 1, onnotice: () => {} });
	try {
		const [row] = await sql`select count(*)::int as n from orders`;
		return row.n as number;
	} catch {
		return null;
	} finally {
		await sql.end({ timeout: 5 });
	}
}
