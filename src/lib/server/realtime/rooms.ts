import { sql, type SQL } from 'drizzle-orm';
import type { Permission } from '../../domain/permissions';
import type { Actor } from '../authz';

/** The topics events are published under, and the permission that lets a socket hear each. */
export const TOPIC_PERMISSION = {
	orders: 'orders.read',
	approvals: 'approvals.read',
	production: 'production.read',
	installation: 'installation.read',
	service: 'service.read',
	stock: 'stock.read',
	customers: 'customers.read',
	admin: 'admin.users'
} as const satisfies Record<string, Permission>;
export type Topic = keyof typeof TOPIC_PERMISSION;

export const companyRoom = (companyId: number, topic: string) => `c:${companyId}:${topic}`;
/** Users whose scope is 'own' (sales reps) hear only about their own records. */
export const ownerRoom = (companyId: number, topic: string, ownerId: number) =>
	`o:${companyId}:${topic}:${ownerId}`;
export const userRoom = (userId: number) => `u:${userId}`;
export const sessionRoom = (sessionId: string) => `s:${sessionId}`;

/** The topics the actor's permissions let them hear. */
function topicsFor(actor: Actor): string[] {
	return Object.entries(TOPIC_PERMISSION)
		.filter(([, permission]) => actor.permissions.has(permission))
		.map(([topic]) => topic);
}

/** The rooms a user's sockets join. Only the server puts sockets in rooms, from this list. */
export function roomsFor(actor: Actor): string[] {
	const rooms = [userRoom(actor.id)];
	for (const topic of topicsFor(actor)) {
		for (const companyId of actor.companyIds)
			rooms.push(
				actor.scope === 'own' ? ownerRoom(companyId, topic, actor.id) : companyRoom(companyId, topic)
			);
	}
	return rooms;
}

/** The same rule as roomsFor, as a filter on the event table for a catch-up. */
export function eventScope(actor: Actor): SQL {
	const topics = topicsFor(actor);
	if (actor.companyIds.length === 0 || topics.length === 0) return sql`false`;
	return sql`company_id in ${actor.companyIds} and topic in ${topics}${
		actor.scope === 'own' ? sql` and owner_id = ${actor.id}` : sql``
	}`;
}
