import type { TicketPriority, TicketStatus } from './statuses';

/**
 * Service tickets' response-time rules and status flow: pure, shared by the services, the seed
 * and the browser (the live countdown uses the same rule the server stores respond_by with).
 */

/** Response-time targets in hours: how soon a technician must be on site. A trapped passenger comes first. */
export const RESPONSE_HOURS: Record<TicketPriority, number> = {
	trapped: 0.5,
	urgent: 2,
	high: 4,
	normal: 24,
	low: 72
};

const HOUR_MS = 3_600_000;
/** A ticket is "due soon" with less than this share of its window left… */
export const DUE_SOON_SHARE = 0.25;
/** …or less than this much time, whichever is more. */
export const DUE_SOON_MS = 30 * 60_000;

export const respondByFor = (createdAt: Date, priority: TicketPriority): Date =>
	new Date(createdAt.getTime() + RESPONSE_HOURS[priority] * HOUR_MS);

/** China has one time zone and no daylight saving: a day there starts at 00:00 +08:00. */
export const chinaDayStart = (day: string): Date => new Date(`${day}T00:00:00+08:00`);
/** A planned visit must be done by the end of its day in China. */
export const chinaDayEnd = (day: string): Date => new Date(`${day}T23:59:59+08:00`);

export type SlaState = 'met' | 'missed' | 'due_soon' | 'on_time';

export interface SlaTicket {
	respondBy: Date | string;
	createdAt: Date | string;
	/** When the technician got there; a ticket closed without a visit counts from its resolution. */
	arrivedAt?: Date | string | null;
	resolvedAt?: Date | string | null;
	/** A planned visit's day: its window is that day, not the time since it was generated. */
	plannedOn?: string | null;
}

export interface Sla {
	state: SlaState;
	/** Until respond_by (negative once past); for an arrived ticket the margin it arrived with. */
	remainingMs: number;
	/** The length of the response window, for progress bars. */
	windowMs: number;
}

const ms = (d: Date | string) => (typeof d === 'string' ? Date.parse(d) : d.getTime());

/** Where a ticket stands against its response target at `now`. */
export function slaOf(t: SlaTicket, now: Date | number): Sla {
	const due = ms(t.respondBy);
	const start = t.plannedOn ? chinaDayStart(t.plannedOn).getTime() : ms(t.createdAt);
	const windowMs = Math.max(0, due - start);
	const reached = t.arrivedAt ?? t.resolvedAt ?? null;
	if (reached) {
		const margin = due - ms(reached);
		return { state: margin >= 0 ? 'met' : 'missed', remainingMs: margin, windowMs };
	}
	const remainingMs = due - (typeof now === 'number' ? now : now.getTime());
	if (remainingMs < 0) return { state: 'missed', remainingMs, windowMs };
	if (remainingMs < Math.max(DUE_SOON_SHARE * windowMs, DUE_SOON_MS))
		return { state: 'due_soon', remainingMs, windowMs };
	return { state: 'on_time', remainingMs, windowMs };
}

/** "1:05:09", "12:00", "3 d 4:00:00": a countdown's text, sign left to the caller. */
export function countdownText(remainingMs: number): string {
	const total = Math.floor(Math.abs(remainingMs) / 1000);
	const d = Math.floor(total / 86_400);
	const h = Math.floor((total % 86_400) / 3600);
	const m = Math.floor((total % 3600) / 60);
	const s = total % 60;
	const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
	const hms = h > 0 || d > 0 ? `${d > 0 ? String(h).padStart(2, '0') : h}:${mmss}` : mmss;
	return d > 0 ? `${d} d ${hms}` : hms;
}

/**
 * The status flow. 'assigned' is reached only by assigning a technician (tickets-assign), never
 * by a status change; a technician may go straight on site without saying they set off.
 */
export const TICKET_FLOW: Record<TicketStatus, readonly TicketStatus[]> = {
	new: ['assigned'],
	assigned: ['en_route', 'on_site'],
	en_route: ['on_site'],
	on_site: ['resolved'],
	resolved: ['closed'],
	closed: []
};

export const canMove = (from: TicketStatus, to: TicketStatus): boolean => TICKET_FLOW[from].includes(to);

/** Statuses a technician is still working in: they count towards the technician's load. */
export const WORKING_STATUSES = [
	'assigned',
	'en_route',
	'on_site'
] as const satisfies readonly TicketStatus[];
/** Open: not resolved or closed yet. */
export const isOpen = (s: TicketStatus): boolean => s !== 'resolved' && s !== 'closed';
/** A ticket can be (re)assigned until the technician is on site. */
export const canReassign = (s: TicketStatus): boolean => s === 'new' || s === 'assigned' || s === 'en_route';
/** Parts can be added, issued or dropped until the ticket is closed. */
export const partsEditable = (s: TicketStatus): boolean => s !== 'closed';
