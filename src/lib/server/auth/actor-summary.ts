import type { Actor } from '../authz';

/** What the client may know about the signed-in user (never the session or hashes). */
export function actorSummary(a: Actor) {
	return {
		id: a.id,
		username: a.username,
		displayName: a.displayName,
		locale: a.locale,
		roles: [...a.roles],
		permissions: [...a.permissions].sort(),
		scope: a.scope,
		companyIds: [...a.companyIds],
		homeCompanyId: a.homeCompanyId
	};
}
export type ActorSummary = ReturnType<typeof actorSummary>;
