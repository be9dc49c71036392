/**
 * The yardstick for bench/fanout.ts: a bare Socket.IO server in its own process (no auth, no
 * database, one room for everyone) that broadcasts the same 'events' payloads as the app at the
 * same steady rate. Each event's `at` is its send time, so the clients measure receive − send
 * exactly as they measure receive − commit for the app.
 *
 * Forked by fanout.ts; IPC: {type:'run', rate, seconds, sample, cursor} → {type:'done', sent}.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { wallMs } from './lib/histogram';

const http = createServer();
const io = new Server(http, { serveClient: false });
io.on('connection', (socket) => socket.join('all'));

/** Microsecond ISO text like PostgreSQL's json output, e.g. 2026-11-23T14:00:00.123456+00:00. */
function isoMicros(ms: number): string {
	const whole = Math.floor(ms);
	const micros = Math.floor((ms - whole) * 1000);
	return new Date(whole).toISOString().replace('Z', `${String(micros).padStart(3, '0')}+00:00`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function run(rate: number, seconds: number, sample: Record<string, unknown>, cursor: string) {
	const n = Math.round(rate * seconds);
	const start = performance.now();
	for (let i = 0; i < n; i++) {
		const due = start + (i * 1000) / rate;
		const wait = due - performance.now();
		if (wait > 0) await sleep(wait);
		const event = { ...sample, id: i + 1, at: isoMicros(wallMs()) };
		io.to('all').emit('events', { events: [event], cursor });
	}
	return n;
}

process.on(
	'message',
	async (msg: {
		type: string;
		rate: number;
		seconds: number;
		sample: Record<string, unknown>;
		cursor: string;
	}) => {
		if (msg.type === 'run') {
			const sent = await run(msg.rate, msg.seconds, msg.sample, msg.cursor);
			process.send!({ type: 'done', sent });
		} else if (msg.type === 'stop') {
			io.close();
			process.exit(0);
		}
	}
);

http.listen(0, '127.0.0.1', () => {
	const { port } = http.address() as { port: number };
	process.send!({ type: 'listening', url: `http://127.0.0.1:${port}` });
});
process.on('disconnect', () => process.exit(0));
