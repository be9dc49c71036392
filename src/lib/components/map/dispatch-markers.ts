/**
 * What DispatchMap draws: a marker is a plain description (place, shape, colours, text), so the
 * map can tell a changed marker from an unchanged one by identity and redraw only that one.
 * Shapes are CSS boxes in a Leaflet divIcon (circle, diamond, square, rounded square): no image
 * files, so markers show when no tile or icon can be fetched.
 */
export type MarkerShape = 'circle' | 'diamond' | 'square' | 'visit';

export interface DispatchMarker {
	/** Unique across kinds: `j:12` job, `t:5` ticket, `v:7` visit, `c:3` crew. */
	key: string;
	lat: number;
	lng: number;
	shape: MarkerShape;
	/** Fill colour. */
	color: string;
	/** A darker ring for what needs attention (urgent, full crew). */
	ring?: string;
	/** The hover title and accessible name. */
	title: string;
	/** A letter or number drawn inside (crews). */
	text?: string;
	/** For the cluster's colour: the worst marker inside decides it (see clusterTone). */
	severity: number;
	/** Jobs a dispatcher may drag onto a crew. */
	draggable?: boolean;
	/** Shown with a small badge: another dispatcher has it open. */
	watched?: boolean;
}

/** Install jobs by status. */
export const JOB_COLORS: Record<string, string> = {
	unassigned: '#e8590c',
	assigned: '#1971c2',
	in_progress: '#2f9e44',
	inspection: '#7048e8'
};
/** Service tickets by priority: trapped passengers in red. */
export const TICKET_COLORS: Record<string, string> = {
	trapped: '#c92a2a',
	urgent: '#e8590c',
	high: '#f08c00',
	normal: '#1098ad',
	low: '#868e96'
};
export const VISIT_COLOR = '#0ca678';
export const CREW_COLOR = '#343a40';
export const URGENT_RING = '#a61e4d';
export const FULL_RING = '#c92a2a';

export const keyOf = (kind: 'j' | 't' | 'v' | 'c', id: number) => `${kind}:${id}`;
export function parseKey(key: string): { kind: string; id: number } {
	const [kind, id] = key.split(':');
	return { kind, id: Number(id) };
}

/** Cluster colour from the worst marker inside: 3+ red, 2 orange, else blue. */
export function clusterTone(severity: number): 'bad' | 'warn' | 'info' {
	return severity >= 3 ? 'bad' : severity >= 2 ? 'warn' : 'info';
}

const escape = (s: string) =>
	s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** The marker's HTML inside its divIcon; `selected` draws it larger with a halo. */
export function markerHtml(mk: DispatchMarker, selected: boolean): string {
	const style = `background:${mk.color};${mk.ring ? `box-shadow:0 0 0 3px ${mk.ring};` : ''}`;
	const cls = `dm-shape dm-${mk.shape}${selected ? ' dm-selected' : ''}`;
	const text = mk.text ? `<b>${escape(mk.text)}</b>` : '';
	const badge = mk.watched ? '<i class="dm-watched" aria-hidden="true"></i>' : '';
	return `<span class="${cls}" style="${style}" data-key="${mk.key}">${text}</span>${badge}`;
}

/** The icon box size per shape (crews are larger: they are drop targets). */
export function markerSize(mk: DispatchMarker, selected: boolean): number {
	const base = mk.shape === 'square' ? 26 : mk.shape === 'visit' ? 14 : 18;
	return selected ? base + 8 : base;
}
