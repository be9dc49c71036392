import { createHash } from 'node:crypto';
import type { Server } from 'socket.io';
import { companyRoom, ownerRoom } from './rooms';
import { toWire, type Batch, type StreamEvent } from './stream';

/** The rooms an event is heard in: its company's topic room, and its owner's for 'own' readers. */
export function eventRooms(e: StreamEvent): string[] {
	if (e.companyId === null) return []; // account audit events go to no one
	const rooms = [companyRoom(e.companyId, e.topic)];
	if (e.ownerId !== null) rooms.push(ownerRoom(e.companyId, e.topic, e.ownerId));
	return rooms;
}

/**
 * Pushes each batch from the event tail to this process's sockets. Sockets whose users hear
 * the same rooms form a group; a batch is filtered once per group and sent as one message
 * with the cursor after it, so a client that applied it may resume from there. Encoding once
 * per group, not per socket, is what keeps a 2,000-screen fan-out cheap.
 */
export class Fanout {
	private readonly groups = new Map<string, { rooms: Set<string>; sockets: number }>();
	private lastHeartbeat: string | null = null;

	constructor(private readonly io: Server) {}

	/** The group room for a socket hearing `rooms`; the caller joins it. */
	enter(rooms: readonly string[]): string {
		const sorted = [...rooms].sort();
		const name = `g:${createHash('sha1').update(sorted.join('\n')).digest('base64url').slice(0, 16)}`;
		const group = this.groups.get(name);
		if (group) group.sockets++;
		else this.groups.set(name, { rooms: new Set(sorted), sockets: 1 });
		return name;
	}

	leave(name: string): void {
		const group = this.groups.get(name);
		if (group && --group.sockets <= 0) this.groups.delete(name);
	}

	deliver(batch: Batch): void {
		const routed = batch.events.map((e) => ({ rooms: eventRooms(e), wire: toWire(e) }));
		for (const [name, group] of this.groups) {
			const events = routed.filter((r) => r.rooms.some((room) => group.rooms.has(room))).map((r) => r.wire);
			if (events.length) this.io.local.to(name).emit('events', { events, cursor: batch.cursor });
		}
	}

	/** Sockets that heard nothing lately still move their cursor on, so a catch-up stays short. */
	heartbeat(cursor: string | null): void {
		if (cursor === null || cursor === this.lastHeartbeat) return;
		this.lastHeartbeat = cursor;
		this.io.local.emit('cursor', cursor);
	}
}
