import { describe, expect, it } from 'vitest';
import { ActionQueue, newKey, projectedStatus, type Answer, type QueuedAction } from '../../src/lib/terminal/queue';

/**
 * The terminal's offline queue against a fake server that applies each idempotency key once,
 * as the real one does: order kept, one request at a time, retries on network failure, a lost
 * answer resent under the same key and applied once, refusals kept for the worker, and the
 * queue surviving a reload.
 */
class MemoryStorage {
	data = new Map<string, string>();
	getItem = (k: string) => this.data.get(k) ?? null;
	setItem = (k: string, v: string) => void this.data.set(k, v);
}

type Mode = 'ok' | 'down' | 'lose-answer' | 'error500' | 'signed-out';

/** A server: applies each key once, answers the stored answer for a repeat, and can fail in ways. */
class FakeServer {
	mode: Mode = 'ok';
	applied: { key: string; action: string; stepId: number; occurredAt: number; sentAt: number }[] = [];
	answers = new Map<string, Answer>();
	requests = 0;
	inFlight = 0;
	maxInFlight = 0;
	refuse = new Set<number>();

	fetch = async (_url: string, init: RequestInit): Promise<Response> => {
		this.requests++;
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		await new Promise((r) => setTimeout(r, 2));
		this.inFlight--;
		if (this.mode === 'down') throw new TypeError('Failed to fetch');
		if (this.mode === 'error500') return new Response('<html>bad gateway</html>', { status: 502 });
		if (this.mode === 'signed-out') return Response.json({ error: { code: 'forbidden' } }, { status: 403 });
		const body = JSON.parse(String(init.body));
		if (body.action === 'explode') return Response.json({ error: { code: 'invalid', message: 'action: invalid' } }, { status: 400 });
		let answer = this.answers.get(body.key);
		if (!answer) {
			const refused = this.refuse.has(body.stepId);
			answer = refused
				? { outcome: 'refused', code: 'moved', message: `job ${body.stepId} is now at 总装`, step: null }
				: { outcome: 'applied', code: null, message: 'ok', step: null };
			if (!refused) this.applied.push(body);
			this.answers.set(body.key, answer);
		} else answer = { ...answer, replayed: true };
		if (this.mode === 'lose-answer') {
			this.mode = 'ok';
			throw new TypeError('network changed'); // applied, but the answer never arrived
		}
		return Response.json(answer);
	};
}

async function until(cond: () => boolean, ms = 2000) {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 5));
	}
}

function setup(server = new FakeServer(), storage = new MemoryStorage(), online = { value: true }) {
	const answers: [QueuedAction, Answer][] = [];
	const queue = new ActionQueue({
		storage,
		storageKey: 'terminal-queue:1',
		fetch: server.fetch,
		online: () => online.value,
		backoff: () => 10,
		onAnswer: (a, ans) => answers.push([a, ans])
	});
	return { queue, server, storage, online, answers };
}

const press = (stepId: number, action: QueuedAction['action']) => ({ stepId, action, label: `#${stepId} ${action}` });

