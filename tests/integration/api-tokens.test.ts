import { describe, expect, it, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar } from './db';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';
import { issueApiToken, listApiTokens, revokeToken } from '../../src/lib/server/services/auth';
import { actorForApiToken, API_TOKEN_PREFIX } from '../../src/lib/server/auth/api-tokens';
import { hashToken } from '../../src/lib/server/auth/session';
import { ValidationError } from '../../src/lib/server/errors';

describe.each(drivers)('API tokens (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let me: Actor;
	let other: Actor;

	beforeAll(async () => {
		db = t.db;
		me = await actorOf(db, 'planner1');
		other = await actorOf(db, 'dispatcher1');
	});

	it('stores only the hash of a new token and resolves the token to its user', async () => {
		const { token, id } = await issueApiToken(db, me, { name: 'ci script' });
		expect(token.startsWith(API_TOKEN_PREFIX)).toBe(true);
		expect(await scalar(db, sql`select count(*) from api_tokens where token_hash = ${hashToken(token)} and id = ${id}`)).toBe(1);
		expect(await scalar(db, sql`select count(*) from api_tokens where token_hash = ${token}`)).toBe(0);
		expect((await actorForApiToken(db, token))?.username).toBe('planner1');
		expect((await listApiTokens(db, me)).map((x) => x.id)).toContain(id);
		expect((await listApiTokens(db, other)).map((x) => x.id)).not.toContain(id);
	});

	it('stops working once revoked', async () => {
		const { token, id } = await issueApiToken(db, me, { name: 'to revoke' });
		expect(await revokeToken(db, me, String(id))).toBe(true);
		expect(await actorForApiToken(db, token)).toBeNull();
		expect(await revokeToken(db, me, id)).toBe(false);
	});

	it('cannot be revoked by another user', async () => {
		const { token, id } = await issueApiToken(db, me, { name: 'mine' });
		expect(await revokeToken(db, other, id)).toBe(false);
		expect(await actorForApiToken(db, token)).not.toBeNull();
	});

	it('stops working when it expires', async () => {
		const { token, id } = await issueApiToken(db, me, { name: 'short', expiresInDays: '1' });
		expect(await actorForApiToken(db, token)).not.toBeNull();
		await query(db, sql`update api_tokens set expires_at = now() - interval '1 second' where id = ${id}`);
		expect(await actorForApiToken(db, token)).toBeNull();
	});

	it('stops working when its user is disabled', async () => {
		const { token } = await issueApiToken(db, other, { name: 'disabled later' });
		await query(db, sql`update users set active = false where id = ${other.id}`);
		try {
			expect(await actorForApiToken(db, token)).toBeNull();
		} finally {
			await query(db, sql`update users set active = true where id = ${other.id}`);
		}
	});

	it.each(['', 'eo_', 'eo_unknown000000000000000000000000', 'abc', `eo_${'a'.repeat(200)}`])('resolves %j to nobody', async (token) => {
		expect(await actorForApiToken(db, token)).toBeNull();
	});

	it('refuses a nameless token or one living over a year', async () => {
		await expect(issueApiToken(db, me, { name: '  ' })).rejects.toBeInstanceOf(ValidationError);
		await expect(issueApiToken(db, me, { name: 'x', expiresInDays: '366' })).rejects.toBeInstanceOf(ValidationError);
	});
});
