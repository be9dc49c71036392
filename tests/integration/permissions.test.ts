import { describe, expect, it, beforeAll } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query } from './db';
import type { Actor } from '../../src/lib/server/authz';
import type { Ctx } from '../../src/lib/server/services/context';
import type { Permission } from '../../src/lib/domain/permissions';
import type { Db } from '../../src/lib/server/db';
import { listOrders, getOrder } from '../../src/lib/server/services/orders';
import { listApprovals } from '../../src/lib/server/services/approvals';
import { listWorkOrders } from '../../src/lib/server/services/production';
import { listInstallationJobs } from '../../src/lib/server/services/installation';
import { listServiceTickets } from '../../src/lib/server/services/service';
import { listStockItems } from '../../src/lib/server/services/stock';
import { listCustomers } from '../../src/lib/server/services/customers';
import { homeSummary } from '../../src/lib/server/services/home';
import {
	issueApiToken,
	listApiTokens,
	listSessions,
	logoutEverywhere,
	revokeToken,
	setLocale
} from '../../src/lib/server/services/auth';
import { ForbiddenError, UnauthenticatedError } from '../../src/lib/server/errors';

/** Each permission-checked service; `input` builds valid input, `bad` is input it would refuse. */
const GUARDED: { name: string; permission: Permission; fn: (ctx: Ctx, input: unknown) => Promise<unknown>; input: (orderId: number) => unknown; bad: unknown }[] = [
	{ name: 'listOrders', permission: 'orders.read', fn: listOrders, input: () => ({}), bad: { pageSize: '9999' } },
	{ name: 'getOrder', permission: 'orders.read', fn: getOrder, input: (id) => id, bad: 'not-an-id' },
	{ name: 'listApprovals', permission: 'approvals.read', fn: listApprovals, input: () => ({}), bad: { sort: 'nope' } },
	{ name: 'listWorkOrders', permission: 'production.read', fn: listWorkOrders, input: () => ({}), bad: { dir: 'up' } },
	{ name: 'listInstallationJobs', permission: 'installation.read', fn: listInstallationJobs, input: () => ({}), bad: { status: 'x' } },
	{ name: 'listServiceTickets', permission: 'service.read', fn: listServiceTickets, input: () => ({}), bad: { page: '0' } },
	{ name: 'listStockItems', permission: 'stock.read', fn: listStockItems, input: () => ({}), bad: { extra: '1' } },
	{ name: 'listCustomers', permission: 'customers.read', fn: listCustomers, input: () => ({}), bad: { companyId: '-1' } }
];

describe.each(drivers)('permissions (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let admin: Actor;
	let orderId: number;
	let users: Actor[];

	beforeAll(async () => {
		db = t.db;
		admin = await actorOf(db, 'admin');
		// An order every company-wide user can see: in admin's home company, owned by nobody special.
		const [o] = await query<{ id: number }>(db, sql`select id from orders where company_id = ${admin.homeCompanyId} order by id limit 1`);
		orderId = Number(o.id);
		const names = (await query<{ username: string }>(db, sql`select username from users where active order by username`)).map((r) => r.username);
		users = await Promise.all(names.map((n) => actorOf(db, n)));
	});

	describe.each(GUARDED)('$name', ({ permission, fn, input, bad }) => {
		const call = (ctx: Ctx, id: number) => fn(ctx, input(id));
		it('asks a signed-out caller to sign in', async () => {
			await expect(call({ db, actor: null }, orderId)).rejects.toBeInstanceOf(UnauthenticatedError);
		});

		it('refuses a signed-in user with no permissions at all', async () => {
			const bare: Actor = { ...admin, permissions: new Set(), roles: [] };
			await expect(call({ db, actor: bare }, orderId)).rejects.toBeInstanceOf(ForbiddenError);
		});

		it(`refuses exactly the demo users whose roles lack ${permission}`, async () => {
			let refused = 0;
			for (const actor of users) {
				const username = actor.username;
				if (actor.permissions.has(permission)) {
					// Allowed users may still not see this one order ('own' scope): that is a 404, not a 403.
					const r = await call({ db, actor }, orderId).catch((e) => e);
					expect(r, `${username} may use it`).not.toBeInstanceOf(ForbiddenError);
					expect(r, `${username} may use it`).not.toBeInstanceOf(UnauthenticatedError);
				} else {
					await expect(call({ db, actor }, orderId), `${username} may not`).rejects.toBeInstanceOf(ForbiddenError);
					refused++;
				}
			}
			expect(refused, 'some demo user lacks it').toBeGreaterThan(0);
		});

		it('refuses before looking at the input, so bad input tells an outsider nothing', async () => {
			const bare: Actor = { ...admin, permissions: new Set(), roles: [] };
			await expect(fn({ db, actor: null }, bad)).rejects.toBeInstanceOf(UnauthenticatedError);
			await expect(fn({ db, actor: bare }, bad)).rejects.toBeInstanceOf(ForbiddenError);
		});
	});

	it('the shop-floor, installer and storekeeper roles cannot read orders or customers as the brief says', async () => {
		const shopfloor = await actorOf(db, 'shopfloor1');
		const installer = await actorOf(db, 'installer1');
		const storekeeper = await actorOf(db, 'storekeeper1');
		await expect(listOrders({ db, actor: shopfloor }, {})).rejects.toBeInstanceOf(ForbiddenError);
		await expect(listOrders({ db, actor: installer }, {})).rejects.toBeInstanceOf(ForbiddenError);
		await expect(listCustomers({ db, actor: storekeeper }, {})).rejects.toBeInstanceOf(ForbiddenError);
		await expect(getOrder({ db, actor: shopfloor }, orderId)).rejects.toBeInstanceOf(ForbiddenError);
	});

	describe('home summary', () => {
		it('asks a signed-out caller to sign in', async () => {
			await expect(homeSummary({ db, actor: null })).rejects.toBeInstanceOf(UnauthenticatedError);
		});

		it('has a card only for the areas the user may read', async () => {
			const bare: Actor = { ...admin, permissions: new Set(), roles: [] };
			expect(await homeSummary({ db, actor: bare })).toEqual({});
			const shopfloor = await actorOf(db, 'shopfloor1');
			expect(Object.keys(await homeSummary({ db, actor: shopfloor }))).toEqual(['production']);
			const everything = await homeSummary({ db, actor: admin });
			expect(Object.keys(everything).sort()).toEqual(['approvals', 'installation', 'orders', 'production', 'service', 'stock']);
		});
	});

	describe('account services', () => {
		it.each([
			['logoutEverywhere', () => logoutEverywhere(db, null)],
			['setLocale', () => setLocale(db, null, 'en')],
			['listSessions', () => listSessions(db, null)],
			['issueApiToken', () => issueApiToken(db, null, { name: 'x' })],
			['listApiTokens', () => listApiTokens(db, null)],
			['revokeToken', () => revokeToken(db, null, 1)]
		])('%s asks a signed-out caller to sign in', async (_name, call) => {
			await expect(call()).rejects.toBeInstanceOf(UnauthenticatedError);
		});
	});
});
