import { describe, expect, it } from 'vitest';
import { PgDialect } from 'drizzle-orm/pg-core';
import { schema } from '../../src/lib/server/db';
import { assertInScope, authorize, can, scopeFilter, type Actor } from '../../src/lib/server/authz';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../../src/lib/server/errors';
import type { Permission } from '../../src/lib/domain/permissions';

const dialect = new PgDialect();
const render = (s: ReturnType<typeof scopeFilter>) => dialect.sqlToQuery(s);

function actor(over: Partial<Actor> = {}): Actor {
	return {
		id: 7,
		username: 'u',
		displayName: 'U',
		locale: 'en',
		permissions: new Set<Permission>(['orders.read']),
		scope: 'company',
		roles: ['manager'],
		companyIds: [2],
		homeCompanyId: 2,
		...over
	};
}

describe('scopeFilter', () => {
	it('is SQL false for a user with no company grant', () => {
		const q = render(scopeFilter(actor({ companyIds: [] }), schema.orders.companyId, schema.orders.salesRepId));
		expect(q.sql).toBe('false');
		expect(q.params).toEqual([]);
	});

	it('is false for an own-scoped user with no grant too', () => {
		expect(render(scopeFilter(actor({ companyIds: [], scope: 'own' }), schema.orders.companyId)).sql).toBe('false');
	});

	it('limits rows to the granted companies', () => {
		const q = render(scopeFilter(actor({ companyIds: [1, 3] }), schema.orders.companyId, schema.orders.salesRepId));
		expect(q.sql).toBe('"orders"."company_id" in ($1, $2)');
		expect(q.params).toEqual([1, 3]);
	});

	it('also limits an own-scoped user to their own rows', () => {
		const q = render(scopeFilter(actor({ scope: 'own', companyIds: [1] }), schema.orders.companyId, schema.orders.salesRepId));
		expect(q.sql).toBe('("orders"."company_id" in ($1) and "orders"."sales_rep_id" = $2)');
		expect(q.params).toEqual([1, 7]);
	});
});

describe('authorize and assertInScope', () => {
	it('asks a missing actor to sign in and refuses one without the permission', () => {
		expect(() => authorize(null, 'orders.read')).toThrow(UnauthenticatedError);
		expect(() => authorize(actor(), 'stock.read')).toThrow(ForbiddenError);
		expect(authorize(actor(), 'orders.read').id).toBe(7);
		expect(can(undefined, 'orders.read')).toBe(false);
	});

	it('reports rows of other companies and other reps as not found', () => {
		expect(() => assertInScope(actor(), { companyId: 1 })).toThrow(NotFoundError);
		expect(() => assertInScope(actor(), { companyId: null })).toThrow(NotFoundError);
		expect(() => assertInScope(actor(), null)).toThrow(NotFoundError);
		expect(() => assertInScope(actor({ scope: 'own' }), { companyId: 2 }, 8)).toThrow(NotFoundError);
		expect(assertInScope(actor({ scope: 'own' }), { companyId: 2 }, 7)).toEqual({ companyId: 2 });
		expect(assertInScope(actor(), { companyId: 2 }, 8)).toEqual({ companyId: 2 });
	});
});
