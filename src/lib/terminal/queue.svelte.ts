import { ActionQueue, type Answer, type Attention, type QueuedAction } from './queue';

/**
 * The terminal's outbox as rune state for the page. Created by the page (never at module level,
 * which concurrent server renders would share); tries again at once when the browser says it
 * is back online, and whenever the page calls kick() (socket reconnected, worker signed in).
 */
export class TerminalQueue {
	pending: QueuedAction[] = $state([]);
	attention: Attention[] = $state([]);
	sending = $state(false);
	needsSignIn = $state(false);
	failures = $state(0);
	private readonly queue: ActionQueue;
	private readonly off: () => void;
	private readonly online = () => this.queue.kick();

	constructor(deviceId: number, onAnswer: (a: QueuedAction, answer: Answer) => void) {
		this.queue = new ActionQueue({
			storage: localStorage,
			storageKey: `terminal-queue:${deviceId}`,
			fetch: (url, init) => fetch(url, init),
			online: () => navigator.onLine,
			onAnswer
		});
		this.off = this.queue.subscribe((s) => {
			this.pending = s.pending;
			this.attention = s.attention;
			this.sending = s.sending;
			this.needsSignIn = s.needsSignIn;
			this.failures = s.failures;
		});
		addEventListener('online', this.online);
		this.queue.kick();
	}

	enqueue(a: Omit<QueuedAction, 'key' | 'occurredAt'>): string {
		return this.queue.enqueue(a);
	}
	dismiss(key: string): void {
		this.queue.dismiss(key);
	}
	kick(): void {
		this.queue.kick();
	}
	/** The presses still waiting for a step, in order. */
	for(stepId: number): QueuedAction[] {
		return this.pending.filter((p) => p.stepId === stepId);
	}
	destroy(): void {
		removeEventListener('online', this.online);
		this.off();
		this.queue.destroy();
	}
}
