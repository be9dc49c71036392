import { m } from '$lib/paraglide/messages';

/**
 * The label of a status, priority, kind or role value in the current language, from the
 * messages named `<list>_<value>` (e.g. order_in_approval); an unknown value shows as is.
 */
export type LabelList =
	| 'order'
	| 'priority'
	| 'unit'
	| 'step'
	| 'wo'
	| 'wstep'
	| 'inst'
	| 'stage'
	/** production stages (PRODUCTION_STAGES) */
	| 'pstage'
	| 'ticket'
	| 'tkind'
	| 'tprio'
	| 'invoice'
	| 'ckind'
	| 'icat'
	| 'role'
	| 'door'
	| 'decision';

const messages = m as unknown as Record<string, (() => string) | undefined>;

export function label(list: LabelList, value: string | null | undefined): string {
	if (!value) return '—';
	return messages[`${list}_${value}`]?.() ?? value;
}

/** The badge colour of a status value. */
export function tone(value: string | null | undefined): 'ok' | 'warn' | 'bad' | 'info' | '' {
	switch (value) {
		case 'approved':
		case 'done':
		case 'handed_over':
		case 'closed':
		case 'resolved':
		case 'paid':
		case 'produced':
		case 'installed':
			return 'ok';
		case 'in_approval':
		case 'submitted':
		case 'pending':
		case 'paused':
		case 'partially_paid':
		case 'urgent':
		case 'high':
		case 'unassigned':
			return 'warn';
		case 'rejected':
		case 'cancelled':
		case 'blocked':
		case 'trapped':
		case 'void':
			return 'bad';
		case 'in_production':
		case 'in_progress':
		case 'installing':
		case 'assigned':
		case 'en_route':
		case 'on_site':
		case 'shipped':
			return 'info';
		default:
			return '';
	}
}

/** A timeline entry's text: the event type's label, with the old and new status when it has them. */
export function eventLabel(type: string, payload: unknown): string {
	const name = messages[`event_${type.replace(/\./g, '_')}`]?.() ?? type;
	const p = (payload ?? {}) as { from?: string; to?: string };
	return type.endsWith('status_changed') && p.to
		? `${name}: ${label('order', p.from)} → ${label('order', p.to)}`
		: name;
}
