import { sql } from 'drizzle-orm';
import { rows, type Db } from '../db';
import type { EventRow } from '../events/append';
import type { Actor } from '../authz';
import { TOPIC_PERMISSION } from './rooms';

/** More missed events than this and the client reloads its data instead. */
export const CATCHUP_LIMIT = 1000;

export type Catchup = { events: EventRow[]; cursor: string } | { reset: true };

/** The cursor a client starts from: every transaction below it has finished. */
export async function currentCursor(db: Db): Promise<string> {
	const [row] = await rows<{ x: string }>(db, sql`select pg_snapshot_xmin(pg_current_snapshot())::text as x`);
	return String(row.x);
}

/**
 * Every committed event the actor may see whose transaction id is at or above `since`.
 * Sequence ids commit out of order, so the cursor is a transaction id instead: the new cursor
 * is the oldest transaction still running when we looked, taken before the read, so an event
 * that commits late is returned by the next catch-up, never skipped. Clients ignore events
 * they already applied (same id or an older version).
 */
export async function catchup(db: Db, actor: Actor, since: string): Promise<Catchup> {
	const topics = Object.entries(TOPIC_PERMISSION)
		.filter(([, p]) => actor.permissions.has(p))
		.map(([t]) => t);
	const cursor = await currentCursor(db);
	if (actor.companyIds.length === 0 || topics.length === 0) return { events: [], cursor };
	const found = await rows<Record<string, unknown>>(
		db,
		sql`select id, company_id, topic, entity, entity_id, entity_version, type, payload, actor_id, owner_id, tx_id::text as tx_id, at
			from events
			where tx_id >= ${since}::xid8
				and company_id in ${sql.raw(`(${actor.companyIds.map(Number).join(',')})`)}
				and topic in ${topics}
				${actor.scope === 'own' ? sql`and owner_id = ${actor.id}` : sql``}
			order by id
			limit ${CATCHUP_LIMIT + 1}`
	);
	if (found.length > CATCHUP_LIMIT) return { reset: true };
	const events = found.map((r): EventRow => ({
		id: Number(r.id),
		companyId: r.company_id === null ? null : Number(r.company_id),
		topic: String(r.topic),
		entity: String(r.entity),
		entityId: Number(r.entity_id),
		entityVersion: Number(r.entity_version),
		type: String(r.type),
		payload: r.payload,
		actorId: r.actor_id === null ? null : Number(r.actor_id),
		ownerId: r.owner_id === null ? null : Number(r.owner_id),
		txId: String(r.tx_id),
		at: new Date(r.at as string)
	}));
	return { events, cursor };
}
