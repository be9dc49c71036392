import { m } from '$lib/paraglide/messages';
import { date } from '$lib/format';
import { eventLabel, label } from '$lib/labels';
import type { LifeEntry, LifeKind } from '$lib/server/services/unit-history-entries';

type Locale = 'zh-CN' | 'en';
const messages = m as unknown as Record<string, (() => string) | undefined>;

/** The filter chips: a few parts of a unit's life, each a set of entry kinds. */
export const GROUPS = {
	order: ['order', 'shipping'],
	production: ['production'],
	installation: ['installation', 'inspection', 'handover'],
	service: ['ticket', 'visit', 'part']
} as const satisfies Record<string, readonly LifeKind[]>;
export type Group = keyof typeof GROUPS;

export const groupLabel = (g: Group | 'all') =>
	({
		all: m.unit_filter_all,
		order: m.unit_filter_order,
		production: m.unit_filter_production,
		installation: m.unit_filter_installation,
		service: m.unit_filter_service
	})[g]();

export const kindLabel = (k: LifeKind) =>
	({
		order: m.unit_kind_order,
		shipping: m.unit_kind_shipping,
		production: m.unit_kind_production,
		installation: m.unit_kind_installation,
		inspection: m.unit_kind_inspection,
		handover: m.unit_kind_handover,
		ticket: m.unit_kind_ticket,
		visit: m.unit_kind_visit,
		part: m.unit_kind_part
	})[k]();

/** An event's own label when there is one, else the status it reached, else its type. */
function eventTitle(
	type: string,
	payload: { from?: string | null; to?: string | null; status?: string | null },
	list: 'order' | 'unit'
) {
	if (messages[`event_${type.replace(/\./g, '_')}`]) return eventLabel(type, payload);
	const status = payload.to ?? payload.status;
	if (status)
		return list === 'order'
			? m.unit_life_order_status({ status: label('order', status) })
			: m.unit_life_unit_status({ status: label('unit', status) });
	return type;
}

/** The entry's headline in the reader's language. */
export function entryTitle(e: LifeEntry, locale: Locale): string {
	switch (e.source) {
		case 'order':
			return eventTitle(e.type, e, 'order');
		case 'unit':
			return eventTitle(e.type, e, 'unit');
		case 'production': {
			const number = e.workOrder?.number ?? '';
			if (e.what === 'wo_created') return m.unit_life_wo_created({ number, due: date(e.dueDate, locale) });
			if (e.what === 'wo_started') return m.unit_life_wo_started({ number });
			if (e.what === 'wo_done') return m.unit_life_wo_done({ number });
			if (e.what === 'step_done')
				return m.unit_life_step_done({
					stage: label('pstage', e.stage),
					centre: (locale === 'en' ? e.workCentreEn : e.workCentre) ?? ''
				});
			return eventLabel(e.type ?? '', {});
		}
		case 'installation': {
			const stage = label('stage', e.stage);
			switch (e.what) {
				case 'job_created':
					return m.unit_life_job_created({ number: e.job?.number ?? '' });
				case 'job_assigned':
					return m.unit_life_job_assigned({ crew: e.crew ?? '—' });
				case 'job_unassigned':
					return m.unit_life_job_unassigned();
				case 'job_flagged':
					return m.unit_life_job_flagged();
				case 'progress':
					return m.unit_life_progress({ stage, percent: e.percent ?? 0 });
				case 'photo':
					return m.unit_life_photo({ stage });
				case 'handed_over':
					return m.unit_life_handed_over();
			}
			return '';
		}
		case 'service':
			return e.kind === 'visit'
				? m.unit_life_visit({ number: e.ticket.number })
				: `${label('tkind', e.ticket.kind)} ${e.ticket.number}`;
		case 'part': {
			const p = e.part;
			const name = (locale === 'en' ? p.nameEn : null) ?? p.name;
			return m.unit_life_part({ sku: p.sku, name, qty: p.qty, uom: p.uom });
		}
	}
}
