import { inArray, eq, and, sql, type SQL, type Column } from 'drizzle-orm';
import type { DataScope, Permission } from '../../domain/permissions';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../errors';

/**
 * The one module that says who may do what (role permissions) and see which rows
 * (data scope: granted companies, and for 'own'-scoped users only their own records).
 * Lists, details, counts, search, exports, the API and socket rooms all filter through it.
 */
export interface Actor {
	id: number;
	username: string;
	displayName: string;
	locale: 'zh-CN' | 'en';
	permissions: ReadonlySet<Permission>;
	scope: DataScope;
	roles: readonly string[];
	companyIds: readonly number[];
	homeCompanyId: number | null;
}

export function can(actor: Actor | null | undefined, permission: Permission): boolean {
	return !!actor && actor.permissions.has(permission);
}

/** Throws 401 for no actor, 403 for an actor without the permission. */
export function authorize(actor: Actor | null | undefined, permission: Permission): Actor {
	if (!actor) throw new UnauthenticatedError();
	if (!actor.permissions.has(permission)) throw new ForbiddenError();
	return actor;
}

export function canSeeCompany(actor: Actor, companyId: number | null): boolean {
	return companyId !== null && actor.companyIds.includes(companyId);
}

/**
 * The shared row filter: `company` in the actor's grants, and, for 'own'-scoped actors,
 * `owner` equal to the actor. A user with no grant sees nothing.
 */
export function scopeFilter(actor: Actor, company: Column, owner?: Column): SQL {
	if (actor.companyIds.length === 0) return sql`false`;
	const inCompanies = inArray(company, [...actor.companyIds]);
	if (actor.scope === 'own' && owner) return and(inCompanies, eq(owner, actor.id))!;
	return inCompanies;
}

/** For a row already loaded: out of scope reads as not found, so ids of others leak nothing. */
export function assertInScope<T extends { companyId: number | null }>(
	actor: Actor,
	row: T | undefined | null,
	ownerId?: number | null
): T {
	if (!row || !canSeeCompany(actor, row.companyId)) throw new NotFoundError();
	if (actor.scope === 'own' && ownerId !== undefined && ownerId !== actor.id) throw new NotFoundError();
	return row;
}
