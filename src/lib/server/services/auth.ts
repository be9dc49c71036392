import { z } from 'zod';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { schema, rows, type Conn, type Db } from '../db';
import type { Actor } from '../authz';
import { parseId, parseInput, text, trimmed, type Locale } from '../validate';
import { UnauthenticatedError, ConflictError, InvalidCredentialsError } from '../errors';
import { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from '../auth/password';
import { assertNotThrottled, clearFailures, recordFailure } from '../auth/throttle';
import {
	createSession,
	invalidateSession,
	invalidateUserSessions,
	type Session,
	type SessionPolicy
} from '../auth/session';
import { disconnectSession, disconnectUser } from '../realtime/hub';
import { createApiToken, revokeApiToken } from '../auth/api-tokens';
import { appendEvent } from '../events/append';
import { ensureRoles } from '../seed';
import { LOCALES } from '../db/schema/auth';

/** Security-relevant account actions go to the audit trail (the append-only events table). */
function auditAccount(db: Conn, userId: number, type: string, payload: Record<string, unknown> = {}) {
	return appendEvent(db, {
		companyId: null,
		topic: 'admin',
		entity: 'user',
		entityId: userId,
		entityVersion: 0,
		type,
		payload,
		actorId: userId
	});
}

export const loginInput = z.object({
	username: trimmed(1, 64),
	password: text(1, 256)
});

// A real hash, so an unknown username costs the same time as a wrong password.
const DUMMY_HASH = hashPassword('timing-equaliser');

/** Signs in; one generic message for any wrong credential, throttled per user and per address. */
export async function login(
	db: Db,
	policy: SessionPolicy,
	input: unknown,
	meta: { ip: string | null; userAgent: string | null; locale: Locale }
): Promise<{ token: string; session: Session; user: { id: number; username: string; locale: Locale } }> {
	const { username, password } = parseInput(loginInput, input, meta.locale);
	await assertNotThrottled(db, username, meta.ip);
	const [user] = await db
		.select({
			id: schema.users.id,
			username: schema.users.username,
			passwordHash: schema.users.passwordHash,
			active: schema.users.active,
			locale: schema.users.locale
		})
		.from(schema.users)
		.where(sql`lower(${schema.users.username}) = ${username.toLowerCase()}`);
	const ok = await verifyPassword(user?.passwordHash ?? (await DUMMY_HASH), password);
	if (!user || !ok || !user.active) {
		await recordFailure(db, username, meta.ip);
		throw new InvalidCredentialsError();
	}
	await clearFailures(db, username);
	const { token, session } = await db.transaction(async (tx) => {
		const created = await createSession(tx, user.id, policy, meta);
		await auditAccount(tx, user.id, 'user.signed_in', { ip: meta.ip });
		return created;
	});
	return { token, session, user: { id: user.id, username: user.username, locale: user.locale } };
}

/** Ends one session: its cookie stops working and its live connections close. */
export async function logout(db: Db, session: Session | null): Promise<void> {
	if (!session) return;
	await invalidateSession(db, session.id);
	disconnectSession(session.id);
}

export async function logoutEverywhere(db: Db, actor: Actor | null): Promise<void> {
	if (!actor) throw new UnauthenticatedError();
	await db.transaction(async (tx) => {
		await invalidateUserSessions(tx, actor.id);
		await auditAccount(tx, actor.id, 'user.signed_out_everywhere');
	});
	disconnectUser(actor.id);
}

export async function setLocale(db: Db, actor: Actor | null, locale: unknown): Promise<Locale> {
	if (!actor) throw new UnauthenticatedError();
	const value = parseInput(z.enum(LOCALES), locale, actor.locale);
	await db
		.update(schema.users)
		.set({ locale: value, version: sql`${schema.users.version} + 1`, updatedAt: sql`now()` })
		.where(eq(schema.users.id, actor.id));
	return value;
}

export async function listSessions(db: Db, actor: Actor | null) {
	if (!actor) throw new UnauthenticatedError();
	return db
		.select({
			id: schema.sessions.id,
			createdAt: schema.sessions.createdAt,
			expiresAt: schema.sessions.expiresAt,
			userAgent: schema.sessions.userAgent,
			ip: schema.sessions.ip
		})
		.from(schema.sessions)
		.where(eq(schema.sessions.userId, actor.id))
		.orderBy(desc(schema.sessions.createdAt));
}

export const tokenInput = z.object({
	name: trimmed(1, 80),
	expiresInDays: z.coerce.number().int().min(1).max(365).optional()
});

export async function issueApiToken(db: Db, actor: Actor | null, input: unknown) {
	if (!actor) throw new UnauthenticatedError();
	const { name, expiresInDays } = parseInput(tokenInput, input, actor.locale);
	const expiresAt = expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null;
	const created = await db.transaction(async (tx) => {
		const token = await createApiToken(tx, actor.id, name, expiresAt);
		await auditAccount(tx, actor.id, 'api_token.created', { tokenId: token.id, name });
		return token;
	});
	return { ...created, name, expiresAt };
}

export async function listApiTokens(db: Db, actor: Actor | null) {
	if (!actor) throw new UnauthenticatedError();
	return db
		.select({
			id: schema.apiTokens.id,
			name: schema.apiTokens.name,
			createdAt: schema.apiTokens.createdAt,
			lastUsedAt: schema.apiTokens.lastUsedAt,
			expiresAt: schema.apiTokens.expiresAt
		})
		.from(schema.apiTokens)
		.where(and(eq(schema.apiTokens.userId, actor.id), isNull(schema.apiTokens.revokedAt)))
		.orderBy(desc(schema.apiTokens.id));
}

export async function revokeToken(db: Db, actor: Actor | null, id: unknown): Promise<boolean> {
	if (!actor) throw new UnauthenticatedError();
	const tokenId = parseId(id, actor.locale);
	return db.transaction(async (tx) => {
		const revoked = await revokeApiToken(tx, actor.id, tokenId);
		if (revoked) await auditAccount(tx, actor.id, 'api_token.revoked', { tokenId });
		return revoked;
	});
}

export async function needsSetup(db: Db): Promise<boolean> {
	const [row] = await rows<{ n: number }>(db, sql`select count(*)::int as n from users`);
	return Number(row?.n ?? 0) === 0;
}

export const setupInput = z
	.object({
		companyName: trimmed(2, 100),
		companyCode: z
			.string()
			.trim()
			.regex(/^[A-Z0-9-]{2,16}$/),
		username: z
			.string()
			.trim()
			.regex(/^[a-zA-Z][a-zA-Z0-9_.-]{2,31}$/),
		displayName: trimmed(1, 60),
		password: text(MIN_PASSWORD_LENGTH, 256),
		confirm: z.string()
	})
	.refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'passwords differ' });

