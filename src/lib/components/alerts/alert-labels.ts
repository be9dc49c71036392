import { m } from '$lib/paraglide/messages';

/** The labels of alert kinds, statuses and andon reasons in the current language (messages alert_kind_…, alert_status_…, alert_reason_…). */
const messages = m as unknown as Record<string, (() => string) | undefined>;
const labelOf = (list: string) => (value: string | null | undefined) =>
	value ? (messages[`${list}_${value}`]?.() ?? value) : '';

export const alertKindLabel = labelOf('alert_kind');
export const alertStatusLabel = labelOf('alert_status');
export const alertReasonLabel = labelOf('alert_reason');

/** Minutes since a moment, for "open for 12 min". */
export const minutesSince = (at: string | Date, now: Date) =>
	Math.max(0, Math.floor((now.getTime() - new Date(at).getTime()) / 60_000));
