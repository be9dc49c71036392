import { tick } from 'svelte';
import { m } from '$lib/paraglide/messages';
import type { LiveEvent } from '$lib/live/feed';
import type { DispatchBoard } from '$lib/server/services/dispatch-board';
import type { BoardState, Note } from './board.svelte';
import type { Timeline } from './CrewTimeline.svelte';

/**
 * What the dispatcher does on the map, talking to the API: assign and unassign (the answer
 * applied at once, a refusal shown in the panel without losing the selection), the crews'
 * timeline, and the debounced re-reads that live events ask for. One per page.
 */
const RELOAD_MS = 700;
const TIMELINE_MS = 500;
const TIMELINE_DAYS = 14;

type ApiError = {
	error?: { code?: string; message?: string; current?: Record<string, unknown> & { version: number } };
};

export class Dispatcher {
	busy = $state(false);
	note: Note | null = $state(null);
	/** A read that failed (the map keeps what it had). */
	error: string | null = $state(null);
	/** Why the filters in the link were refused. */
	filterError: string | null = $state(null);
	/** True once the board has been read. */
	loaded = $state(false);
	/** The stream position of the first read: the live feed catches up from there. */
	cursor: string | null = $state(null);
	timeline: Timeline | null = $state.raw(null);
	timelineError: string | null = $state(null);
	private reloadTimer: ReturnType<typeof setTimeout> | undefined;
	private timelineTimer: ReturnType<typeof setTimeout> | undefined;
	private company: string | null = null;
	private reading: AbortController | null = null;

	constructor(
		private readonly board: BoardState,
		/** The page's query string: a re-read uses the same filters. */
		private readonly search: () => string
	) {}

	onEvents(events: LiveEvent[]): void {
		const t0 = performance.now();
		const r = this.board.apply(events);
		if (r.changed)
			// How long a batch takes to reach the map (markers and clusters redrawn), and to the
			// next painted frame: bench/dispatch-map.ts reads these measures.
			void tick().then(() => {
				performance.measure('dmap:apply', { start: t0, end: performance.now() });
				requestAnimationFrame(() =>
					setTimeout(() => performance.measure('dmap:paint', { start: t0, end: performance.now() }))
				);
			});
		if (r.reload) this.later('reload');
		if (r.timeline) this.later('timeline');
	}

	private later(what: 'reload' | 'timeline'): void {
		if (what === 'reload') {
			clearTimeout(this.reloadTimer);
			this.reloadTimer = setTimeout(() => void this.reload(), RELOAD_MS);
		} else {
			clearTimeout(this.timelineTimer);
			this.timelineTimer = setTimeout(() => void this.loadTimeline(this.company), TIMELINE_MS);
		}
	}

	reload(): Promise<void> {
		return this.load(this.search());
	}

	/**
	 * Reads the board for the filters in `search`. Malformed filters (a hand-edited link) are
	 * named in `filterError` and the whole board is shown instead.
	 */
	async load(search: string): Promise<void> {
		this.reading?.abort();
		const ctl = (this.reading = new AbortController());
		try {
			const res = await fetch(`/api/v1/installation/board${search}`, { signal: ctl.signal });
			const body = await res.json();
			if (res.status === 400 && search) {
				this.filterError = (body as ApiError).error?.message ?? res.statusText;
				return this.load('');
			}
			if (!res.ok) throw new Error((body as ApiError).error?.message ?? res.statusText);
			const read = body as DispatchBoard;
			this.board.set(read);
			this.cursor ??= read.cursor;
			if (search) this.filterError = null;
			this.loaded = true;
			this.error = null;
		} catch (e) {
			if ((e as Error).name !== 'AbortError')
				this.error = m.dmap_refresh_failed({ reason: (e as Error).message });
		}
	}

	async loadTimeline(company: string | null): Promise<void> {
		this.company = company;
		const q = new URLSearchParams({ days: String(TIMELINE_DAYS) });
		if (company) q.set('companyId', company);
		try {
			const res = await fetch(`/api/v1/crews/timeline?${q}`);
			const body = await res.json();
			if (!res.ok) throw new Error((body as ApiError).error?.message ?? res.statusText);
			this.timeline = body as Timeline;
			this.timelineError = null;
		} catch (e) {
			this.timelineError = m.dmap_refresh_failed({ reason: (e as Error).message });
		}
	}

	/** The crew's booked sites today, for its marker (a full crew is ringed in red). */
	loadToday(crewId: number): number | undefined {
		return this.timeline?.crews.find((c) => c.id === crewId)?.load[0];
	}

	focusCrew(crewId: number): void {
		document
			.querySelector(`[data-testid=dispatch-crew][data-crew="${crewId}"]`)
			?.scrollIntoView({ block: 'nearest' });
	}

	assign(jobId: number, crewId: number): Promise<void> {
		const job = this.board.job(jobId);
		if (!job) return Promise.resolve();
		if (job.crewId === crewId) {
			this.note = { tone: 'ok', text: m.dmap_already({ number: job.number }) };
			return Promise.resolve();
		}
		return this.command(jobId, 'assign', { crewId, version: job.version }, (state) =>
			m.dmap_assigned({ number: job.number, crew: String(state.crewName ?? '') })
		);
	}

	unassign(jobId: number): Promise<void> {
		const job = this.board.job(jobId);
		if (!job) return Promise.resolve();
		return this.command(jobId, 'unassign', { version: job.version }, () =>
			m.dmap_unassigned({ number: job.number })
		);
	}

	private async command(
		jobId: number,
		action: 'assign' | 'unassign',
		body: Record<string, unknown>,
		done: (state: Record<string, unknown>) => string
	): Promise<void> {
		if (this.busy) return;
		this.busy = true;
		this.note = null;
		try {
			const res = await fetch(`/api/v1/installation-jobs/${jobId}/${action}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify(body)
			});
			const answer = (await res.json().catch(() => ({}))) as ApiError & {
				job?: Record<string, unknown> & { version: number };
			};
			if (res.ok && answer.job) {
				this.board.putJob(jobId, answer.job);
				this.note = { tone: 'ok', text: done(answer.job) };
				this.later('timeline');
			} else if (res.status === 409) {
				// Someone else changed the job: show it as it is now, and say so.
				const current = answer.error?.current;
				if (current) {
					const crew = this.board.crews.find((c) => c.id === current.crewId);
					this.board.putJob(jobId, { ...current, crewName: crew?.name ?? null });
				}
				this.note = { tone: 'error', text: m.dmap_conflict() };
				this.later('reload');
			} else {
				this.note = { tone: 'error', text: answer.error?.message ?? m.dmap_failed({ status: res.status }) };
			}
		} catch {
			this.note = { tone: 'error', text: m.dmap_network() };
		} finally {
			this.busy = false;
		}
	}

	stop(): void {
		clearTimeout(this.reloadTimer);
		clearTimeout(this.timelineTimer);
		this.reading?.abort();
	}
}
