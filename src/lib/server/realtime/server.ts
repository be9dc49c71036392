import type { IncomingMessage, Server as HttpServer } from 'node:http';
import { Server, type Socket } from 'socket.io';
import { z } from 'zod';
import type { Db } from '../db';
import { SESSION_COOKIE, validateSessionToken, type SessionPolicy } from '../auth/session';
import { DEVICE_COOKIE, deviceForToken, deviceSessionId } from '../auth/device';
import type { Actor } from '../authz';
import { AppError, RateLimitedError, ValidationError } from '../errors';
import { messageFor } from '../messages';
import { parseInput } from '../validate';
import { m } from '$lib/paraglide/messages';
import { eventScope, roomsFor, sessionRoom } from './rooms';
import { currentCursor, eventsSince, isCursor, toWire } from './stream';
import { EventTail } from './tail';
import { Fanout } from './fanout';
import { PRESENCE_ENTITIES, assertMayWatch, presenceRoom, viewersOf, type PresenceEntity } from './presence';

/** Per socket: more messages than this in a second are answered with an error, not processed. */
const MESSAGES_PER_SECOND = 20;
/** A request's arguments as JSON; larger ones are refused (the transport closes above 100 KiB). */
const MAX_MESSAGE_BYTES = 8 * 1024;
/** More missed events than this and the client reloads its data instead of catching up. */
export const CATCHUP_LIMIT = 2000;
/** How many records one socket may be present on at once. */
const MAX_WATCHING = 20;
const HEARTBEAT_MS = 10_000;
/** Other nodes are woken at most this often: one wake-up reads every commit before it. */
const WAKE_OTHERS_EVERY_MS = 5;

export interface SocketData {
	actor: Actor;
	sessionId: string;
	/** The fan-out slice room (fanout.ts) it hears its batches in. */
	slice: string;
	/** Presence rooms this socket is in, and those where it is editing. */
	watching: string[];
	editing: string[];
}
export type LiveServer = Server<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
type LiveSocket = Socket<Record<string, never>, Record<string, never>, Record<string, never>, SocketData>;
type Ack = (answer: unknown) => void;

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

