import { label } from '$lib/labels';
import {
	CREW_COLOR,
	FULL_RING,
	JOB_COLORS,
	TICKET_COLORS,
	URGENT_RING,
	VISIT_COLOR,
	keyOf,
	type DispatchMarker
} from '$lib/components/map/dispatch-markers';
import type { BoardCrew, BoardJob, BoardTicket } from '$lib/server/services/dispatch-board';

/**
 * Board rows as map markers, each cached on its row object: a row that did not change keeps
 * its marker object, and the map skips it without looking further. One cache per page (made
 * by `markerCache`), never shared between server renders.
 */
export function markerCache(draggable: boolean) {
	const cache = new WeakMap<object, DispatchMarker>();
	const memo = (row: object, make: () => DispatchMarker) => {
		let mk = cache.get(row);
		if (!mk) cache.set(row, (mk = make()));
		return mk;
	};
	return (jobs: BoardJob[], tickets: BoardTicket[], visits: BoardTicket[]): DispatchMarker[] => {
		const out: DispatchMarker[] = [];
		for (const j of jobs) if (has(j)) out.push(memo(j, () => jobMarker(j, draggable)));
		for (const t of tickets) if (has(t)) out.push(memo(t, () => ticketMarker(t, false)));
		for (const v of visits) if (has(v)) out.push(memo(v, () => ticketMarker(v, true)));
		return out;
	};
}

const has = (r: { lat: number | null; lng: number | null }) => r.lat !== null && r.lng !== null;

export function jobMarker(j: BoardJob, draggable: boolean): DispatchMarker {
	return {
		key: keyOf('j', j.id),
		lat: j.lat!,
		lng: j.lng!,
		shape: 'circle',
		color: JOB_COLORS[j.status] ?? '#868e96',
		ring: j.priority === 'urgent' ? URGENT_RING : undefined,
		title: `${j.number} · ${label('inst', j.status)} · ${j.city}${j.crewName ? ` · ${j.crewName}` : ''}`,
		severity: j.status === 'unassigned' ? (j.priority === 'urgent' ? 3 : 2) : 1,
		draggable
	};
}

export function ticketMarker(t: BoardTicket, visit: boolean): DispatchMarker {
	return {
		key: keyOf(visit ? 'v' : 't', t.id),
		lat: t.lat!,
		lng: t.lng!,
		shape: visit ? 'visit' : 'diamond',
		color: visit ? VISIT_COLOR : (TICKET_COLORS[t.priority] ?? '#868e96'),
		title: `${t.number} · ${label(visit ? 'tkind' : 'tprio', visit ? t.kind : t.priority)} · ${label('ticket', t.status)} · ${t.city ?? ''}`,
		severity: visit
			? 0
			: t.priority === 'trapped'
				? 4
				: t.priority === 'urgent'
					? 3
					: t.priority === 'high'
						? 2
						: 1
	};
}

/** Crews are few and change with their load: built fresh each time. */
export function crewMarker(c: BoardCrew, peak: number | undefined): DispatchMarker {
	const full = peak !== undefined && peak >= c.capacity;
	return {
		key: keyOf('c', c.id),
		lat: c.lat,
		lng: c.lng,
		shape: 'square',
		color: CREW_COLOR,
		ring: full ? FULL_RING : undefined,
		text: c.name.slice(0, 1),
		title: `${c.name} · ${c.baseCity}${peak !== undefined ? ` · ${peak}/${c.capacity}` : ''}`,
		severity: 0
	};
}
