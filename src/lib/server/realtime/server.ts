import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Db } from '../db';
import { SESSION_COOKIE, validateSessionToken, type SessionPolicy } from '../auth/session';
import { roomsFor, sessionRoom } from './rooms';
import type { Actor } from '../authz';

export interface SocketData {
	actor: Actor;
	sessionId: string;
}

/** Browsers send Origin on every WebSocket and polling request; CORS does not cover upgrades. */
export function originAllowed(req: IncomingMessage, configured: string | null): boolean {
	const origin = req.headers.origin;
	if (!origin) return true; // not a browser: the session cookie still decides
	if (configured) return origin === configured;
	try {
		return new URL(origin).host === req.headers.host;
	} catch {
		return false;
	}
}

function cookieValue(header: string | undefined, name: string): string | null {
	for (const part of (header ?? '').split(';')) {
		const at = part.indexOf('=');
		if (at > 0 && part.slice(0, at).trim() === name) {
			const raw = part.slice(at + 1).trim();
			try {
				return decodeURIComponent(raw);
			} catch {
				return raw; // malformed escapes: the token check refuses it
			}
		}
	}
	return null;
}

/**
 * Socket.IO on the app's own HTTP server. The handshake is authenticated by the same session
 * cookie as the pages (no session, no socket), and the server alone puts each socket in the
 * rooms its user may hear, plus its session's room so a sign-out can close it.
 */
export function attachRealtime(
	http: HttpServer,
	deps: { db: Db; sessions: SessionPolicy; origin: string | null }
): Server<Record<string, never>, Record<string, never>, Record<string, never>, SocketData> {
	const server = new Server<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>(
		http,
		{
			serveClient: false,
			// Messages are small commands; anything bigger is refused by the transport.
			maxHttpBufferSize: 64 * 1024,
			// Other upgrades on the same server (Vite's HMR socket in development) are not ours to close.
			destroyUpgrade: false,
			allowRequest: (req, done) =>
				done(originAllowed(req, deps.origin) ? null : 'origin refused', originAllowed(req, deps.origin))
		}
	);
	server.use(async (socket, next) => {
		try {
			const token = cookieValue(socket.request.headers.cookie, SESSION_COOKIE);
			const result = token ? await validateSessionToken(deps.db, token, deps.sessions) : null;
			if (!result) return next(new Error('unauthenticated'));
			socket.data.actor = result.actor;
			socket.data.sessionId = result.session.id;
			next();
		} catch {
			next(new Error('unavailable'));
		}
	});
	server.on('connection', (socket) => {
		socket.join([...roomsFor(socket.data.actor), sessionRoom(socket.data.sessionId)]);
	});
	return server;
}