/** Calls `fn` at once, then at most once per `ms`: calls in between become one call at its end. */
function throttle(fn: () => void, ms: number): (() => void) & { cancel(): void } {
	let timer: NodeJS.Timeout | null = null;
	let pending = false;
	const open = () => {
		timer = null;
		if (pending) call();
	};
	const call = () => {
		pending = false;
		fn();
		timer = setTimeout(open, ms);
	};
	const run = () => {
		if (timer) pending = true;
		else call();
	};
	return Object.assign(run, {
		cancel() {
			if (timer) clearTimeout(timer);
		}
	});
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

const entityRef = z.object({ entity: z.enum(PRESENCE_ENTITIES), id: z.number().int().min(1).max(2_147_483_647) }).strict();
const REQUESTS = {
	catchup: z.object({ since: z.string().max(45_000).refine(isCursor, 'not a cursor').nullable().optional() }).strict(),
	/** Idempotent: joining again updates whether this socket is editing. */
	'presence:join': entityRef.extend({ editing: z.boolean().optional() }).strict(),
	'presence:leave': entityRef,
	'presence:editing': entityRef.extend({ editing: z.boolean() }).strict()
} as const;
type RequestName = keyof typeof REQUESTS;

export interface Realtime {
	io: LiveServer;
	/** Called after a command commits: this process reads the new events at once. */
	committed(): void;
	close(): Promise<void>;
}

/**
 * Socket.IO on the app's own HTTP server. The handshake is authenticated by the same session
 * cookie as the pages (no session, no socket); only the server puts sockets in rooms, from the
 * user's grants. Events reach sockets from the event table through this process's EventTail,
 * never from inside a transaction.
 */
export async function attachRealtime(
	http: HttpServer,
	deps: {
		db: Db;
		sessions: SessionPolicy;
		origin: string | null;
		/** Several nodes: the Socket.IO adapter that carries broadcasts between them. */
		adapter?: Parameters<LiveServer['adapter']>[0];
	}
): Promise<Realtime> {
	const io: LiveServer = new Server(http, {
		serveClient: false,
		maxHttpBufferSize: 100 * 1024,
		// Other upgrades on the same server (Vite's HMR socket in development) are not ours to close.
		destroyUpgrade: false,
		allowRequest: (req, done) => {
			const ok = originAllowed(req, deps.origin);
			done(ok ? null : 'origin refused', ok);
		},
		...(deps.adapter ? { adapter: deps.adapter } : {})
	});
	const fanout = new Fanout(io);
	const tail = new EventTail(deps.db, (batch) => fanout.deliver(batch));
	await tail.start();
	const heartbeat = setInterval(() => fanout.heartbeat(tail.position), HEARTBEAT_MS);
	heartbeat.unref();
	// Another node committed: read the table now rather than at the next safety tick.
	io.on('events:committed' as never, () => tail.wake());
	const wakeOthers = deps.adapter ? throttle(() => io.serverSideEmit('events:committed' as never), WAKE_OTHERS_EVERY_MS) : null;

	io.use(async (socket, next) => {
		try {
			const cookies = socket.request.headers.cookie;
			const deviceToken = cookieValue(cookies, DEVICE_COOKIE);
			const device = deviceToken ? await deviceForToken(deps.db, deviceToken) : null;
			const token = cookieValue(cookies, SESSION_COOKIE);
			let result = token ? await validateSessionToken(deps.db, token, deps.sessions) : null;
			// A worker's terminal session is good only at its terminal.
			if (result?.session.deviceId && result.session.deviceId !== device?.device.id) result = null;
			if (!result && device) {
				// A terminal or wall display with nobody signed in at it: its own read-only actor.
				socket.data.actor = device.actor;
				socket.data.sessionId = deviceSessionId(device.device.id);
				socket.data.watching = [];
				socket.data.editing = [];
				return next();
			}
			if (!result) return next(new Error('unauthenticated'));
			socket.data.actor = result.actor;
			socket.data.sessionId = result.session.id;
			socket.data.watching = [];
			socket.data.editing = [];
			expireWithSession(socket, result.session.expiresAt, result.session.absoluteExpiresAt, token!);
			next();
		} catch {
			next(new Error('unavailable'));
		}
	});

	/** An idle or absolute session expiry ends the socket too, unless page activity slid it. */
	function expireWithSession(socket: LiveSocket, expiresAt: Date, absolute: Date, token: string) {
		const at = Math.min(expiresAt.getTime(), absolute.getTime());
		const timer = setTimeout(
			async () => {
				const still = await validateSessionToken(deps.db, token, deps.sessions).catch(() => undefined);
				if (still === null) socket.disconnect(true);
				else if (still) expireWithSession(socket, still.session.expiresAt, still.session.absoluteExpiresAt, token);
			},
			Math.min(Math.max(at - Date.now(), 0) + 1000, 2 ** 31 - 1)
		);
		timer.unref();
		socket.once('disconnect', () => clearTimeout(timer));
	}

	async function announce(room: string) {
		const [, entity, id] = room.split(':');
		const sockets = await io.in(room).fetchSockets();
		io.to(room).emit('presence' as never, { entity, id: Number(id), viewers: viewersOf(sockets, room) } as never);
	}

	function markEditing(socket: LiveSocket, room: string, editing: boolean) {
		socket.data.editing = socket.data.editing.filter((r) => r !== room);
		if (editing) socket.data.editing.push(room);
	}

	const handlers: Record<RequestName, (socket: LiveSocket, input: never) => Promise<unknown>> = {
		async catchup(socket, { since }: { since?: string | null }) {
			if (!since) return { ok: true, events: [], cursor: await currentCursor(deps.db) };
			const result = await eventsSince(deps.db, since, eventScope(socket.data.actor), CATCHUP_LIMIT);
			if (result.more) return { ok: false, reset: true };
			return { ok: true, events: result.events.map(toWire), cursor: result.cursor };
		},
		async 'presence:join'(socket, { entity, id, editing }: { entity: PresenceEntity; id: number; editing?: boolean }) {
			const room = presenceRoom(entity, id);
			if (!socket.data.watching.includes(room)) {
				if (socket.data.watching.length >= MAX_WATCHING)
					throw new ValidationError(m.socket_watching_too_many({}, { locale: socket.data.actor.locale }));
				await assertMayWatch(deps.db, socket.data.actor, entity, id);
				socket.data.watching.push(room);
				socket.join(room);
			}
			if (editing !== undefined) markEditing(socket, room, editing);
			await announce(room);
			return { ok: true };
		},
		async 'presence:leave'(socket, { entity, id }: { entity: PresenceEntity; id: number }) {
			const room = presenceRoom(entity, id);
			if (!socket.data.watching.includes(room)) return { ok: true };
			socket.data.watching = socket.data.watching.filter((r) => r !== room);
			markEditing(socket, room, false);
			socket.leave(room);
			await announce(room);
			return { ok: true };
		},
		async 'presence:editing'(socket, { entity, id, editing }: { entity: PresenceEntity; id: number; editing: boolean }) {
			const room = presenceRoom(entity, id);
			if (!socket.data.watching.includes(room))
				throw new ValidationError(m.socket_not_watching({}, { locale: socket.data.actor.locale }));
			markEditing(socket, room, editing);
			await announce(room);
			return { ok: true };
		}
	};

	io.on('connection', (socket) => {
		const { actor } = socket.data;
		// Rooms first, then the client's catch-up: nothing can fall between the two.
		const rooms = roomsFor(actor);
		socket.data.slice = fanout.enter(rooms);
		socket.join([...rooms, socket.data.slice, sessionRoom(socket.data.sessionId)]);
		socket.on('disconnect', () => {
			fanout.leave(socket.data.slice);
			for (const room of socket.data.watching) void announce(room).catch(() => {});
		});

		let budget = { at: Date.now(), left: MESSAGES_PER_SECOND };
		// Every request is answered here; none reaches a listener, so `next` is never called.
		socket.use(([name, ...args]) => {
			const ack = typeof args.at(-1) === 'function' ? (args.pop() as Ack) : null;
			const fail = (e: AppError) => ack?.({ ok: false, error: { code: e.code, message: messageFor(e, actor.locale) } });
			const now = Date.now();
			if (now - budget.at >= 1000) budget = { at: now, left: MESSAGES_PER_SECOND };
			if (budget.left-- <= 0) return fail(new RateLimitedError('rate_limited', 1));
			if (!Object.hasOwn(REQUESTS, name))
				return fail(new ValidationError(m.socket_unknown_message({}, { locale: actor.locale })));
			if (!ack) return; // every request is answered; one that cannot be is ignored
			let size: number;
			try {
				size = Buffer.byteLength(JSON.stringify(args));
			} catch {
				size = Infinity;
			}
			if (size > MAX_MESSAGE_BYTES)
				return fail(new ValidationError(m.socket_message_too_large({}, { locale: actor.locale })));
			void (async () => {
				try {
					const input = parseInput(REQUESTS[name as RequestName], args[0], actor.locale);
					ack(await handlers[name as RequestName](socket, input as never));
				} catch (e) {
					if (e instanceof AppError) return fail(e);
					const ref = crypto.randomUUID().slice(0, 8);
					console.error(`[elevator-ops] ${ref} socket ${name}`, e);
					ack({ ok: false, error: { code: 'internal', message: m.error_internal({ id: ref }, { locale: actor.locale }) } });
				}
			})();
		});
	});

	return {
		io,
		committed() {
			tail.wake();
			wakeOthers?.();
		},
		async close() {
			clearInterval(heartbeat);
			wakeOthers?.cancel();
			tail.stop();
			await io.close();
		}
	};
}
