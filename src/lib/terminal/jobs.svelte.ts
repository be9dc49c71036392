import { liveFeed } from '$lib/live/live.svelte';
import type { LiveEvent } from '$lib/live/feed';
import { jobState } from '$lib/domain/step-progress';
import type { StepStatus } from '$lib/domain/statuses';
import type { TerminalJob } from '$lib/server/services/terminal-jobs';

/** A job as the page holds it; times may be Date (page data) or ISO strings (API answers). */
export type Job = Omit<TerminalJob, 'runStartedAt' | 'startedAt'> & { runStartedAt: Date | string | null; startedAt: Date | string | null };
export interface JobsSnapshot {
	jobs: Job[];
	more: boolean;
	today: string;
	serverNow: number;
}

/**
 * The station's job list, kept current by live events only (no polling): a step event changes
 * its job at once, and any production change reads the list again shortly after, so jobs that
 * arrive, leave, or change their order or state follow. When the connection is lost the last
 * list stays on screen; `readAt` says how old it is.
 */
export class TerminalJobs {
	jobs: Job[] = $state([]);
	more = $state(false);
	readAt = $state(Date.now());
	failed = $state(false);
	/** The server's clock minus this device's, for timers that do not trust the device clock. */
	offset = $state(0);
	private today = '';
	private timer: ReturnType<typeof setTimeout> | undefined;
	private loading: Promise<void> | null = null;
	private again = false;

	constructor(data: JobsSnapshot) {
		this.set(data);
	}

	set(data: JobsSnapshot): void {
		this.jobs = data.jobs;
		this.more = data.more;
		this.today = data.today;
		this.offset = data.serverNow - Date.now();
		this.readAt = Date.now();
		this.failed = false;
	}

	/** Follows the stream from `cursor` (where the page's data was read); returns the stop function. */
	follow(cursor: string | null): () => void {
		const feed = liveFeed();
		const onEvents = (events: LiveEvent[]) => {
			for (const e of events) if (e.entity === 'work_order_step') this.patch(e);
			if (events.some((e) => e.topic === 'production' && e.entity !== 'device')) this.soon();
		};
		const offs = [feed.subscribe(onEvents), feed.onReset(() => this.soon())];
		if (cursor) void feed.since(cursor, onEvents);
		return () => {
			offs.forEach((off) => off());
			clearTimeout(this.timer);
		};
	}

	/** A step's newer state (an event's payload or an action's answer) over the job's. */
	put(step: { id: number; version: number; status: string; [k: string]: unknown }): void {
		const i = this.jobs.findIndex((j) => j.stepId === step.id);
		if (i < 0 || this.jobs[i].version >= step.version) return;
		const job = this.jobs[i];
		const pick = <K extends keyof Job>(k: K) => (k in step ? (step[k as string] as Job[K]) : job[k]);
		const status = step.status as StepStatus;
		const next: Job = {
			...job,
			status,
			version: step.version,
			workedSeconds: pick('workedSeconds'),
			runStartedAt: pick('runStartedAt'),
			startedAt: pick('startedAt'),
			operatorName: pick('operatorName'),
			problem: pick('problem')
		};
		this.jobs[i] = { ...next, state: jobState({ ...next, openAndon: status === 'blocked', today: this.today }) };
	}

	/** A job found by its card beyond the list's end: shown until the next read. */
	include(job: Job): void {
		if (!this.jobs.some((j) => j.stepId === job.stepId)) this.jobs = [job, ...this.jobs];
	}

	/** Reads the list again now; overlapping calls make one more read, not many. */
	async refresh(): Promise<void> {
		if (this.loading) {
			this.again = true;
			return this.loading;
		}
		this.loading = (async () => {
			try {
				const res = await fetch('/api/v1/terminal/jobs');
				if (!res.ok) throw new Error(String(res.status));
				this.set(await res.json());
			} catch {
				this.failed = true;
			}
		})();
		await this.loading;
		this.loading = null;
		if (this.again) {
			this.again = false;
			await this.refresh();
		}
	}

	/** A read shortly after a burst of events, once for the burst. */
	soon(delayMs = 300): void {
		clearTimeout(this.timer);
		this.timer = setTimeout(() => void this.refresh(), delayMs);
	}

	private patch(e: LiveEvent): void {
		this.put({ ...(e.payload as Record<string, unknown>), id: e.entityId, version: e.version, status: String(e.payload.status) });
	}
}
