import { z } from 'zod';
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema } from '../db';
import { authorize, type Actor } from '../authz';
import { parseId, parseInput } from '../validate';
import { NotFoundError, ValidationError } from '../errors';
import type { Ctx } from './context';

/**
 * An approver's substitutes: "while I am away from … to …, X decides my steps". The approval
 * commands honour a delegation only inside its window (domain/approval-policy.ts
 * entitlementFor), and record decisions "on behalf of" the absent approver.
 */

const { approvalDelegations, users, userRoles, roles, userCompanyGrants } = schema;

const delegationInput = (locale: Actor['locale']) =>
	z
		.object({
			toUserId: z.coerce.number().int().min(1).max(2_147_483_647),
			/** One of my roles, or empty for all of them. */
			roleId: z.preprocess(
				(v) => (v === '' || v === null ? undefined : v),
				z.coerce.number().int().min(1).optional()
			),
			startsAt: z.coerce.date(),
			endsAt: z.coerce.date()
		})
		.refine((d) => d.endsAt > d.startsAt, { path: ['endsAt'], message: m.delegation_window({}, { locale }) })
		.refine((d) => d.endsAt.getTime() - d.startsAt.getTime() <= 366 * 86_400_000, {
			path: ['endsAt'],
			message: m.delegation_too_long({}, { locale })
		})
		.refine((d) => d.endsAt > new Date(), { path: ['endsAt'], message: m.delegation_past({}, { locale }) });

/** My delegations that have not ended, and who I may choose as a substitute. */
export async function myDelegations({ db, actor }: Ctx) {
	const a = authorize(actor, 'approvals.decide');
	const [mine, candidates, myRoles] = await Promise.all([
		db
			.select({
				id: approvalDelegations.id,
				toUserId: approvalDelegations.toUserId,
				toName: users.displayName,
				roleId: approvalDelegations.roleId,
				startsAt: approvalDelegations.startsAt,
				endsAt: approvalDelegations.endsAt
			})
			.from(approvalDelegations)
			.innerJoin(users, eq(users.id, approvalDelegations.toUserId))
			.where(and(eq(approvalDelegations.fromUserId, a.id), gt(approvalDelegations.endsAt, sql`now()`)))
			.orderBy(asc(approvalDelegations.startsAt)),
		substitutes(db, a),
		db
			.select({ id: roles.id, name: roles.name, nameEn: roles.nameEn })
			.from(roles)
			.innerJoin(userRoles, eq(userRoles.roleId, roles.id))
			.where(and(eq(userRoles.userId, a.id), sql`'approvals.decide' = any(${roles.permissions})`))
	]);
	return { mine, candidates, roles: myRoles };
}

/** Active users other than me who may decide approvals and share one of my companies. */
async function substitutes(db: Ctx['db'], a: Actor) {
	return db
		.selectDistinct({ id: users.id, name: users.displayName })
		.from(users)
		.innerJoin(userRoles, eq(userRoles.userId, users.id))
		.innerJoin(roles, eq(roles.id, userRoles.roleId))
		.innerJoin(userCompanyGrants, eq(userCompanyGrants.userId, users.id))
		.where(
			and(
				sql`${users.id} <> ${a.id}`,
				eq(users.active, true),
				sql`'approvals.decide' = any(${roles.permissions})`,
				inArray(userCompanyGrants.companyId, a.companyIds.length ? [...a.companyIds] : [-1])
			)
		)
		.orderBy(asc(users.displayName));
}

export async function createDelegation({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'approvals.decide');
	const d = parseInput(delegationInput(a.locale), input, a.locale);
	const { candidates, roles: mine } = await myDelegations({ db, actor });
	const refuse = (path: string, message: string) =>
		new ValidationError(`${path}: ${message}`, [{ path, message }]);
	if (!candidates.some((c) => c.id === d.toUserId))
		throw refuse('toUserId', m.delegation_bad_substitute({}, { locale: a.locale }));
	if (d.roleId !== undefined && !mine.some((r) => r.id === d.roleId))
		throw refuse('roleId', m.delegation_bad_role({}, { locale: a.locale }));
	const [row] = await db
		.insert(approvalDelegations)
		.values({
			fromUserId: a.id,
			toUserId: d.toUserId,
			roleId: d.roleId ?? null,
			startsAt: d.startsAt,
			endsAt: d.endsAt
		})
		.returning({ id: approvalDelegations.id });
	return row;
}

/** Ends one of my delegations now (a past one is kept as it was, for the record). */
export async function endDelegation({ db, actor }: Ctx, rawId: unknown) {
	const a = authorize(actor, 'approvals.decide');
	const id = parseId(rawId, a.locale);
	const [row] = await db
		.update(approvalDelegations)
		.set({
			endsAt: sql`greatest(${approvalDelegations.startsAt} + interval '1 second', now())`,
			updatedAt: sql`now()`
		})
		.where(
			and(
				eq(approvalDelegations.id, id),
				eq(approvalDelegations.fromUserId, a.id),
				gt(approvalDelegations.endsAt, sql`now()`)
			)
		)
		.returning({ id: approvalDelegations.id });
	if (!row) throw new NotFoundError();
	return row;
}
