import { schema, type Conn } from '../db';

export interface NewEvent {
	companyId: number | null;
	/** The room family it is pushed to (realtime/rooms.ts TOPIC_PERMISSION). */
	topic: string;
	entity: string;
	entityId: number;
	entityVersion: number;
	type: string;
	payload: Record<string, unknown>;
	actorId: number | null;
	/** Whose record it is, for 'own'-scoped readers (e.g. the order's sales rep). */
	ownerId?: number | null;
}

/** Appends an event inside the caller's transaction: it commits with the change or not at all. */
export async function appendEvent(tx: Conn, event: NewEvent): Promise<number> {
	const [row] = await tx.insert(schema.events).values(event).returning({ id: schema.events.id });
	return row.id;
}
