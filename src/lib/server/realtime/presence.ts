import { eq } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { schema, type Db } from '../db';
import { assertInScope, authorize, type Actor } from '../authz';
import type { Permission } from '../../domain/permissions';

/** The records whose detail pages show who else is looking and who is editing. */
const ENTITIES = {
	order: { table: schema.orders, owner: schema.orders.salesRepId, permission: 'orders.read' },
	work_order: { table: schema.workOrders, owner: null, permission: 'production.read' },
	installation_job: { table: schema.installationJobs, owner: null, permission: 'installation.read' },
	service_ticket: { table: schema.serviceTickets, owner: null, permission: 'service.read' },
	customer: { table: schema.customers, owner: schema.customers.ownerId, permission: 'customers.read' }
} satisfies Record<string, { table: PgTable & { id: PgColumn; companyId: PgColumn }; owner: PgColumn | null; permission: Permission }>;

export type PresenceEntity = keyof typeof ENTITIES;
export const PRESENCE_ENTITIES = Object.keys(ENTITIES) as [PresenceEntity, ...PresenceEntity[]];

export const presenceRoom = (entity: PresenceEntity, id: number) => `p:${entity}:${id}`;

/** Only someone who may open the record may appear on it or see who else is there. */
export async function assertMayWatch(db: Db, actor: Actor, entity: PresenceEntity, id: number): Promise<void> {
	const { table, owner, permission } = ENTITIES[entity];
	authorize(actor, permission as Permission);
	const [row] = await db
		.select({ companyId: table.companyId, ownerId: owner ?? table.companyId })
		.from(table as PgTable)
		.where(eq(table.id, id));
	assertInScope(actor, row as { companyId: number } | undefined, owner && row ? (row.ownerId as number | null) : undefined);
}

export interface Viewer {
	userId: number;
	name: string;
	editing: boolean;
}

/** One entry per user, however many tabs they have open; editing if any of them is. */
export function viewersOf(sockets: { data: { actor?: { id: number; displayName: string }; editing?: string[] } }[], room: string): Viewer[] {
	const byUser = new Map<number, Viewer>();
	for (const { data } of sockets) {
		if (!data.actor) continue;
		const editing = data.editing?.includes(room) ?? false;
		const seen = byUser.get(data.actor.id);
		if (seen) seen.editing ||= editing;
		else byUser.set(data.actor.id, { userId: data.actor.id, name: data.actor.displayName, editing });
	}
	return [...byUser.values()].sort((a, b) => a.name.localeCompare(b.name));
}
