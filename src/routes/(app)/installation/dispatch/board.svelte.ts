import type { LiveEvent } from '$lib/live/feed';
import type { BoardCrew, BoardJob, BoardTicket, DispatchBoard } from '$lib/server/services/dispatch-board';

/**
 * The map's rows as rune state, kept current by live events. A job or ticket event carries the
 * record's whole state, so it is applied to its row in place (a new object for that row only,
 * which is how the map knows to redraw just its marker). What cannot be applied here — a record
 * the board does not hold yet, a filter the change may move it out of, another kind of event —
 * asks for the board to be read again (`reload`), which the page debounces.
 */
const CLOSED_JOB = new Set(['handed_over', 'cancelled']);
const JOB_FIELDS = [
	'status',
	'stage',
	'priority',
	'crewId',
	'crewName',
	'plannedStart',
	'plannedEnd',
	'lat',
	'lng',
	'changeFlag'
] as const;
const TICKET_FIELDS = [
	'status',
	'priority',
	'technicianId',
	'technicianName',
	'crewId',
	'respondBy',
	'plannedOn'
] as const;

/** The latest stage report an installer sent for a job while this page was open. */
export interface LiveReport {
	stage: string | null;
	problem: string | null;
	at: string;
}

/** What the panel says after a command: done, or why not. */
export interface Note {
	tone: 'ok' | 'error';
	text: string;
}

export interface ApplyResult {
	changed: boolean;
	reload: boolean;
	timeline: boolean;
}

function patch<T extends { version: number }>(
	row: T,
	payload: Record<string, unknown>,
	fields: readonly string[],
	version: number
): T {
	const next: Record<string, unknown> = { ...row, version };
	for (const f of fields) if (f in payload) next[f] = payload[f];
	return next as T;
}

export class BoardState {
	jobs: BoardJob[] = $state.raw([]);
	tickets: BoardTicket[] = $state.raw([]);
	visits: BoardTicket[] = $state.raw([]);
	crews: BoardCrew[] = $state.raw([]);
	truncated = $state.raw({ jobs: false, tickets: false, visits: false });
	reports: Record<number, LiveReport> = $state({});
	/** True when the board was read with filters a change may move a row out of. */
	filtered = false;

	constructor(board: DispatchBoard | null = null) {
		if (board) this.set(board);
	}

	/**
	 * A fresh read; rows whose version did not move keep their object (and so their marker), and
	 * a row an event moved on while the read was under way keeps that newer state.
	 */
	set(board: DispatchBoard): void {
		const keep = <T extends { id: number; version: number }>(old: T[], next: T[]) => {
			const byId = new Map(old.map((r) => [r.id, r]));
			return next.map((r) => {
				const o = byId.get(r.id);
				return o && o.version >= r.version ? o : r;
			});
		};
		this.jobs = keep(this.jobs, board.jobs);
		this.tickets = keep(this.tickets, board.tickets);
		this.visits = keep(this.visits, board.visits);
		this.crews = keep(this.crews, board.crews);
		this.truncated = board.truncated;
		const q = board.query;
		this.filtered = !!(q.status || q.priority || q.crewId || q.from || q.to || q.q);
	}

	job(id: number): BoardJob | undefined {
		return this.jobs.find((j) => j.id === id);
	}

	/** A write's own answer (assign, unassign) applied like an event. */
	putJob(id: number, state: Record<string, unknown> & { version: number }): boolean {
		const i = this.jobs.findIndex((j) => j.id === id);
		if (i < 0 || this.jobs[i].version >= state.version) return false;
		const next = this.jobs.slice();
		// Events name the stage as the table does.
		const payload = 'currentStage' in state ? { ...state, stage: state.currentStage } : state;
		if (typeof state.status === 'string' && CLOSED_JOB.has(state.status)) next.splice(i, 1);
		else next[i] = patch(this.jobs[i], payload, JOB_FIELDS, state.version);
		this.jobs = next;
		return true;
	}

	apply(events: readonly LiveEvent[]): ApplyResult {
		const out: ApplyResult = { changed: false, reload: false, timeline: false };
		for (const e of events) {
			if (e.topic !== 'installation' && e.topic !== 'service') continue;
			if (e.entity === 'installation_job') {
				out.timeline = true;
				this.noteReport(e);
				const known = this.jobs.some((j) => j.id === e.entityId);
				if (known) out.changed = this.putJob(e.entityId, { ...e.payload, version: e.version }) || out.changed;
				else if (typeof e.payload.status === 'string' && !CLOSED_JOB.has(e.payload.status)) out.reload = true;
				if (this.filtered) out.reload = true;
			} else if (e.entity === 'service_ticket') {
				const hit = this.putTicket(e);
				out.changed = hit || out.changed;
				if (!hit || this.filtered) out.reload = true;
			} else {
				// Crews, plans and whatever else: read the board again.
				out.reload = true;
				out.timeline = true;
			}
		}
		return out;
	}

	private putTicket(e: LiveEvent): boolean {
		for (const list of ['tickets', 'visits'] as const) {
			const rows = this[list];
			const i = rows.findIndex((t) => t.id === e.entityId);
			if (i < 0) continue;
			if (rows[i].version >= e.version) return true;
			const next = rows.slice();
			if (e.payload.status === 'closed') next.splice(i, 1);
			else next[i] = patch(rows[i], e.payload, TICKET_FIELDS, e.version);
			this[list] = next;
			return true;
		}
		return false;
	}

	/** Stage reports and problems from the field, shown on the job until the page is left. */
	private noteReport(e: LiveEvent): void {
		if (e.type !== 'installation_job.progress' && e.type !== 'installation_job.problem') return;
		const p = (e.payload.progress ?? {}) as { stage?: string; problem?: string | null };
		this.reports[e.entityId] = {
			stage: p.stage ?? (e.payload.currentStage as string | null) ?? null,
			problem: p.problem ?? null,
			at: e.at
		};
	}
}
