import { describe, expect, it, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, query, scalar } from './db';
import type { Db } from '../../src/lib/server/db';
import { login, needsSetup, setupFirstAdmin } from '../../src/lib/server/services/auth';
import { loadActor, sessionPolicy } from '../../src/lib/server/auth/session';
import { PERMISSIONS } from '../../src/lib/domain/permissions';
import { ConflictError, ValidationError } from '../../src/lib/server/errors';

const form = (over: Record<string, string> = {}) => ({
	companyName: '华梯电梯（上海）有限公司',
	companyCode: 'HT-SH',
	username: 'chief',
	displayName: '总管理员',
	password: 'correct horse battery',
	confirm: 'correct horse battery',
	...over
});

describe.each(drivers)('first-time setup (%s)', (driver) => {
	const t = useDatabase(driver, { seed: false });
	let db: Db;
	beforeAll(() => {
		db = t.db;
	});

	it('is needed on an empty database', async () => {
		expect(await needsSetup(db)).toBe(true);
	});

	it('refuses malformed input, naming the fields', async () => {
		const e = await setupFirstAdmin(db, form({ companyCode: 'lower case', confirm: 'different', password: 'short' }), 'en').catch((e) => e);
		expect(e).toBeInstanceOf(ValidationError);
		const paths = (e as ValidationError).issues.map((i) => i.path);
		expect(paths).toEqual(expect.arrayContaining(['companyCode', 'password']));
		expect(await needsSetup(db)).toBe(true);
	});

	it('lets exactly one of two simultaneous setups win', async () => {
		const results = await Promise.allSettled([
			setupFirstAdmin(db, form({ username: 'first', companyCode: 'AAA' }), 'en'),
			setupFirstAdmin(db, form({ username: 'second', companyCode: 'BBB' }), 'en')
		]);
		const won = results.filter((r) => r.status === 'fulfilled');
		const lost = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
		expect(won).toHaveLength(1);
		expect(lost).toHaveLength(1);
		expect(lost[0].reason).toBeInstanceOf(ConflictError);
		expect(await scalar(db, sql`select count(*) from users`)).toBe(1);
		expect(await scalar(db, sql`select count(*) from companies`)).toBe(1);
		expect(await scalar(db, sql`select count(*) from company_groups`)).toBe(1);
	});

	it('is not needed afterwards, and a later attempt is refused', async () => {
		expect(await needsSetup(db)).toBe(false);
		await expect(setupFirstAdmin(db, form({ username: 'third', companyCode: 'CCC' }), 'en')).rejects.toBeInstanceOf(ConflictError);
		expect(await scalar(db, sql`select count(*) from users`)).toBe(1);
	});

	it('makes the winner an administrator of the new company who can sign in', async () => {
		const [u] = await query<{ id: number; username: string }>(db, sql`select id, username from users`);
		const actor = await loadActor(db, Number(u.id));
		expect(actor?.roles).toEqual(['admin']);
		expect(actor?.permissions.size).toBe(PERMISSIONS.length);
		expect(actor?.companyIds).toHaveLength(1);
		expect(actor?.homeCompanyId).toBe(actor?.companyIds[0]);
		const r = await login(db, sessionPolicy(72, 30), { username: u.username, password: 'correct horse battery' }, { ip: null, userAgent: null, locale: 'en' });
		expect(r.user.id).toBe(Number(u.id));
	});

	it('records the setup in the event log', async () => {
		expect(await scalar(db, sql`select count(*) from events where type = 'setup.completed'`)).toBe(1);
	});
});
