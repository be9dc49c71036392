import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { schema } from '../db';
import { authorize } from '../authz';
import type { Ctx } from './context';

const { users, userRoles, roles, userCompanyGrants } = schema;

/**
 * The choices of the orders list's sales-rep filter: users granted one of the actor's companies
 * who hold a role that may write orders (whoever enters an order becomes its rep). An
 * 'own'-scoped actor sees only their own orders, so they get no choices at all.
 */
export async function salesRepOptions({ db, actor }: Ctx): Promise<{ id: number; name: string }[]> {
	const a = authorize(actor, 'orders.read');
	if (a.scope === 'own' || a.companyIds.length === 0) return [];
	return db
		.selectDistinct({ id: users.id, name: users.displayName })
		.from(users)
		.innerJoin(userCompanyGrants, eq(userCompanyGrants.userId, users.id))
		.innerJoin(userRoles, eq(userRoles.userId, users.id))
		.innerJoin(roles, eq(roles.id, userRoles.roleId))
		.where(
			and(
				inArray(userCompanyGrants.companyId, [...a.companyIds]),
				sql`'orders.write' = any(${roles.permissions})`
			)
		)
		.orderBy(asc(users.displayName), asc(users.id));
}
