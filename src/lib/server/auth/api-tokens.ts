import { and, eq, isNull, sql } from 'drizzle-orm';
import { schema, type Conn } from '../db';
import { generateToken, hashToken, loadActor } from './session';
import type { Actor } from '../authz';

/** API tokens carry a recognisable prefix so a leaked one is easy to spot. */
export const API_TOKEN_PREFIX = 'eo_';

export async function createApiToken(
	db: Conn,
	userId: number,
	name: string,
	expiresAt: Date | null
): Promise<{ id: number; token: string }> {
	const token = API_TOKEN_PREFIX + generateToken();
	const [row] = await db
		.insert(schema.apiTokens)
		.values({ userId, name, tokenHash: hashToken(token), expiresAt })
		.returning({ id: schema.apiTokens.id });
	return { id: row.id, token };
}

export async function actorForApiToken(db: Conn, token: string): Promise<Actor | null> {
	if (!token.startsWith(API_TOKEN_PREFIX) || token.length > 80) return null;
	const [row] = await db
		.select({
			id: schema.apiTokens.id,
			userId: schema.apiTokens.userId,
			expiresAt: schema.apiTokens.expiresAt,
			lastUsedAt: schema.apiTokens.lastUsedAt
		})
		.from(schema.apiTokens)
		.where(and(eq(schema.apiTokens.tokenHash, hashToken(token)), isNull(schema.apiTokens.revokedAt)));
	if (!row || (row.expiresAt && row.expiresAt.getTime() <= Date.now())) return null;
	if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000)
		await db
			.update(schema.apiTokens)
			.set({ lastUsedAt: sql`now()` })
			.where(eq(schema.apiTokens.id, row.id));
	return loadActor(db, row.userId);
}

export async function revokeApiToken(db: Conn, userId: number, id: number): Promise<boolean> {
	const done = await db
		.update(schema.apiTokens)
		.set({ revokedAt: sql`now()` })
		.where(
			and(
				eq(schema.apiTokens.id, id),
				eq(schema.apiTokens.userId, userId),
				isNull(schema.apiTokens.revokedAt)
			)
		)
		.returning({ id: schema.apiTokens.id });
	return done.length > 0;
}
