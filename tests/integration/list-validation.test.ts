import { describe, expect, it, beforeAll } from 'vitest';
import { drivers, useDatabase, actorOf } from './db';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';
import type { Ctx } from '../../src/lib/server/services/context';
import { listOrders, getOrder } from '../../src/lib/server/services/orders';
import { listApprovals } from '../../src/lib/server/services/approvals';
import { listWorkOrders } from '../../src/lib/server/services/production';
import { listInstallationJobs } from '../../src/lib/server/services/installation';
import { listServiceTickets } from '../../src/lib/server/services/service';
import { listStockItems } from '../../src/lib/server/services/stock';
import { listCustomers } from '../../src/lib/server/services/customers';
import { setLocale } from '../../src/lib/server/services/auth';
import { ValidationError } from '../../src/lib/server/errors';

const LISTS: [string, (ctx: Ctx, input: unknown) => Promise<{ total: number }>][] = [
	['orders', listOrders],
	['approvals', listApprovals],
	['work orders', listWorkOrders],
	['installation jobs', listInstallationJobs],
	['service tickets', listServiceTickets],
	['stock items', listStockItems],
	['customers', listCustomers]
];

const CJK = /[\u4e00-\u9fff]/;

async function issues(p: Promise<unknown>): Promise<{ path: string; message: string }[]> {
	const e = await p.then(
		() => null,
		(e: unknown) => e
	);
	expect(e).toBeInstanceOf(ValidationError);
	return (e as ValidationError).issues;
}

describe.each(drivers)('list input validation (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let en: Actor;
	let zh: Actor;

	beforeAll(async () => {
		db = t.db;
		en = await actorOf(db, 'admin', { locale: 'en' });
		zh = await actorOf(db, 'admin', { locale: 'zh-CN' });
	});

	describe.each(LISTS)('%s', (_name, list) => {
		it.each([
			['sort', { sort: 'password_hash' }],
			['sort', { sort: 'id; drop table users' }],
			['dir', { dir: 'sideways' }],
			['pageSize', { pageSize: '201' }],
			['pageSize', { pageSize: '0' }],
			['pageSize', { pageSize: 'all' }],
			['page', { page: '-3' }],
			['page', { page: '1.5' }],
			['companyId', { companyId: 'abc' }],
			['q', { q: 'x'.repeat(101) }]
		])('refuses a bad %s, naming it', async (field, input) => {
			const found = await issues(list({ db, actor: en }, input));
			expect(found.map((i) => i.path)).toContain(field);
			for (const i of found) expect(i.message).not.toMatch(CJK);
		});

		it('names every bad field at once', async () => {
			const found = await issues(list({ db, actor: en }, { sort: 'nope', dir: 'nope', pageSize: '1000' }));
			expect(found.map((i) => i.path).sort()).toEqual(['dir', 'pageSize', 'sort']);
		});

		it('refuses a parameter it does not know', async () => {
			await issues(list({ db, actor: en }, { secret: '1' }));
		});

		it('words its messages in Chinese for a zh-CN user', async () => {
			const found = await issues(list({ db, actor: zh }, { sort: 'nope', pageSize: '1000' }));
			expect(found.length).toBe(2);
			for (const i of found) expect(i.message).toMatch(CJK);
		});

		it('accepts the empty values an emptied filter form sends', async () => {
			const r = await list({ db, actor: en }, { page: '', pageSize: '', sort: '', dir: '', q: '', companyId: '' });
			expect(r.total).toBeGreaterThan(0);
		});
	});

	it.each([
		['orders', listOrders, { status: 'lost' }],
		['work orders', listWorkOrders, { status: 'lost' }],
		['installation jobs', listInstallationJobs, { status: 'lost' }],
		['service tickets', listServiceTickets, { status: 'lost' }],
		['approvals', listApprovals, { status: 'lost' }]
	] as const)('refuses an unknown status for %s', async (_name, list, input) => {
		const found = await issues(list({ db, actor: zh }, input));
		expect(found.map((i) => i.path)).toEqual(['status']);
		expect(found[0].message).toMatch(CJK);
	});

	it.each([
		{ from: '2026-13-01' },
		{ to: '31/12/2026' },
		{ minAmount: '-1' },
		{ priority: 'whenever' },
		{ customerId: '0' }
	])('refuses the bad order filter %o', async (input) => {
		const found = await issues(listOrders({ db, actor: en }, input));
		expect(found.map((i) => i.path)).toEqual(Object.keys(input));
	});

	it.each(['0000-01-01', '0001-01-01', '9999-12-31'])('answers an order-date filter of %s without a database error', async (day) => {
		const r = await listOrders({ db, actor: en }, { from: day }).catch((e) => e);
		if (r instanceof Error) expect(r).toBeInstanceOf(ValidationError);
		else expect(r.total).toBeGreaterThanOrEqual(0);
	});

	it('answers a search with a NUL character without a database error', async () => {
		for (const [, list] of LISTS) {
			const r = await list({ db, actor: en }, { q: 'a\u0000b' }).catch((e) => e);
			if (r instanceof Error) expect(r).toBeInstanceOf(ValidationError);
			else expect(r.total).toBe(0);
		}
	});

	it.each(['abc', '0', '-5', '1.5', '2147483648', '', null])('refuses the order id %j as invalid', async (id) => {
		await issues(getOrder({ db, actor: en }, id));
	});

	it('refuses an unknown language, in the user’s own language', async () => {
		const zhIssues = await issues(setLocale(db, zh, 'fr'));
		expect(zhIssues[0].message).toMatch(CJK);
		const enIssues = await issues(setLocale(db, en, 'fr'));
		expect(enIssues[0].message).not.toMatch(CJK);
	});
});