/**
 * A real deployment starts empty: the first visitor creates the group's first company and
 * its administrator. Refused once any user exists, also when two people try at once.
 */
export async function setupFirstAdmin(db: Db, input: unknown, locale: Locale): Promise<{ userId: number }> {
	const v = parseInput(setupInput, input, locale);
	const passwordHash = await hashPassword(v.password);
	return db.transaction(async (tx) => {
		await tx.execute(sql`select pg_advisory_xact_lock(72417002)`);
		if (!(await needsSetup(tx as unknown as Db))) throw new ConflictError('Setup is already done');
		const roleIds = await ensureRoles(tx as unknown as Db);
		const [group] = await tx.insert(schema.companyGroups).values({ name: v.companyName }).returning();
		const [company] = await tx
			.insert(schema.companies)
			.values({ groupId: group.id, code: v.companyCode, name: v.companyName })
			.returning();
		const [user] = await tx
			.insert(schema.users)
			.values({
				username: v.username,
				displayName: v.displayName,
				passwordHash,
				locale,
				homeCompanyId: company.id
			})
			.returning();
		await tx.insert(schema.userRoles).values({ userId: user.id, roleId: roleIds.admin });
		await tx.insert(schema.userCompanyGrants).values({ userId: user.id, companyId: company.id });
		await appendEvent(tx, {
			companyId: company.id,
			topic: 'admin',
			entity: 'user',
			entityId: user.id,
			entityVersion: 1,
			type: 'setup.completed',
			payload: { username: user.username, company: company.code },
			actorId: user.id
		});
		return { userId: user.id };
	});
}

/** Companies the actor may see, for filters and pickers. */
export async function myCompanies(db: Db, actor: Actor) {
	if (actor.companyIds.length === 0) return [];
	return db
		.select({
			id: schema.companies.id,
			code: schema.companies.code,
			name: schema.companies.name,
			nameEn: schema.companies.nameEn
		})
		.from(schema.companies)
		.where(inArray(schema.companies.id, [...actor.companyIds]))
		.orderBy(schema.companies.id);
}
