import {
	newKey,
	Outbox,
	type OutboxOptions as SharedOptions,
	type OutboxState as SharedState,
	type Sent
} from '../client/outbox';
import type { InstallationStage } from '../domain/statuses';
import type { FieldRefusal } from '../domain/installation-progress';

/**
 * The installer phone's outbox: the shared outbox (client/outbox.ts) for field reports, the same
 * as the shop-floor terminal's. A report's fields wait in localStorage, its photos as blobs in
 * IndexedDB (which localStorage cannot hold); it is sent as multipart, and an answer removes it
 * with its photos.
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

export type OutboxState = SharedState<FieldReport, Attention>;
export interface OutboxOptions extends SharedOptions<FieldReport, FieldAnswer> {
	photos: PhotoStore;
}
export type NewReport = Omit<FieldReport, 'key' | 'occurredAt' | 'photos'>;

/** Photos make a request slow on a weak network: a minute before it counts as lost. */
const REQUEST_TIMEOUT_MS = 60_000;

/** Field reports on the shared outbox, sent as multipart with their photos. */
export class FieldOutbox extends Outbox<FieldReport, FieldAnswer, Attention> {
	/** Enqueues store their photos one after another, so reports keep the order they were made in. */
	private storing: Promise<unknown> = Promise.resolve();

	constructor(private readonly options: OutboxOptions) {
		super(options);
	}

	/** Stores a report with its photos and starts sending; resolves to its idempotency key. */
	enqueue(r: NewReport, photos: Blob[] = []): Promise<string> {
		// A plain array of the blobs: a reactive proxy of it cannot be stored (structured clone).
		const blobs = [...photos];
		const item: FieldReport = { ...r, key: newKey(), occurredAt: this.now(), photos: blobs.length };
		const stored = this.storing.then(async () => {
			if (blobs.length) await this.options.photos.put(item.key, blobs);
			this.add(item);
			return item.key;
		});
		this.storing = stored.catch(() => {});
		return stored;
	}

	protected async send(r: FieldReport): Promise<Sent<FieldAnswer>> {
		const { label: _l, photos: count, ...fields } = r;
		const body = new FormData();
		body.set('action', JSON.stringify({ ...fields, sentAt: this.now() }));
		const photos = count ? await this.options.photos.get(r.key).catch(() => []) : [];
		photos.forEach((p, i) => body.append('photo', p, `photo-${i + 1}.jpg`));
		return this.post('/api/v1/field/actions', { body }, REQUEST_TIMEOUT_MS, (message) => ({
			outcome: 'refused',
			code: 'invalid',
			message,
			job: null,
			progressId: null,
			photoIds: []
		}));
	}

	protected attentionOf(r: FieldReport, answer: FieldAnswer): Attention {
		return { key: r.key, jobId: r.jobId, action: r.action, label: r.label, message: answer.message };
	}

	/** Answered: its photos are the server's now. */
	protected settled(r: FieldReport): Promise<void> {
		return this.options.photos.delete(r.key);
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
