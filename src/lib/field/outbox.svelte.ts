import { getContext, setContext } from 'svelte';
import { liveFeed } from '$lib/live/live.svelte';
import { FieldOutbox, type Attention, type FieldAnswer, type FieldReport, type NewReport } from './queue';
import { browserPhotoStore } from './photo-store';

/**
 * The field app's outbox as rune state, made by the (field) layout and reached by its pages
 * through a typed context (never at module level: concurrent server renders would share it).
 * It starts in the browser only, tries again at once when the browser says it is back online
 * or the live socket reconnects, and tells the pages of every answer so they read again.
 */
export class FieldApp {
	pending: FieldReport[] = $state([]);
	attention: Attention[] = $state([]);
	sending = $state(false);
	needsSignIn = $state(false);
	failures = $state(0);
	/** Bumped on each answer: pages re-read their data when it moves. */
	answers = $state(0);
	lastAnswer: FieldAnswer | null = $state(null);
	private outbox: FieldOutbox | null = null;
	private stops: (() => void)[] = [];

	start(userId: number): void {
		if (this.outbox) return;
		const box = new FieldOutbox({
			storage: localStorage,
			storageKey: `field-outbox:${userId}`,
			photos: browserPhotoStore(),
			fetch: (url, init) => fetch(url, init),
			online: () => navigator.onLine,
			onAnswer: (_r, answer) => {
				this.lastAnswer = answer;
				this.answers++;
			}
		});
		this.outbox = box;
		this.stops.push(
			box.subscribe((s) => {
				this.pending = s.pending;
				this.attention = s.attention;
				this.sending = s.sending;
				this.needsSignIn = s.needsSignIn;
				this.failures = s.failures;
			})
		);
		const online = () => box.kick();
		addEventListener('online', online);
		this.stops.push(() => removeEventListener('online', online));
		// The socket is back: whatever waited goes now.
		this.stops.push(liveFeed().onState((s) => s.status === 'live' && box.kick()));
		box.kick();
	}

	enqueue(r: NewReport, photos: Blob[] = []): Promise<string> {
		if (!this.outbox) return Promise.reject(new Error('outbox not started'));
		return this.outbox.enqueue(r, photos);
	}
	dismiss(key: string): void {
		this.outbox?.dismiss(key);
	}
	kick(): void {
		this.outbox?.kick();
	}
	/** The reports still waiting for a job, in order. */
	for(jobId: number): FieldReport[] {
		return this.pending.filter((p) => p.jobId === jobId);
	}
	destroy(): void {
		this.stops.forEach((s) => s());
		this.stops = [];
		this.outbox?.destroy();
		this.outbox = null;
	}
}

const KEY = Symbol('field-app');
export const setFieldApp = (app: FieldApp): FieldApp => setContext(KEY, app);
export const fieldApp = (): FieldApp => getContext<FieldApp>(KEY);
