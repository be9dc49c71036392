import { afterEach, describe, expect, it } from 'vitest';
import {
	FieldOutbox,
	MemoryPhotoStore,
	type FieldAnswer,
	type FieldReport,
	type NewReport
} from '../../src/lib/field/queue';

/**
 * The installer phone's outbox against a fake server that applies each idempotency key once,
 * as the real one does: order kept, one request at a time, photos sent with their report and
 * then dropped, a lost answer resent under the same key and applied once, refusals kept for
 * the installer until read, nothing sent while signed out, and the queue surviving a reload.
 */
class MemoryStorage {
	data = new Map<string, string>();
	getItem = (k: string) => this.data.get(k) ?? null;
	setItem = (k: string, v: string) => void this.data.set(k, v);
}

type Mode = 'ok' | 'down' | 'lose-answer' | 'error502' | 'signed-out';
interface Applied {
	key: string;
	jobId: number;
	action: string;
	percent?: number;
	photos: number[];
	sentAt: number;
	occurredAt: number;
}

class FakeServer {
	mode: Mode = 'ok';
	applied: Applied[] = [];
	answers = new Map<string, FieldAnswer>();
	requests = 0;
	inFlight = 0;
	maxInFlight = 0;
	refuse = new Set<number>();

	fetch = async (url: string, init: RequestInit): Promise<Response> => {
		this.requests++;
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		await new Promise((r) => setTimeout(r, 2));
		this.inFlight--;
		if (this.mode === 'down') throw new TypeError('Failed to fetch');
		if (this.mode === 'error502') return new Response('<html>bad gateway</html>', { status: 502 });
		if (this.mode === 'signed-out')
			return Response.json({ error: { code: 'unauthenticated' } }, { status: 401 });
		// The multipart body as the phone built it (the real parsing is the integration and e2e tests' part).
		expect(url).toBe('/api/v1/field/actions');
		const form = init.body as FormData;
		const body = JSON.parse(String(form.get('action')));
		const photos = form.getAll('photo').map((p) => (p as Blob).size);
		if (body.percent > 100)
			return Response.json({ error: { code: 'invalid', message: 'percent: too big' } }, { status: 400 });
		let answer = this.answers.get(body.key);
		if (!answer) {
			const refused = this.refuse.has(body.jobId);
			answer = refused
				? {
						outcome: 'refused',
						code: 'not_in_crew',
						message: `job ${body.jobId} belongs to another crew`,
						job: null,
						progressId: null,
						photoIds: []
					}
				: {
						outcome: 'applied',
						code: null,
						message: 'ok',
						job: null,
						progressId: this.applied.length + 1,
						photoIds: []
					};
			if (!refused) this.applied.push({ ...body, photos });
			this.answers.set(body.key, answer);
		} else answer = { ...answer, replayed: true };
		if (this.mode === 'lose-answer') {
			this.mode = 'ok';
			throw new TypeError('network changed'); // applied, but the answer never arrived
		}
		return Response.json(answer);
	};
}

async function until(cond: () => boolean, ms = 3000) {
	const end = Date.now() + ms;
	while (!cond()) {
		if (Date.now() > end) throw new Error('condition not met in time');
		await new Promise((r) => setTimeout(r, 5));
	}
}

const made: FieldOutbox[] = [];
afterEach(() => made.splice(0).forEach((o) => o.destroy()));

function setup(
	server = new FakeServer(),
	storage = new MemoryStorage(),
	photos = new MemoryPhotoStore(),
	online = { value: true }
) {
	const answers: [FieldReport, FieldAnswer][] = [];
	const outbox = new FieldOutbox({
		storage,
		storageKey: 'field-outbox:7',
		photos,
		fetch: server.fetch,
		online: () => online.value,
		backoff: () => 10,
		onAnswer: (r, a) => answers.push([r, a])
	});
	made.push(outbox);
	return { outbox, server, storage, photos, online, answers };
}

const report = (jobId: number, percent: number): NewReport => ({
	jobId,
	action: 'progress',
	stage: 'wiring',
	percent,
	label: `#${jobId} ${percent}%`
});
const jpeg = (n: number) =>
	new Blob([new Uint8Array([0xff, 0xd8, 0xff, ...new Array(n).fill(1)])], { type: 'image/jpeg' });

