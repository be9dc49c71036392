import { and, eq, gte, lt, sql } from 'drizzle-orm';
import { schema, type Conn } from '../db';
import { RateLimitedError } from '../errors';

/**
 * Failed sign-ins are counted per username and per client address over a sliding window;
 * the table is shared, so every app node sees the same count.
 */
const WINDOW_MS = 15 * 60_000;
const MAX_PER_USER = 5;
const MAX_PER_IP = 30;

function keys(username: string, ip: string | null): { key: string; max: number }[] {
	const k = [{ key: `user:${username.trim().toLowerCase()}`, max: MAX_PER_USER }];
	if (ip) k.push({ key: `ip:${ip}`, max: MAX_PER_IP });
	return k;
}

export async function assertNotThrottled(db: Conn, username: string, ip: string | null): Promise<void> {
	const since = new Date(Date.now() - WINDOW_MS);
	for (const { key, max } of keys(username, ip)) {
		const [row] = await db
			.select({ n: sql<number>`count(*)::int`, oldest: sql<string>`min(${schema.loginAttempts.at})` })
			.from(schema.loginAttempts)
			.where(and(eq(schema.loginAttempts.key, key), gte(schema.loginAttempts.at, since)));
		if (row && Number(row.n) >= max) {
			const retry = Math.max(1, Math.ceil((new Date(row.oldest).getTime() + WINDOW_MS - Date.now()) / 1000));
			throw new RateLimitedError('Too many failed sign-ins; try again later', retry);
		}
	}
}

export async function recordFailure(db: Conn, username: string, ip: string | null): Promise<void> {
	await db.insert(schema.loginAttempts).values(keys(username, ip).map(({ key }) => ({ key })));
	// Keep the table small: forget attempts older than a day.
	await db.delete(schema.loginAttempts).where(lt(schema.loginAttempts.at, new Date(Date.now() - 86_400_000)));
}

export async function clearFailures(db: Conn, username: string): Promise<void> {
	await db
		.delete(schema.loginAttempts)
		.where(eq(schema.loginAttempts.key, `user:${username.trim().toLowerCase()}`));
}
