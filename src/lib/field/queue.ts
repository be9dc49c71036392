import { newKey } from '../terminal/queue';
import type { InstallationStage } from '../domain/statuses';
import type { FieldRefusal } from '../domain/installation-progress';

/**
 * The installer phone's outbox: the shop-floor terminal's queue (terminal/queue.ts) for field
 * reports, free of Svelte so a unit test drives the very same code. A report is stored under an
 * idempotency key made here (its fields in localStorage, its photos as blobs in IndexedDB, which
 * localStorage cannot hold) and sent strictly in order, one at a time, as multipart. A network
 * failure (no connection, a 5xx, a timeout) keeps it and tries again with backoff, and at once
 * when the browser is back online or the live socket reconnects; the server applies each key
 * once, so sending twice is harmless. An answer removes it (and its photos); a refusal stays in
 * a "needs attention" list until the installer has read it.
 */
export interface FieldReport {
	key: string;
	jobId: number;
	action: 'progress' | 'problem';
	stage?: InstallationStage;
	percent?: number;
	note?: string;
	problem?: string;
	/** How many photos wait in the photo store under the key. */
	photos: number;
	/** When the installer sent it, on this phone's clock (the server corrects it). */
	occurredAt: number;
	/** What the screen calls it while it waits, e.g. "IJ-SH-2026-00012 · Wiring 60%". */
	label: string;
}

export interface Attention {
	key: string;
	jobId: number;
	action: FieldReport['action'];
	label: string;
	message: string;
}

export interface FieldAnswer {
	outcome: 'applied' | 'refused';
	code: FieldRefusal | 'invalid' | null;
	message: string;
	job: {
		id: number;
		version: number;
		status: string;
		currentStage: string | null;
		crewId: number | null;
	} | null;
	progressId: number | null;
	photoIds: number[];
	occurredAt?: string;
	replayed?: boolean;
}

/** Where a report's photos wait: IndexedDB in the browser (photo-store.ts), a Map in tests. */
export interface PhotoStore {
	put(key: string, photos: Blob[]): Promise<void>;
	get(key: string): Promise<Blob[]>;
	delete(key: string): Promise<void>;
}

export interface OutboxState {
	pending: FieldReport[];
	attention: Attention[];
	sending: boolean;
	/** The session ended: everything waits until the installer signs in again. */
	needsSignIn: boolean;
	/** Failed tries in a row (0 when the last one got an answer). */
	failures: number;
}

export interface OutboxOptions {
	storage: Pick<Storage, 'getItem' | 'setItem'>;
	storageKey: string;
	photos: PhotoStore;
	fetch: (url: string, init: RequestInit) => Promise<Response>;
	url?: string;
	online?: () => boolean;
	now?: () => number;
	backoff?: (failures: number) => number;
	onAnswer?: (report: FieldReport, answer: FieldAnswer) => void;
}

type Sent = { kind: 'answer'; answer: FieldAnswer } | { kind: 'retry' } | { kind: 'sign_in' };
export type NewReport = Omit<FieldReport, 'key' | 'occurredAt' | 'photos'>;

const defaultBackoff = (n: number) =>
	Math.min(30_000, 1000 * 2 ** Math.max(0, n - 1)) * (0.75 + Math.random() * 0.5);
/** Photos make a request slow on a weak network: a minute before it counts as lost. */
const REQUEST_TIMEOUT_MS = 60_000;

export class FieldOutbox {
	private pending: FieldReport[] = [];
	private attention: Attention[] = [];
	private sending = false;
	private needsSignIn = false;
	private failures = 0;
	private running: Promise<void> | null = null;
	private rerun = false;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private destroyed = false;
	/** Enqueues store their photos one after another, so reports keep the order they were made in. */
	private storing: Promise<unknown> = Promise.resolve();
	private readonly listeners = new Set<(s: OutboxState) => void>();

	constructor(private readonly o: OutboxOptions) {
		try {
			const saved = JSON.parse(o.storage.getItem(o.storageKey) ?? 'null');
			if (Array.isArray(saved?.pending)) this.pending = saved.pending;
			if (Array.isArray(saved?.attention)) this.attention = saved.attention;
		} catch {
			// An unreadable store is an empty one; the server still has every report it answered.
		}
	}

	get state(): OutboxState {
		return {
			pending: [...this.pending],
			attention: [...this.attention],
			sending: this.sending,
			needsSignIn: this.needsSignIn,
			failures: this.failures
		};
	}

	subscribe(fn: (s: OutboxState) => void): () => void {
		this.listeners.add(fn);
		fn(this.state);
		return () => this.listeners.delete(fn);
	}

	/** Stores a report with its photos and starts sending; resolves to its idempotency key. */
	enqueue(r: NewReport, photos: Blob[] = []): Promise<string> {
		// A plain array of the blobs: a reactive proxy of it cannot be stored (structured clone).
		const blobs = [...photos];
		const item: FieldReport = { ...r, key: newKey(), occurredAt: this.now(), photos: blobs.length };
		const stored = this.storing.then(async () => {
			if (blobs.length) await this.o.photos.put(item.key, blobs);
			this.pending.push(item);
			this.changed();
			void this.flush();
			return item.key;
		});
		this.storing = stored.catch(() => {});
		return stored;
	}

