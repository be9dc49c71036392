import type { Server as HttpServer } from 'node:http';
import type { Server } from 'socket.io';
import { sessionRoom, userRoom } from './rooms';

/**
 * The one Socket.IO server of the process, reached from the production entry (server.js),
 * the Vite dev plugin and the services, through globalThis: module reloading in development
 * must not make a second one.
 */
const HTTP = Symbol.for('elevator-ops.httpServer');
const IO = Symbol.for('elevator-ops.io');
type Holder = { [HTTP]?: HttpServer; [IO]?: Server };
const holder = globalThis as Holder;

export function httpServer(): HttpServer | undefined {
	return holder[HTTP];
}
export function io(): Server | undefined {
	return holder[IO];
}
export function setIo(server: Server): void {
	holder[IO] = server;
}

/** A signed-out session's sockets close at once. */
export function disconnectSession(sessionId: string): void {
	io()?.in(sessionRoom(sessionId)).disconnectSockets(true);
}

/** Sign-out everywhere, a disabled user or changed grants: every socket of the user closes. */
export function disconnectUser(userId: number): void {
	io()?.in(userRoom(userId)).disconnectSockets(true);
}
