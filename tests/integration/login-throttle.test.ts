import { describe, expect, it, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, query, userId } from './db';
import type { Db } from '../../src/lib/server/db';
import { login } from '../../src/lib/server/services/auth';
import { sessionPolicy, validateSessionToken } from '../../src/lib/server/auth/session';
import { RateLimitedError, InvalidCredentialsError, ValidationError, AppError } from '../../src/lib/server/errors';

const policy = sessionPolicy(72, 30);
const PASSWORD = 'demo1234';

describe.each(drivers)('sign-in (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	beforeAll(() => {
		db = t.db;
	});

	const attempt = (username: string, password: string, ip: string | null = null) =>
		login(db, policy, { username, password }, { ip, userAgent: 'vitest', locale: 'en' });
	const failure = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e as AppError);

	it('signs in with the right password and returns a working session', async () => {
		const r = await attempt('approver1', PASSWORD);
		expect(r.user.username).toBe('approver1');
		expect((await validateSessionToken(db, r.token, policy))?.actor.username).toBe('approver1');
	});

	it('ignores the case of the username', async () => {
		expect((await attempt('Approver1', PASSWORD)).user.username).toBe('approver1');
	});

	it('says the same thing for an unknown user, a wrong password and a disabled user', async () => {
		const unknown = await failure(attempt('no-such-user', PASSWORD));
		const wrong = await failure(attempt('planner1', 'wrong-password'));
		const uid = await userId(db, 'sales6');
		await query(db, sql`update users set active = false where id = ${uid}`);
		const disabled = await failure(attempt('sales6', PASSWORD));
		await query(db, sql`update users set active = true where id = ${uid}`);
		for (const e of [unknown, wrong, disabled]) {
			expect(e).toBeInstanceOf(InvalidCredentialsError);
			expect(e!.code).toBe(wrong!.code);
			expect(e!.message).toBe(wrong!.message);
			expect(e!.status).toBe(401);
		}
	});

	it('refuses the 6th attempt after 5 wrong passwords, even with the right password', async () => {
		for (let i = 0; i < 5; i++) expect(await failure(attempt('storekeeper1', `wrong-${i}`))).toBeInstanceOf(InvalidCredentialsError);
		const e = await failure(attempt('storekeeper1', PASSWORD));
		expect(e).toBeInstanceOf(RateLimitedError);
		expect((e as RateLimitedError).retryAfterSeconds).toBeGreaterThan(0);
		expect((e as RateLimitedError).retryAfterSeconds).toBeLessThanOrEqual(15 * 60);
		// Another spelling of the same name is the same account.
		expect(await failure(attempt(' STOREKEEPER1 ', PASSWORD))).toBeInstanceOf(RateLimitedError);
	});

	it('throttles per user: other users can still sign in', async () => {
		for (let i = 0; i < 5; i++) await failure(attempt('sales3', `wrong-${i}`));
		expect(await failure(attempt('sales3', PASSWORD))).toBeInstanceOf(RateLimitedError);
		expect((await attempt('sales4', PASSWORD)).user.username).toBe('sales4');
	});

	it('lets the throttle lapse after the window', async () => {
		for (let i = 0; i < 5; i++) await failure(attempt('sales5', `wrong-${i}`));
		expect(await failure(attempt('sales5', PASSWORD))).toBeInstanceOf(RateLimitedError);
		await query(db, sql`update login_attempts set at = at - interval '16 minutes' where key = 'user:sales5'`);
		expect((await attempt('sales5', PASSWORD)).user.username).toBe('sales5');
	});

	it('forgets earlier failures after a successful sign-in', async () => {
		for (let i = 0; i < 4; i++) await failure(attempt('finance1', `wrong-${i}`));
		await attempt('finance1', PASSWORD);
		for (let i = 0; i < 4; i++) await failure(attempt('finance1', `wrong-${i}`));
		expect((await attempt('finance1', PASSWORD)).user.username).toBe('finance1');
	});

	it('throttles one address that tries many usernames', async () => {
		const ip = '203.0.113.9';
		for (let i = 0; i < 30; i++) await failure(attempt(`guess-${i}`, 'x', ip));
		expect(await failure(attempt('manager1', PASSWORD, ip))).toBeInstanceOf(RateLimitedError);
		// From another address the same user signs in.
		expect((await attempt('manager1', PASSWORD, '203.0.113.10')).user.username).toBe('manager1');
	});

	it('refuses malformed input as invalid, in the caller’s language', async () => {
		const e = await failure(login(db, policy, { username: '', password: '' }, { ip: null, userAgent: null, locale: 'zh-CN' }));
		expect(e).toBeInstanceOf(ValidationError);
		expect((e as ValidationError).issues.map((i) => i.path).sort()).toEqual(['password', 'username']);
		expect((e as ValidationError).issues[0].message).toMatch(/[\u4e00-\u9fff]/);
		expect(await failure(login(db, policy, null, { ip: null, userAgent: null, locale: 'en' }))).toBeInstanceOf(ValidationError);
		expect(await failure(login(db, policy, { username: 'a'.repeat(65), password: 'x' }, { ip: null, userAgent: null, locale: 'en' }))).toBeInstanceOf(
			ValidationError
		);
	});

	it('treats a username with a NUL character as a wrong credential, not a crash', async () => {
		const e = await failure(attempt('admin\u0000', PASSWORD));
		expect(e).toBeInstanceOf(AppError);
		expect([400, 401]).toContain(e!.status);
	});
});