describe('the field outbox', () => {
	it('sends reports strictly in order, one request at a time, with their photos, and empties', async () => {
		const { outbox, server, photos } = setup();
		await outbox.enqueue(report(1, 10), [jpeg(100), jpeg(200)]);
		await outbox.enqueue(report(1, 20));
		await outbox.enqueue(report(2, 30), [jpeg(50)]);
		await until(() => outbox.state.pending.length === 0);
		expect(server.applied.map((a) => [a.jobId, a.percent])).toEqual([
			[1, 10],
			[1, 20],
			[2, 30]
		]);
		expect(server.applied.map((a) => a.photos)).toEqual([[103, 203], [], [53]]);
		expect(server.maxInFlight).toBe(1);
		expect(photos.data.size).toBe(0); // sent photos leave the phone's store
		expect(server.applied.every((a) => a.sentAt >= a.occurredAt)).toBe(true);
	});

	it('keeps everything while offline and sends it in order when the network is back', async () => {
		const online = { value: false };
		const { outbox, server, photos } = setup(undefined, undefined, undefined, online);
		await outbox.enqueue(report(1, 10), [jpeg(10)]);
		await outbox.enqueue(report(1, 40));
		await new Promise((r) => setTimeout(r, 50));
		expect(server.requests).toBe(0);
		expect(outbox.state.pending.map((p) => p.percent)).toEqual([10, 40]);
		expect(outbox.state.failures).toBeGreaterThan(0);
		expect(photos.data.size).toBe(1);
		online.value = true;
		outbox.kick();
		await until(() => outbox.state.pending.length === 0);
		expect(server.applied.map((a) => a.percent)).toEqual([10, 40]);
		expect(server.applied[0].photos).toEqual([13]);
	});

	it('retries through failed requests and 502s, and a report whose answer was lost is applied once', async () => {
		const { outbox, server, answers } = setup();
		server.mode = 'down';
		await outbox.enqueue(report(1, 10));
		await until(() => outbox.state.failures >= 2);
		server.mode = 'error502';
		await until(() => outbox.state.failures >= 4);
		server.mode = 'lose-answer';
		outbox.kick();
		await outbox.enqueue(report(1, 20));
		await until(() => outbox.state.pending.length === 0);
		expect(server.applied.map((a) => a.percent)).toEqual([10, 20]);
		// The first one was sent again under the same key and answered as a replay.
		expect(answers[0][1].replayed).toBe(true);
		expect(answers.map(([r]) => r.percent)).toEqual([10, 20]);
	});

	it('keeps a refusal until it is read, and goes on with the next report', async () => {
		const { outbox, server } = setup();
		server.refuse.add(9);
		await outbox.enqueue(report(9, 50));
		await outbox.enqueue(report(1, 60));
		await outbox.enqueue({ ...report(1, 101) }); // the server reads it and refuses it (400)
		await until(() => outbox.state.pending.length === 0);
		expect(server.applied.map((a) => a.jobId)).toEqual([1]);
		const attention = outbox.state.attention;
		expect(attention.map((a) => [a.jobId, a.message])).toEqual([
			[9, 'job 9 belongs to another crew'],
			[1, 'percent: too big']
		]);
		outbox.dismiss(attention[0].key);
		expect(outbox.state.attention.map((a) => a.jobId)).toEqual([1]);
	});

	it('waits while signed out and sends after a sign-in', async () => {
		const { outbox, server } = setup();
		server.mode = 'signed-out';
		await outbox.enqueue(report(1, 10));
		await until(() => outbox.state.needsSignIn);
		const tries = server.requests;
		await new Promise((r) => setTimeout(r, 50));
		expect(server.requests).toBe(tries); // no hammering a server that said "sign in"
		server.mode = 'ok';
		outbox.kick();
		await until(() => outbox.state.pending.length === 0);
		expect(server.applied).toHaveLength(1);
	});

	it('survives a reload: what waited is sent by the next page, photos included, under the same keys', async () => {
		const storage = new MemoryStorage();
		const photos = new MemoryPhotoStore();
		const online = { value: false };
		const first = setup(new FakeServer(), storage, photos, online);
		await first.outbox.enqueue(report(3, 70), [jpeg(5)]);
		await first.outbox.enqueue(report(3, 80));
		const keys = first.outbox.state.pending.map((p) => p.key);
		first.outbox.destroy();

		online.value = true;
		const second = setup(first.server, storage, photos, online);
		expect(second.outbox.state.pending.map((p) => p.key)).toEqual(keys);
		second.outbox.kick();
		await until(() => second.outbox.state.pending.length === 0);
		expect(first.server.applied.map((a) => [a.key, a.percent, a.photos])).toEqual([
			[keys[0], 70, [8]],
			[keys[1], 80, []]
		]);
	});
});
