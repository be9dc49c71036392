/**
 * An outbox of commands that must reach the server exactly once, in order, whatever the
 * network does: what the shop-floor terminal and the installer's phone both need. Free of
 * Svelte so unit tests drive the very same code. Every item is stored (localStorage: a reload
 * or a crash loses nothing) under an idempotency key made here, and sent strictly in order, one
 * at a time. A network failure (no connection, a 5xx, a timeout) keeps it and tries again with
 * backoff, and at once on kick() (the browser is back online, the live socket reconnected,
 * someone signed in); the server applies each key once, so sending twice is harmless. An
 * answer, applied or refused, removes it; a refusal is kept in a "needs attention" list until
 * the person has read it: a conflict is shown, never swallowed.
 */
export interface OutboxAnswer {
	outcome: 'applied' | 'refused';
	message: string;
}

export interface OutboxState<I, T> {
	pending: I[];
	attention: T[];
	/** A request is on its way. */
	sending: boolean;
	/** Nobody may send now (signed out, a shift ended): everything waits for a sign-in. */
	needsSignIn: boolean;
	/** Failed tries in a row (0 when the last one got an answer). */
	failures: number;
}

export interface OutboxOptions<I, A> {
	storage: Pick<Storage, 'getItem' | 'setItem'>;
	storageKey: string;
	fetch: (url: string, init: RequestInit) => Promise<Response>;
	url?: string;
	online?: () => boolean;
	now?: () => number;
	/** Milliseconds to wait after the n-th failure in a row. */
	backoff?: (failures: number) => number;
	/** Each answer as it arrives, for the screen to follow the server. */
	onAnswer?: (item: I, answer: A) => void;
}

export type Sent<A> = { kind: 'answer'; answer: A } | { kind: 'retry' } | { kind: 'sign_in' };

const defaultBackoff = (n: number) =>
	Math.min(30_000, 1000 * 2 ** Math.max(0, n - 1)) * (0.75 + Math.random() * 0.5);

export abstract class Outbox<I extends { key: string }, A extends OutboxAnswer, T extends { key: string }> {
	protected pending: I[] = [];
	private attention: T[] = [];
	private sending = false;
	private needsSignIn = false;
	private failures = 0;
	private running: Promise<void> | null = null;
	private rerun = false;
	private timer: ReturnType<typeof setTimeout> | undefined;
	private destroyed = false;
	private readonly listeners = new Set<(s: OutboxState<I, T>) => void>();

	constructor(protected readonly o: OutboxOptions<I, A>) {
		try {
			const saved = JSON.parse(o.storage.getItem(o.storageKey) ?? 'null');
			if (Array.isArray(saved?.pending)) this.pending = saved.pending;
			if (Array.isArray(saved?.attention)) this.attention = saved.attention;
		} catch {
			// An unreadable store is an empty one; the server still has every item it answered.
		}
	}

	/** Sends one item; the subclass knows its request. */
	protected abstract send(item: I): Promise<Sent<A>>;
	/** What the "needs attention" list keeps of a refused item. */
	protected abstract attentionOf(item: I, answer: A): T;
	/** After an answer, before onAnswer: e.g. drop what was kept beside the item. */
	protected async settled(_item: I): Promise<void> {}

	get state(): OutboxState<I, T> {
		return {
			pending: [...this.pending],
			attention: [...this.attention],
			sending: this.sending,
			needsSignIn: this.needsSignIn,
			failures: this.failures
		};
	}

	subscribe(fn: (s: OutboxState<I, T>) => void): () => void {
		this.listeners.add(fn);
		fn(this.state);
		return () => this.listeners.delete(fn);
	}

	/** Try now: the network or the socket is back, or someone signed in. */
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

	/** Adds an item at the end and starts sending. */
	protected add(item: I): void {
		this.pending.push(item);
		this.changed();
		void this.flush();
	}

	protected now(): number {
		return this.o.now?.() ?? Date.now();
	}

	/** One POST, its answer sorted: retry (network, 429, 5xx, not the server's page), sign in, or an answer. */
	protected async post(
		url: string,
		init: RequestInit,
		timeoutMs: number,
		invalid: (message: string) => A
	): Promise<Sent<A>> {
		const abort = new AbortController();
		const timeout = setTimeout(() => abort.abort(), timeoutMs);
		let res: Response;
		try {
			res = await this.o.fetch(this.o.url ?? url, { ...init, method: 'POST', signal: abort.signal });
		} catch {
			return { kind: 'retry' };
		} finally {
			clearTimeout(timeout);
		}
		if (res.status === 401 || res.status === 403) return { kind: 'sign_in' };
		if (res.status === 429 || res.status >= 500) return { kind: 'retry' };
		let json: unknown = null;
		try {
			json = await res.json();
		} catch {
			// A proxy's page instead of the server's answer: only a plain "too large" is final.
			if (res.status !== 413) return { kind: 'retry' };
		}
		if (res.ok) return { kind: 'answer', answer: json as A };
		// The server read it and will never take it (malformed, too large): as good as refused.
		const message =
			(json as { error?: { message?: string } } | null)?.error?.message ?? `${res.status} ${res.statusText}`;
		return { kind: 'answer', answer: invalid(message) };
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
			if (sent.answer.outcome === 'refused') this.attention.push(this.attentionOf(head, sent.answer));
			this.changed();
			await this.settled(head).catch(() => {});
			this.o.onAnswer?.(head, sent.answer);
		}
		this.changed();
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

	private changed(): void {
		try {
			this.o.storage.setItem(
				this.o.storageKey,
				JSON.stringify({ pending: this.pending, attention: this.attention })
			);
		} catch {
			// A full store: the items stay in memory and are still sent.
		}
		const s = this.state;
		for (const fn of this.listeners) fn(s);
	}
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
