import { sql, type SQL } from 'drizzle-orm';
import { rows, type Conn } from '../db';

/**
 * Reading the event table as a stream. Event ids come from a sequence and commit out of order,
 * so a position in the stream is not an id but a PostgreSQL snapshot ("xmin:xmax:in-flight"):
 * the events after a cursor are those whose transaction is not visible in it. The new cursor
 * is the snapshot of the same statement that read the events, so an event that commits late
 * is read next time and none is read twice.
 */

/** An event as it goes over the wire to browsers. */
export interface WireEvent {
	id: number;
	companyId: number | null;
	topic: string;
	entity: string;
	entityId: number;
	version: number;
	type: string;
	payload: Record<string, unknown>;
	actorId: number | null;
	at: string;
}

/** Inside the server an event also names its owner, for 'own'-scoped readers' rooms. */
export interface StreamEvent extends WireEvent {
	ownerId: number | null;
}

export interface Batch {
	events: StreamEvent[];
	cursor: string;
}

const CURSOR = /^\d{1,20}:\d{1,20}:(\d{1,20}(,\d{1,20}){0,2000})?$/;

/** A cursor as a client may send it back; anything else is refused before reaching SQL. */
export function isCursor(value: unknown): value is string {
	return typeof value === 'string' && value.length <= 45_000 && CURSOR.test(value);
}

export async function currentCursor(db: Conn): Promise<string> {
	const [row] = await rows<{ cursor: string }>(db, sql`select pg_current_snapshot()::text as cursor`);
	return row.cursor;
}

export function toWire(e: StreamEvent): WireEvent {
	const { ownerId: _, ...wire } = e;
	return wire;
}

/** The statement behind eventsSince: one row of the cursor and the events as a JSON array. */
export function eventsSinceQuery(since: string, where: SQL = sql`true`, limit?: number): SQL {
	return sql`select (select pg_current_snapshot()::text) as cursor,
		(select coalesce(json_agg(x order by x."id"), '[]'::json) from (
			select id as "id", company_id as "companyId", topic, entity, entity_id as "entityId",
				entity_version as "version", type, payload, actor_id as "actorId", owner_id as "ownerId", at
			-- Not visible in the cursor: begun after it (from xmax on) or in flight then (its xip
			-- list). Two lookups in the tx_id index, never a scan of the table: with an OR of the
			-- two the planner walks the whole primary key instead.
			from (
				select * from events where tx_id >= pg_snapshot_xmax(${since}::pg_snapshot)
				union all
				select * from events where tx_id = any(array(select pg_snapshot_xip(${since}::pg_snapshot)))
			) events
			where not pg_visible_in_snapshot(tx_id, ${since}::pg_snapshot) and ${where}
			order by id
			${limit === undefined ? sql`` : sql`limit ${limit + 1}`}
		) x) as events`;
}

/**
 * The committed events after `since` that match `where`, in id order, and the cursor after
 * them. With a limit, `more` says that there were more than `limit` and the cursor must not
 * be used (the caller reloads instead).
 */
export async function eventsSince(
	db: Conn,
	since: string,
	where: SQL = sql`true`,
	limit?: number
): Promise<Batch & { more: boolean }> {
	const [row] = await rows<{ cursor: string; events: StreamEvent[] | string }>(db, eventsSinceQuery(since, where, limit));
	const events = (typeof row.events === 'string' ? JSON.parse(row.events) : row.events) as StreamEvent[];
	const more = limit !== undefined && events.length > limit;
	return { events: more ? events.slice(0, limit) : events, cursor: row.cursor, more };
}
