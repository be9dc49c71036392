import type { Db } from '../db';
import { currentCursor, eventsSince, type Batch } from './stream';

/** Even with no wake-up (a lost notification, a dropped listener), new events go out within this. */
const SAFETY_INTERVAL_MS = 1000;
const RETRY_MS = 1000;

/**
 * Each app process follows the event table from its own cursor and hands every batch of
 * newly committed events to `deliver`, which pushes them to this process's sockets. A commit
 * here or on another node wakes it at once; a timer wakes it anyway, so a missed wake-up delays
 * events by a second at most and loses none. Wake-ups that arrive during a read and its
 * delivery coalesce into one more read.
 */
export class EventTail {
	private cursor: string | null = null;
	private reading = false;
	private again = false;
	private timer: NodeJS.Timeout | undefined;
	private stopped = false;

	constructor(
		private readonly db: Db,
		private readonly deliver: (batch: Batch) => void | Promise<void>,
		private readonly onError: (e: unknown) => void = (e) => console.error('[elevator-ops] event tail', e)
	) {}

	async start(): Promise<void> {
		this.cursor = await currentCursor(this.db);
		this.timer = setInterval(() => this.wake(), SAFETY_INTERVAL_MS);
		this.timer.unref();
	}

	/** The latest position delivered: every event before it has gone to this process's sockets. */
	get position(): string | null {
		return this.cursor;
	}

	wake(): void {
		if (this.stopped || this.cursor === null) return;
		if (this.reading) {
			this.again = true;
			return;
		}
		this.reading = true;
		void this.read();
	}

	private async read(): Promise<void> {
		try {
			do {
				this.again = false;
				const batch = await eventsSince(this.db, this.cursor!);
				if (this.stopped) return;
				// Moved on only once the batch is out: a failed delivery is read and sent again
				// (clients drop what they already have), and heartbeats never run ahead of it.
				if (batch.events.length) await this.deliver(batch);
				this.cursor = batch.cursor;
			} while (this.again && !this.stopped);
		} catch (e) {
			if (!this.stopped) {
				this.onError(e);
				await new Promise((r) => setTimeout(r, RETRY_MS));
			}
		} finally {
			this.reading = false;
		}
	}

	stop(): void {
		this.stopped = true;
		clearInterval(this.timer);
	}
}
