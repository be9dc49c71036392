import type { Server as HttpServer } from 'node:http';
import type { Realtime } from './server';
import { sessionRoom, userRoom } from './rooms';

/**
 * The one realtime server of the process, reached from the production entry (server.js),
 * the Vite dev plugin and the services, through globalThis: module reloading in development
 * must not make a second one.
 */
const HTTP = Symbol.for('elevator-ops.httpServer');
const REALTIME = Symbol.for('elevator-ops.realtime');
type Holder = { [HTTP]?: HttpServer; [REALTIME]?: Realtime };
const holder = globalThis as Holder;

export function httpServer(): HttpServer | undefined {
	return holder[HTTP];
}
export function realtime(): Realtime | undefined {
	return holder[REALTIME];
}
export function setRealtime(value: Realtime | undefined): void {
	holder[REALTIME] = value;
}

/** A signed-out session's sockets close at once, on every node. */
export function disconnectSession(sessionId: string): void {
	realtime()?.io.in(sessionRoom(sessionId)).disconnectSockets(true);
}

/** Sign-out everywhere, a disabled user or changed grants: every socket of the user closes. */
export function disconnectUser(userId: number): void {
	realtime()?.io.in(userRoom(userId)).disconnectSockets(true);
}
