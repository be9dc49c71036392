/**
 * The unit page's timeline entries: plain data (codes, names, ISO times), no I/O, so the page
 * renders them in the reader's language and the JSON API answers the same shape. The rows become
 * entries in unit-history-rows.ts (order, production), -installation.ts and -service.ts.
 */

export const LIFE_KINDS = [
	'order',
	'shipping',
	'production',
	'installation',
	'inspection',
	'handover',
	'ticket',
	'visit',
	'part'
] as const;
export type LifeKind = (typeof LIFE_KINDS)[number];

interface Base {
	/** Unique within the timeline (source and row id). */
	key: string;
	/** Which part of the unit's life: the filter chips and the entry's colour. */
	kind: LifeKind;
	/** ISO moment the entry sorts by. */
	at: string;
	/** Set when only the day is known (a handover date, a planned visit): shown as a date. */
	day: string | null;
	/** Who did it, when known. */
	actor: string | null;
}

export interface OrderEntry extends Base {
	source: 'order';
	type: string;
	orderNumber: string;
	from: string | null;
	to: string | null;
	status: string | null;
	reason: string | null;
}

/** The unit's own status events (produced, shipped …), whoever wrote them. */
export interface UnitEntry extends Base {
	source: 'unit';
	type: string;
	status: string | null;
}

export interface ProductionEntry extends Base {
	source: 'production';
	what: 'wo_created' | 'wo_started' | 'wo_done' | 'wo_event' | 'step_done';
	type: string | null;
	workOrder: { id: number; number: string; status: string } | null;
	stage: string | null;
	workCentre: string | null;
	workCentreEn: string | null;
	status: string | null;
	dueDate: string | null;
	note: string | null;
}

export interface Photo {
	id: number;
	mime: string;
	size: number;
}

export interface InstallationEntry extends Base {
	source: 'installation';
	what:
		'job_created' | 'job_assigned' | 'job_unassigned' | 'job_flagged' | 'progress' | 'photo' | 'handed_over';
	job: { id: number; number: string; status: string } | null;
	crew: string | null;
	reason: string | null;
	stage: string | null;
	percent: number | null;
	note: string | null;
	problem: string | null;
	photos: Photo[];
	plannedStart: string | null;
	plannedEnd: string | null;
}

/** Whether the technician was on site by the priority's target: 'due' while the clock still runs. */
export type Response = 'met' | 'missed' | 'due' | null;

export interface TicketInfo {
	id: number;
	number: string;
	kind: string;
	priority: string;
	status: string;
	description: string;
	reportedBy: string | null;
	technician: string | null;
	crew: string | null;
	assignmentReason: string | null;
	respondBy: string;
	response: Response;
	assignedAt: string | null;
	enRouteAt: string | null;
	arrivedAt: string | null;
	resolvedAt: string | null;
	closedAt: string | null;
	resolution: string | null;
	rating: number | null;
	ratingComment: string | null;
	plannedOn: string | null;
	/** A generated maintenance visit whose day has not come yet. */
	upcoming: boolean;
}

export interface TicketEntry extends Base {
	source: 'service';
	ticket: TicketInfo;
}

export interface PartEntry extends Base {
	source: 'part';
	part: {
		id: number;
		ticketId: number;
		ticketNumber: string;
		sku: string;
		name: string;
		nameEn: string | null;
		uom: string;
		qty: number;
		warehouse: string | null;
		issued: boolean;
	};
}

export type LifeEntry =
	OrderEntry | UnitEntry | ProductionEntry | InstallationEntry | TicketEntry | PartEntry;

export const iso = (d: Date | string | null | undefined): string | null =>
	d === null || d === undefined ? null : new Date(d).toISOString();

/** A calendar day in China time at a given hour, as an ISO moment (days are China days here). */
export const chinaMoment = (day: string, hour: number) =>
	new Date(`${day}T${String(hour).padStart(2, '0')}:00:00+08:00`).toISOString();

/** Unit statuses after production map to the part of its life they belong to. */
export function kindOfUnitStatus(status: string | null | undefined): LifeKind {
	switch (status) {
		case 'shipped':
			return 'shipping';
		case 'installing':
		case 'installed':
			return 'installation';
		case 'handed_over':
		case 'in_service':
			return 'handover';
		default:
			return 'production';
	}
}

/** An installation stage's report belongs to inspection or handover for the last two stages. */
export const kindOfStage = (stage: string): LifeKind =>
	stage === 'inspection' ? 'inspection' : stage === 'handover' ? 'handover' : 'installation';

const CLOSED = new Set(['resolved', 'closed']);

/** Met when on site by the target; missed when late or still not there past it; due while it runs. */
export function responseOf(
	t: { status: string; respondBy: Date | string; arrivedAt: Date | string | null },
	now: Date
): Response {
	const by = new Date(t.respondBy).getTime();
	if (t.arrivedAt) return new Date(t.arrivedAt).getTime() <= by ? 'met' : 'missed';
	if (CLOSED.has(t.status)) return null; // closed without an arrival time: nothing to judge
	return now.getTime() > by ? 'missed' : 'due';
}

export const isOpenTicket = (status: string) => !CLOSED.has(status);

/** Oldest first; on the same moment the life's order of things (order before production …). */
export function sortEntries(entries: LifeEntry[]): LifeEntry[] {
	const rank = (k: LifeKind) => LIFE_KINDS.indexOf(k);
	return entries.sort(
		(a, b) => a.at.localeCompare(b.at) || rank(a.kind) - rank(b.kind) || a.key.localeCompare(b.key)
	);
}