	/** Try now: the network or the socket is back, or the installer signed in again. */
	kick(): void {
		clearTimeout(this.timer);
		this.timer = undefined;
		this.needsSignIn = false;
		this.failures = 0;
		this.changed();
		void this.flush();
	}

	dismiss(key: string): void {
		this.attention = this.attention.filter((a) => a.key !== key);
		this.changed();
	}

	/** Sends what waits, in order, until empty or the network fails; a call meanwhile asks for one more round. */
	flush(): Promise<void> {
		if (this.running) {
			this.rerun = true;
			return this.running;
		}
		this.running = (async () => {
			do {
				this.rerun = false;
				await this.drain();
			} while (this.rerun && this.timer === undefined && !this.destroyed);
		})().finally(() => (this.running = null));
		return this.running;
	}

	destroy(): void {
		this.destroyed = true;
		clearTimeout(this.timer);
		this.listeners.clear();
	}

	private async drain(): Promise<void> {
		while (this.pending.length > 0 && !this.needsSignIn && !this.destroyed) {
			if (this.o.online && !this.o.online()) return this.retryLater();
			const head = this.pending[0];
			this.sending = true;
			this.changed();
			const sent = await this.send(head);
			this.sending = false;
			if (sent.kind === 'retry') return this.retryLater();
			if (sent.kind === 'sign_in') {
				this.needsSignIn = true;
				this.changed();
				return;
			}
			this.failures = 0;
			this.pending = this.pending.filter((p) => p.key !== head.key);
			if (sent.answer.outcome === 'refused')
				this.attention.push({
					key: head.key,
					jobId: head.jobId,
					action: head.action,
					label: head.label,
					message: sent.answer.message
				});
			this.changed();
			await this.o.photos.delete(head.key).catch(() => {});
			this.o.onAnswer?.(head, sent.answer);
		}
		this.changed();
	}

	private async send(r: FieldReport): Promise<Sent> {
		const { label: _l, photos: count, ...fields } = r;
		const body = new FormData();
		body.set('action', JSON.stringify({ ...fields, sentAt: this.now() }));
		const photos = count ? await this.o.photos.get(r.key).catch(() => []) : [];
		photos.forEach((p, i) => body.append('photo', p, `photo-${i + 1}.jpg`));
		const abort = new AbortController();
		const timeout = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
		let res: Response;
		try {
			res = await this.o.fetch(this.o.url ?? '/api/v1/field/actions', {
				method: 'POST',
				body,
				signal: abort.signal
			});
		} catch {
			return { kind: 'retry' };
		} finally {
			clearTimeout(timeout);
		}
		// Signed out (the session ended, or the role was taken away): keep everything until a sign-in.
		if (res.status === 401 || res.status === 403) return { kind: 'sign_in' };
		if (res.status === 429 || res.status >= 500) return { kind: 'retry' };
		let json: unknown = null;
		try {
			json = await res.json();
		} catch {
			// A proxy's page instead of the server's answer: only a plain "too large" is final.
			if (res.status !== 413) return { kind: 'retry' };
		}
		if (res.ok) return { kind: 'answer', answer: json as FieldAnswer };
		// The server read it and will never take it (malformed, a bad photo): as good as refused.
		const message =
			(json as { error?: { message?: string } } | null)?.error?.message ?? `${res.status} ${res.statusText}`;
		return {
			kind: 'answer',
			answer: { outcome: 'refused', code: 'invalid', message, job: null, progressId: null, photoIds: [] }
		};
	}

	private retryLater(): void {
		this.failures++;
		this.changed();
		clearTimeout(this.timer);
		if (!this.destroyed)
			this.timer = setTimeout(
				() => {
					this.timer = undefined;
					void this.flush();
				},
				(this.o.backoff ?? defaultBackoff)(this.failures)
			);
	}

	private now(): number {
		return this.o.now?.() ?? Date.now();
	}

	private changed(): void {
		try {
			this.o.storage.setItem(
				this.o.storageKey,
				JSON.stringify({ pending: this.pending, attention: this.attention })
			);
		} catch {
			// A full store: the reports stay in memory and are still sent.
		}
		const s = this.state;
		for (const fn of this.listeners) fn(s);
	}
}

/** Photos kept in memory: for tests, and where the browser has no IndexedDB (private mode on old phones). */
export class MemoryPhotoStore implements PhotoStore {
	readonly data = new Map<string, Blob[]>();
	async put(key: string, photos: Blob[]) {
		this.data.set(key, photos);
	}
	async get(key: string) {
		return this.data.get(key) ?? [];
	}
	async delete(key: string) {
		this.data.delete(key);
	}
}
