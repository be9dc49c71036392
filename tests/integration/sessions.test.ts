import { describe, expect, it, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar, userId } from './db';
import type { Db } from '../../src/lib/server/db';
import {
	createSession,
	hashToken,
	invalidateSession,
	sessionPolicy,
	validateSessionToken
} from '../../src/lib/server/auth/session';
import { logoutEverywhere } from '../../src/lib/server/services/auth';

const policy = sessionPolicy(72, 30);
const HOUR = 3_600_000;

describe.each(drivers)('sessions (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let uid: number;

	beforeAll(async () => {
		db = t.db;
		uid = await userId(db, 'planner1');
	});

	const row = async (id: string) =>
		(
			await query<{ id: string; expires_at: string | Date; absolute_expires_at: string | Date }>(
				db,
				sql`select id, expires_at, absolute_expires_at from sessions where id = ${id}`
			)
		)[0];

	it('stores only the SHA-256 of the token, never the token', async () => {
		const { token, session } = await createSession(db, uid, policy, { userAgent: 'vitest', ip: '10.0.0.1' });
		expect(session.id).toBe(hashToken(token));
		expect(session.id).not.toBe(token);
		expect(session.id).toMatch(/^[0-9a-f]{64}$/);
		expect(await scalar(db, sql`select count(*) from sessions where id = ${token}`)).toBe(0);
		expect(await scalar(db, sql`select count(*) from sessions where id = ${session.id}`)).toBe(1);
		expect(token).toMatch(/^[a-z2-7]{32}$/);
	});

	it('gives every sign-in a different token', async () => {
		const a = await createSession(db, uid, policy);
		const b = await createSession(db, uid, policy);
		expect(a.token).not.toBe(b.token);
	});

	it('resolves a fresh token to the session and its user', async () => {
		const { token } = await createSession(db, uid, policy);
		const r = await validateSessionToken(db, token, policy);
		expect(r?.actor.username).toBe('planner1');
		expect(r?.session.userId).toBe(uid);
	});

	it.each(['', 'short', 'a'.repeat(200), 'UPPERCASE0000000000000000', 'valid-looking but with spaces', "x' or 1=1 --"])(
		'rejects the malformed or unknown token %j',
		async (token) => {
			expect(await validateSessionToken(db, token, policy)).toBeNull();
		}
	);

	it('rejects a well-formed token that was never issued', async () => {
		expect(await validateSessionToken(db, 'abcdefghijklmnopqrstuvwxyz234567', policy)).toBeNull();
	});

	it('rejects the stored hash used as a token', async () => {
		const { session } = await createSession(db, uid, policy);
		expect(await validateSessionToken(db, session.id, policy)).toBeNull();
	});

	it('slides the idle expiry forward on use', async () => {
		const { token, session } = await createSession(db, uid, policy);
		await query(db, sql`update sessions set expires_at = now() + interval '10 minutes' where id = ${session.id}`);
		const r = await validateSessionToken(db, token, policy);
		expect(r).not.toBeNull();
		const stored = new Date((await row(session.id)).expires_at).getTime();
		expect(stored).toBeGreaterThan(Date.now() + 71 * HOUR);
		expect(r!.session.expiresAt.getTime()).toBe(stored);
	});

	it('never slides past the absolute expiry', async () => {
		const { token, session } = await createSession(db, uid, policy);
		await query(
			db,
			sql`update sessions set expires_at = now() + interval '5 minutes', absolute_expires_at = now() + interval '30 minutes' where id = ${session.id}`
		);
		expect(await validateSessionToken(db, token, policy)).not.toBeNull();
		const r = await row(session.id);
		expect(new Date(r.expires_at).getTime()).toBe(new Date(r.absolute_expires_at).getTime());
	});

	it('ends a session idle past its expiry, and deletes it', async () => {
		const { token, session } = await createSession(db, uid, policy);
		await query(db, sql`update sessions set expires_at = now() - interval '1 second' where id = ${session.id}`);
		expect(await validateSessionToken(db, token, policy)).toBeNull();
		expect(await row(session.id)).toBeUndefined();
	});

	it('ends a busy session at its absolute expiry', async () => {
		const { token, session } = await createSession(db, uid, policy);
		await query(
			db,
			sql`update sessions set expires_at = now() + interval '1 hour', absolute_expires_at = now() - interval '1 second' where id = ${session.id}`
		);
		expect(await validateSessionToken(db, token, policy)).toBeNull();
		expect(await row(session.id)).toBeUndefined();
	});

	it('ends the sessions of a disabled user', async () => {
		const other = await userId(db, 'planner1');
		const { token } = await createSession(db, other, policy);
		await query(db, sql`update users set active = false where id = ${other}`);
		try {
			expect(await validateSessionToken(db, token, policy)).toBeNull();
		} finally {
			await query(db, sql`update users set active = true where id = ${other}`);
		}
		// Enabling the user again does not bring the ended session back.
		expect(await validateSessionToken(db, token, policy)).toBeNull();
	});

	it('ends one session on sign-out and leaves the others', async () => {
		const a = await createSession(db, uid, policy);
		const b = await createSession(db, uid, policy);
		await invalidateSession(db, a.session.id);
		expect(await validateSessionToken(db, a.token, policy)).toBeNull();
		expect(await validateSessionToken(db, b.token, policy)).not.toBeNull();
	});

	it('ends every session of the user, and only theirs, on "sign out everywhere"', async () => {
		const me = await actorOf(db, 'dispatcher1');
		const someoneElse = await userId(db, 'finance1');
		const mine = await Promise.all([1, 2, 3].map(() => createSession(db, me.id, policy)));
		const theirs = await createSession(db, someoneElse, policy);
		await logoutEverywhere(db, me);
		for (const s of mine) expect(await validateSessionToken(db, s.token, policy)).toBeNull();
		expect(await scalar(db, sql`select count(*) from sessions where user_id = ${me.id}`)).toBe(0);
		expect(await validateSessionToken(db, theirs.token, policy)).not.toBeNull();
	});

	it('gives a new session the idle expiry, capped by the absolute one', async () => {
		const short = sessionPolicy(72, 1);
		const { session } = await createSession(db, uid, short);
		expect(session.expiresAt.getTime()).toBe(session.absoluteExpiresAt.getTime());
	});
});
