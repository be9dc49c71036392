import { sha256 } from '@oslojs/crypto/sha2';
import { encodeBase32LowerCaseNoPadding, encodeHexLowerCase } from '@oslojs/encoding';
import { eq, lt, or, sql } from 'drizzle-orm';
import { schema, rows, type Conn } from '../db';
import { combineRoles, type DataScope } from '../../domain/permissions';
import type { Actor } from '../authz';

/**
 * Sessions as the Lucia guide builds them: a random token in an HttpOnly cookie, only its
 * SHA-256 in the database. Expiry slides with activity (idle timeout) but never past the
 * absolute lifetime set at sign-in.
 */
export const SESSION_COOKIE = 'session';

export interface SessionPolicy {
	idleMs: number;
	absoluteMs: number;
}

export function sessionPolicy(idleHours: number, maxDays: number): SessionPolicy {
	return { idleMs: idleHours * 3_600_000, absoluteMs: maxDays * 86_400_000 };
}

export function generateToken(): string {
	const bytes = new Uint8Array(20);
	crypto.getRandomValues(bytes);
	return encodeBase32LowerCaseNoPadding(bytes);
}

export function hashToken(token: string): string {
	return encodeHexLowerCase(sha256(new TextEncoder().encode(token)));
}

export interface Session {
	id: string;
	userId: number;
	expiresAt: Date;
	absoluteExpiresAt: Date;
	/** Set for a worker signed in at a shop-floor terminal: the session is good only there. */
	deviceId: number | null;
}

export async function createSession(
	db: Conn,
	userId: number,
	policy: SessionPolicy,
	meta: { userAgent?: string | null; ip?: string | null; deviceId?: number | null } = {}
): Promise<{ token: string; session: Session }> {
	const token = generateToken();
	const now = Date.now();
	const session: Session = {
		id: hashToken(token),
		userId,
		absoluteExpiresAt: new Date(now + policy.absoluteMs),
		expiresAt: new Date(now + Math.min(policy.idleMs, policy.absoluteMs)),
		deviceId: meta.deviceId ?? null
	};
	await db.insert(schema.sessions).values({
		...session,
		userAgent: meta.userAgent?.slice(0, 300) ?? null,
		ip: meta.ip ?? null
	});
	return { token, session };
}

interface ActorRow {
	session_id: string;
	device_id: number | null;
	expires_at: string | Date;
	absolute_expires_at: string | Date;
	user_id: number;
	username: string;
	display_name: string;
	locale: 'zh-CN' | 'en';
	home_company_id: number | null;
	active: boolean;
	roles: { code: string; permissions: string[]; scope: DataScope }[] | null;
	company_ids: number[] | null;
}

/** One round trip: the user, their roles and their company grants. */
const actorColumns = sql`
	u.id as user_id, u.username, u.display_name, u.locale, u.home_company_id, u.active,
	(select json_agg(json_build_object('code', r.code, 'permissions', r.permissions, 'scope', r.scope))
		from user_roles ur join roles r on r.id = ur.role_id where ur.user_id = u.id) as roles,
	(select array_agg(g.company_id order by g.company_id) from user_company_grants g where g.user_id = u.id) as company_ids`;

function toActor(row: ActorRow): Actor {
	const roles = row.roles ?? [];
	const { permissions, scope } = combineRoles(roles);
	return {
		id: row.user_id,
		username: row.username,
		displayName: row.display_name,
		locale: row.locale,
		permissions,
		scope,
		roles: roles.map((r) => r.code),
		companyIds: (row.company_ids ?? []).map(Number),
		homeCompanyId: row.home_company_id
	};
}

export async function loadActor(db: Conn, userId: number): Promise<Actor | null> {
	const [row] = await rows<ActorRow>(
		db,
		sql`select null as session_id, null as device_id, null as expires_at, null as absolute_expires_at, ${actorColumns}
			from users u where u.id = ${userId}`
	);
	return row && row.active ? toActor(row) : null;
}

/**
 * The session and its user, or null when the token is unknown, expired, or the user is disabled.
 * Extends the idle expiry when at least a minute has passed, so busy pages do not write each time.
 */
export async function validateSessionToken(
	db: Conn,
	token: string,
	policy: SessionPolicy
): Promise<{ session: Session; actor: Actor } | null> {
	if (!/^[a-z2-7]{16,64}$/.test(token)) return null;
	const id = hashToken(token);
	const [row] = await rows<ActorRow>(
		db,
		sql`select s.id as session_id, s.device_id, s.expires_at, s.absolute_expires_at, ${actorColumns}
			from sessions s join users u on u.id = s.user_id where s.id = ${id}`
	);
	if (!row) return null;
	const now = Date.now();
	const session: Session = {
		id,
		userId: row.user_id,
		expiresAt: new Date(row.expires_at),
		absoluteExpiresAt: new Date(row.absolute_expires_at),
		deviceId: row.device_id
	};
	if (now >= session.expiresAt.getTime() || now >= session.absoluteExpiresAt.getTime() || !row.active) {
		await db.delete(schema.sessions).where(eq(schema.sessions.id, id));
		return null;
	}
	const slid = new Date(Math.min(now + policy.idleMs, session.absoluteExpiresAt.getTime()));
	if (slid.getTime() - session.expiresAt.getTime() > 60_000) {
		session.expiresAt = slid;
		await db.update(schema.sessions).set({ expiresAt: slid }).where(eq(schema.sessions.id, id));
	}
	return { session, actor: toActor(row) };
}

export async function invalidateSession(db: Conn, sessionId: string): Promise<void> {
	await db.delete(schema.sessions).where(eq(schema.sessions.id, sessionId));
}

export async function invalidateUserSessions(db: Conn, userId: number): Promise<void> {
	await db.delete(schema.sessions).where(eq(schema.sessions.userId, userId));
}

export async function deleteExpiredSessions(db: Conn): Promise<void> {
	const now = new Date();
	await db
		.delete(schema.sessions)
		.where(or(lt(schema.sessions.expiresAt, now), lt(schema.sessions.absoluteExpiresAt, now)));
}
