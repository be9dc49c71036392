import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server } from 'socket.io';
import type { Db } from '../db';
import { SESSION_COOKIE, validateSessionToken, type SessionPolicy } from '../auth/session';
import { roomsFor, sessionRoom } from './rooms';
import { catchup } from './catchup';
import { toWire } from './publish';
import type { Actor } from '../authz';

/** Per socket: more than this many messages in a second are refused, not processed. */
const MESSAGES_PER_SECOND = 20;

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
		// Rooms first, then any catch-up: nothing can fall between the two.
		socket.join([...roomsFor(socket.data.actor), sessionRoom(socket.data.sessionId)]);
		let budget = { at: Date.now(), left: MESSAGES_PER_SECOND };
		socket.use((_packet, next) => {
			const now = Date.now();
			if (now - budget.at >= 1000) budget = { at: now, left: MESSAGES_PER_SECOND };
			if (budget.left-- > 0) return next();
			next(new Error('rate_limited'));
		});
		socket.on('error', () => {}); // a refused message: the sender got its answer, the socket stays
		socket.on('catchup', async (req: unknown, ack: unknown) => {
			if (typeof ack !== 'function') return;
			const since = (req as { since?: unknown } | null)?.since;
			if (typeof since !== 'string' || !/^\d{1,20}$/.test(since))
				return ack({ ok: false, error: { code: 'invalid', message: 'since: a cursor is required' } });
			try {
				const result = await catchup(deps.db, socket.data.actor, since);
				ack(
					'reset' in result
						? { ok: false, reset: true }
						: { ok: true, cursor: result.cursor, events: result.events.map(toWire) }
				);
			} catch {
				ack({ ok: false, error: { code: 'unavailable', message: 'try again' } });
			}
		});
	});
	return server;
}