describe('the terminal action queue', () => {
	it('sends presses strictly in order, one request at a time, and empties', async () => {
		const { queue, server, answers } = setup();
		queue.enqueue(press(1, 'start'));
		queue.enqueue(press(1, 'pause'));
		queue.enqueue(press(2, 'start'));
		queue.enqueue(press(1, 'start'));
		await until(() => queue.state.pending.length === 0);
		expect(server.applied.map((a) => `${a.stepId}:${a.action}`)).toEqual(['1:start', '1:pause', '2:start', '1:start']);
		expect(server.maxInFlight).toBe(1);
		expect(answers.map(([, a]) => a.outcome)).toEqual(['applied', 'applied', 'applied', 'applied']);
	});

	it('keeps presses while the network is down, retries, and sends them in order when it is back', async () => {
		const { queue, server, online } = setup();
		online.value = false;
		const t0 = Date.now();
		queue.enqueue(press(5, 'start'));
		queue.enqueue(press(5, 'pause'));
		queue.enqueue(press(5, 'finish'));
		await new Promise((r) => setTimeout(r, 50));
		expect(server.requests).toBe(0); // navigator.onLine false: nothing is tried
		expect(queue.state.pending).toHaveLength(3);
		online.value = true;
		server.mode = 'down'; // "online" but the requests still fail
		await until(() => server.requests >= 3);
		expect(queue.state.pending).toHaveLength(3);
		expect(queue.state.failures).toBeGreaterThanOrEqual(3);
		server.mode = 'ok';
		queue.kick();
		await until(() => queue.state.pending.length === 0);
		expect(server.applied.map((a) => a.action)).toEqual(['start', 'pause', 'finish']);
		// The press times are those of the presses, and each was sent later than pressed.
		expect(server.applied.every((a) => a.occurredAt >= t0 && a.occurredAt < t0 + 40 && a.sentAt > a.occurredAt)).toBe(true);
		expect(queue.state.failures).toBe(0);
	});

	it('never loses a kick that comes while a round is ending', async () => {
		const { queue, server, online } = setup();
		online.value = false;
		for (let i = 0; i < 5; i++) queue.enqueue(press(20 + i, 'start'));
		online.value = true;
		queue.kick(); // in the same tick: the offline round has not finished yet
		await queue.flush();
		expect(queue.state.pending).toHaveLength(0);
		expect(server.applied).toHaveLength(5);
	});

	it('resends a press whose answer was lost under the same key; the server applies it once', async () => {
		const { queue, server, answers } = setup();
		server.mode = 'lose-answer';
		queue.enqueue(press(7, 'start'));
		queue.enqueue(press(7, 'pause'));
		await until(() => queue.state.pending.length === 0);
		expect(server.requests).toBe(3);
		expect(server.applied.map((a) => a.action)).toEqual(['start', 'pause']);
		expect(answers[0][1]).toMatchObject({ outcome: 'applied', replayed: true });
	});

	it('survives a reload: a new queue on the same storage sends what the old one had not', async () => {
		const storage = new MemoryStorage();
		const online = { value: false };
		const first = setup(new FakeServer(), storage, online);
		first.queue.enqueue(press(3, 'start'));
		first.queue.enqueue(press(3, 'finish'));
		const keys = first.queue.state.pending.map((p) => p.key);
		first.queue.destroy();
		online.value = true;
		const server = new FakeServer();
		const second = setup(server, storage, online);
		expect(second.queue.state.pending.map((p) => p.key)).toEqual(keys);
		second.queue.kick();
		await until(() => second.queue.state.pending.length === 0);
		expect(server.applied.map((a) => a.key)).toEqual(keys);
	});

	it('keeps a refusal for the worker to read, goes on with the rest, and forgets it when dismissed', async () => {
		const { queue, server, storage } = setup();
		server.refuse.add(9);
		queue.enqueue(press(8, 'start'));
		queue.enqueue(press(9, 'start'));
		queue.enqueue({ ...press(8, 'pause'), action: 'explode' as never });
		queue.enqueue(press(8, 'pause'));
		await until(() => queue.state.pending.length === 0);
		expect(server.applied.map((a) => `${a.stepId}:${a.action}`)).toEqual(['8:start', '8:pause']);
		const attention = queue.state.attention;
		expect(attention.map((a) => a.message)).toEqual(['job 9 is now at 总装', 'action: invalid']);
		expect(JSON.parse(storage.getItem('terminal-queue:1')!).attention).toHaveLength(2);
		queue.dismiss(attention[0].key);
		expect(queue.state.attention.map((a) => a.stepId)).toEqual([8]);
	});

	it('retries on a 5xx or a proxy page, and waits for a sign-in when nobody may act', async () => {
		const { queue, server } = setup();
		server.mode = 'error500';
		queue.enqueue(press(4, 'start'));
		await until(() => server.requests >= 2);
		expect(queue.state.pending).toHaveLength(1);
		server.mode = 'signed-out';
		await until(() => queue.state.needsSignIn);
		const requests = server.requests;
		await new Promise((r) => setTimeout(r, 50));
		expect(server.requests).toBe(requests); // no retries until someone signs in
		server.mode = 'ok';
		queue.kick();
		await until(() => queue.state.pending.length === 0);
		expect(server.applied).toHaveLength(1);
	});

	it('shows the status a step will have once its queued presses apply', () => {
		const q = (action: QueuedAction['action']) => ({ key: newKey(), stepId: 1, action, occurredAt: 0, label: '' });
		expect(projectedStatus('ready', true, [q('start')])).toBe('in_progress');
		expect(projectedStatus('ready', true, [q('start'), q('pause')])).toBe('paused');
		expect(projectedStatus('ready', true, [q('start'), q('finish')])).toBe('done');
		expect(projectedStatus('ready', true, [q('finish')])).toBe('ready'); // would be refused
		expect(projectedStatus('pending', false, [q('start')])).toBe('pending');
		expect(projectedStatus('in_progress', true, [q('problem')])).toBe('blocked');
	});

	it('makes distinct v4 keys without randomUUID', () => {
		const keys = new Set(Array.from({ length: 1000 }, newKey));
		expect(keys.size).toBe(1000);
		for (const k of [...keys].slice(0, 20)) expect(k).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
	});
});
