import type { EventRow } from '../events/append';
import { io } from './hub';
import { companyRoom, ownerRoom } from './rooms';

/** An event as it goes over the wire. */
export interface WireEvent {
	id: number;
	companyId: number | null;
	topic: string;
	entity: string;
	entityId: number;
	version: number;
	type: string;
	payload: unknown;
	actorId: number | null;
	at: string;
}

export function toWire(e: EventRow): WireEvent {
	return {
		id: e.id,
		companyId: e.companyId,
		topic: e.topic,
		entity: e.entity,
		entityId: e.entityId,
		version: e.entityVersion,
		type: e.type,
		payload: e.payload,
		actorId: e.actorId,
		at: new Date(e.at).toISOString()
	};
}

/**
 * Pushes committed events to the sockets allowed to hear them: the company's room for the
 * topic, and the owner's room for 'own'-scoped users. Events of no company (account audit)
 * go nowhere. Called only after the transaction that wrote them has committed.
 */
export function publish(events: readonly EventRow[]): void {
	const server = io();
	if (!server) return;
	for (const e of events) {
		if (e.companyId === null) continue;
		const rooms = [companyRoom(e.companyId, e.topic)];
		if (e.ownerId !== null) rooms.push(ownerRoom(e.companyId, e.topic, e.ownerId));
		server.to(rooms).emit('event', toWire(e));
	}
}
