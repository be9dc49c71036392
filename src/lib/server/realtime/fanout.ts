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
 * Sockets per emit. Writing to a socket is a system call, ~10 µs on a busy machine: a batch to
 * 2,000 sockets in one go would hold the event loop for tens of milliseconds, and every request
 * waiting on the database with it. Between slices the loop serves them.
 */
const SLICE = 100;

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Pushes each batch from the event tail to this process's sockets. Sockets whose users hear
 * the same rooms form a group; a batch is filtered once per group and sent as one message
 * with the cursor after it, so a client that applied it may resume from there. Encoding once
 * per group, not per socket, is what keeps a 2,000-screen fan-out cheap. A group's sockets
 * sit in slices of at most SLICE (rooms `<group>.<n>`), sent one per turn of the event loop;
 * the tail reads again only once a batch is out, so under load batches grow instead of queueing.
 */
export class Fanout {
	private readonly groups = new Map<string, { rooms: Set<string>; slices: number[] }>();
	private lastHeartbeat: string | null = null;

	constructor(private readonly io: Server) {}

	/** The slice room for a socket hearing `rooms`; the caller joins it. */
	enter(rooms: readonly string[]): string {
		const sorted = [...rooms].sort();
		const name = `g:${createHash('sha1').update(sorted.join('\n')).digest('base64url').slice(0, 16)}`;
		let group = this.groups.get(name);
		if (!group) this.groups.set(name, (group = { rooms: new Set(sorted), slices: [] }));
		let n = group.slices.findIndex((count) => count < SLICE);
		if (n < 0) n = group.slices.push(0) - 1;
		group.slices[n]++;
		return `${name}.${n}`;
	}

	leave(slice: string): void {
		const dot = slice.lastIndexOf('.');
		const name = slice.slice(0, dot);
		const group = this.groups.get(name);
		if (!group) return;
		group.slices[Number(slice.slice(dot + 1))]--;
		while (group.slices.length && group.slices.at(-1)! <= 0) group.slices.pop();
		if (!group.slices.length) this.groups.delete(name);
	}

	async deliver(batch: Batch): Promise<void> {
		const routed = batch.events.map((e) => ({ rooms: eventRooms(e), wire: toWire(e) }));
		for (const [name, group] of this.groups) {
			const events = routed.filter((r) => r.rooms.some((room) => group.rooms.has(room))).map((r) => r.wire);
			if (!events.length) continue;
			const message = { events, cursor: batch.cursor };
			for (let n = 0; n < group.slices.length; n++) {
				if (group.slices[n] <= 0) continue;
				this.io.local.to(`${name}.${n}`).emit('events', message);
				await nextTurn();
			}
		}
	}

	/** Sockets that heard nothing lately still move their cursor on, so a catch-up stays short. */
	heartbeat(cursor: string | null): void {
		if (cursor === null || cursor === this.lastHeartbeat) return;
		this.lastHeartbeat = cursor;
		this.io.local.emit('cursor', cursor);
	}
}
