import { terminalNext, terminalRefusal } from '../domain/step-progress';
import type { AndonReason, StepStatus, TerminalAction } from '../domain/statuses';

/**
 * A terminal's outbox, free of Svelte so a unit test drives the very same code. Every press is
 * stored (localStorage: a reload or a crash loses nothing) under an idempotency key made here,
 * and sent strictly in order, one at a time. A network failure (no connection, a 5xx, a
 * timeout) keeps it and tries again with backoff, and at once when the browser comes back
 * online or the live socket reconnects; the server applies each key once, so sending twice is
 * harmless. An answer, applied or refused, removes it; a refusal is kept in a "needs
 * attention" list until the worker has read it: a conflict is shown, never swallowed.
 */
export interface QueuedAction {
	key: string;
	stepId: number;
	action: TerminalAction;
	reason?: AndonReason;
	note?: string;
	/** When the worker pressed, on this device's clock (the server corrects it). */
	occurredAt: number;
	/** What the screen calls it while it waits, e.g. "WO-SH-2026-000123 · Start". */
	label: string;
}

export interface Attention {
	key: string;
	stepId: number;
	action: TerminalAction;
	label: string;
	message: string;
}

export interface Answer {
	outcome: 'applied' | 'refused';
	code: string | null;
	message: string;
	step: { id: number; status: StepStatus; version: number; [k: string]: unknown } | null;
	occurredAt?: string;
	replayed?: boolean;
}

export interface QueueState {
	pending: QueuedAction[];
	attention: Attention[];
	/** A request is on its way. */
	sending: boolean;
	/** Nobody may act at the terminal now (no worker signed in): waiting for a sign-in. */
	needsSignIn: boolean;
	/** The number of failed tries in a row (0 when the last one got an answer). */
	failures: number;
}

export interface QueueOptions {
	storage: Pick<Storage, 'getItem' | 'setItem'>;
	storageKey: string;
	fetch: (url: string, init: RequestInit) => Promise<Response>;
	url?: string;
	online?: () => boolean;
	now?: () => number;
	/** Milliseconds to wait after the n-th failure in a row. */
	backoff?: (failures: number) => number;
	/** Each answer as it arrives, for the screen to follow the server. */
	onAnswer?: (action: QueuedAction, answer: Answer) => void;
}

type Sent = { kind: 'answer'; answer: Answer } | { kind: 'retry' } | { kind: 'sign_in' };

const defaultBackoff = (n: number) => Math.min(30_000, 1000 * 2 ** Math.max(0, n - 1)) * (0.75 + Math.random() * 0.5);
const REQUEST_TIMEOUT_MS = 15_000;

export class ActionQueue {
	private pending: QueuedAction[] = [];
	private attention: Attention[] = [];
	private sending = false;
	private needsSignIn = false;
	private failures = 0;
	private running: Promise<void> | null = null;
	private rerun = false;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private destroyed = false;
	private readonly listeners = new Set<(s: QueueState) => void>();

	constructor(private readonly o: QueueOptions) {
		try {
			const saved = JSON.parse(o.storage.getItem(o.storageKey) ?? 'null');
			if (Array.isArray(saved?.pending)) this.pending = saved.pending;
			if (Array.isArray(saved?.attention)) this.attention = saved.attention;
		} catch {
			// An unreadable store is an empty one; the server still has every action it answered.
		}
	}

	get state(): QueueState {
		return {
			pending: [...this.pending],
			attention: [...this.attention],
			sending: this.sending,
			needsSignIn: this.needsSignIn,
			failures: this.failures
		};
	}

	subscribe(fn: (s: QueueState) => void): () => void {
		this.listeners.add(fn);
		fn(this.state);
		return () => this.listeners.delete(fn);
	}

	/** Stores a press and starts sending; returns its idempotency key. */
	enqueue(a: Omit<QueuedAction, 'key' | 'occurredAt'> & { occurredAt?: number }): string {
		const item: QueuedAction = { ...a, key: newKey(), occurredAt: a.occurredAt ?? this.now() };
		this.pending.push(item);
		this.changed();
		void this.flush();
		return item.key;
	}

	/** Try now: the network or the socket is back, or a worker signed in. */
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

	/**
	 * Sends what is waiting, in order, until it is empty or the network fails. A call while a
	 * round is under way asks for another round after it, unless that one failed and is
	 * waiting for its retry (kick() cancels the wait): a kick is never lost to a finishing round.
	 */
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
				this.attention.push({ key: head.key, stepId: head.stepId, action: head.action, label: head.label, message: sent.answer.message });
			this.changed();
			this.o.onAnswer?.(head, sent.answer);
		}
		this.changed();
	}

	private async send(a: QueuedAction): Promise<Sent> {
		const { label: _, ...body } = a;
		const abort = new AbortController();
		const timeout = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
		let res: Response;
		try {
			res = await this.o.fetch(this.o.url ?? '/api/v1/terminal/actions', {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ ...body, sentAt: this.now() }),
				signal: abort.signal
			});
		} catch {
			return { kind: 'retry' };
		} finally {
			clearTimeout(timeout);
		}
		// No worker signed in (or their shift ended): keep everything until someone signs in.
		if (res.status === 401 || res.status === 403) return { kind: 'sign_in' };
		if (res.status === 429 || res.status >= 500) return { kind: 'retry' };
		let json: unknown;
		try {
			json = await res.json();
		} catch {
			return { kind: 'retry' }; // a proxy's error page: not the server's answer
		}
		if (res.ok) return { kind: 'answer', answer: json as Answer };
		// The server read it and will never take it (malformed): as good as refused.
		const message = (json as { error?: { message?: string } })?.error?.message ?? res.statusText;
		return { kind: 'answer', answer: { outcome: 'refused', code: 'invalid', message, step: null } };
	}

	private retryLater(): void {
		this.failures++;
		this.changed();
		clearTimeout(this.timer);
		if (!this.destroyed)
			this.timer = setTimeout(() => {
				this.timer = undefined;
				void this.flush();
			}, (this.o.backoff ?? defaultBackoff)(this.failures));
	}

	private now(): number {
		return this.o.now?.() ?? Date.now();
	}

	private changed(): void {
		try {
			this.o.storage.setItem(this.o.storageKey, JSON.stringify({ pending: this.pending, attention: this.attention }));
		} catch {
			// A full store: the presses stay in memory and are still sent.
		}
		const s = this.state;
		for (const fn of this.listeners) fn(s);
	}
}

/**
 * The status a step will have once the queued presses for it are applied, as the screen shows
 * it before the server has answered; a press the server would refuse changes nothing here.
 */
export function projectedStatus(status: StepStatus, previousDone: boolean, queued: readonly QueuedAction[]): StepStatus {
	let s = status;
	for (const q of queued) if (!terminalRefusal(s, q.action, previousDone)) s = terminalNext(s, q.action);
	return s;
}

/** A random UUID (v4) from getRandomValues, which, unlike randomUUID, works on plain http too. */
export function newKey(): string {
	const b = new Uint8Array(16);
	crypto.getRandomValues(b);
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	const h = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
	return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}
