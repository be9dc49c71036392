import { m } from '$lib/paraglide/messages';
import { number } from '$lib/format';
import { jobCardCode } from '../../domain/scan';
import { daysBetween } from '../../domain/days';
import type { Locale } from '../validate';
import type { JobCard } from './job-card-pdf';
import { drawQr } from './job-card-qr';
import { ALERT, BOTTOM, LEFT, MARGIN, MUTED, RIGHT, RULE, WIDTH, bold, hrule, labelled, longDate, regular, type Pen } from './layout';

const QR_SIZE = 118;
const DOORS = { center: m.door_center, side: m.door_side, telescopic: m.door_telescopic } as const;
const messages = m as unknown as Record<string, ((p: object, o: { locale: Locale }) => string) | undefined>;

/** A value list's label in the reader's language (`wo_done`, `priority_urgent`), or the value itself. */
export const labelOf = (list: string, value: string, locale: Locale) =>
	messages[`${list}_${value}`]?.({}, { locale }) ?? value;

function companyName(card: JobCard, locale: Locale): [string, string | null] {
	const en = card.companyNameEn?.trim() || null;
	return locale === 'en' && en ? [en, card.companyName] : [card.companyName, en];
}

/** Company and title over a double rule; then the number big, the QR code at the right. */
export function cardHeader(pen: Pen, card: JobCard): void {
	const o = { locale: pen.locale };
	const [name, other] = companyName(card, pen.locale);
	bold(pen, 12).text(name, LEFT, MARGIN, { width: WIDTH * 0.65 });
	if (other) regular(pen, 8.5, MUTED).text(other, LEFT, pen.doc.y, { width: WIDTH * 0.65 });
	const below = pen.doc.y;
	bold(pen, 15).text(m.card_title({}, o), LEFT + WIDTH * 0.65, MARGIN, { width: WIDTH * 0.35, align: 'right' });
	const y = Math.max(below, pen.doc.y) + 4;
	hrule(pen, y, 1.2);
	hrule(pen, y + 2.5, 0.5);
	pen.y = y + 12;

	const top = pen.y;
	const qrX = RIGHT - QR_SIZE;
	drawQr(pen.doc, jobCardCode(card.number), qrX, top, QR_SIZE);
	bold(pen, 9).text(card.number, qrX - 10, top + QR_SIZE + 2, { width: QR_SIZE + 20, align: 'center' });
	regular(pen, 7.5, MUTED).text(m.card_scan_hint({}, o), qrX - 10, pen.doc.y + 1, { width: QR_SIZE + 20, align: 'center' });
	const qrBottom = pen.doc.y;

	const w = qrX - LEFT - 16;
	regular(pen, 9, MUTED).text(m.card_work_order({}, o), LEFT, top, { width: w });
	bold(pen, 24).text(card.number, LEFT, pen.doc.y, { width: w });
	let y2 = pen.doc.y + 4;
	if (card.priority === 'urgent') {
		const text = m.card_urgent({}, o);
		bold(pen, 11);
		const tw = pen.doc.widthOfString(text) + 16;
		pen.doc.roundedRect(LEFT, y2, tw, 20, 3).fill(ALERT);
		bold(pen, 11, '#ffffff').text(text, LEFT + 8, y2 + 3, { width: tw - 16, lineBreak: false });
		regular(pen, 9.5).text(labelOf('wo', card.status, pen.locale), LEFT + tw + 10, y2 + 4, { width: w - tw - 10 });
		y2 += 26;
	} else {
		regular(pen, 9.5).text(labelled(pen.locale, m.card_status({}, o), labelOf('wo', card.status, pen.locale)), LEFT, y2, {
			width: w
		});
		y2 = pen.doc.y + 6;
	}
	if (card.changeFlag) {
		const text = m.card_change({ text: card.changeFlag }, o);
		bold(pen, 9.5);
		const h = pen.doc.heightOfString(text, { width: w - 12 }) + 10;
		pen.doc.rect(LEFT, y2, w, h).lineWidth(1.2).strokeColor(ALERT).stroke();
		bold(pen, 9.5, ALERT).text(text, LEFT + 6, y2 + 5, { width: w - 12 });
		y2 += h + 6;
	}
	pen.y = y2;
	factRows(pen, card, w);
	pen.y = Math.max(pen.y, qrBottom) + 8;
}

/** Label-value rows beside the QR code: order, customer, site, unit, model, dates. */
function factRows(pen: Pen, card: JobCard, w: number): void {
	const o = { locale: pen.locale };
	const en = pen.locale === 'en';
	const site = [card.siteProvince, card.siteCity].filter((x, i, a) => x && a.indexOf(x) === i).join(' ');
	const rows: [string, string][] = [
		[m.card_order({}, o), card.orderNumber],
		[m.card_customer({}, o), card.customerName],
		[m.card_site({}, o), site ? `${site}${card.siteName ? ` · ${card.siteName}` : ''}` : '—'],
		[m.card_serial({}, o), card.serialNo],
		[m.card_model({}, o), `${card.modelCode} ${en ? card.modelNameEn : card.modelName}`],
		[m.card_due({}, o), longDate(card.dueDate, pen.locale)],
		[m.card_priority({}, o), labelOf('priority', card.priority, pen.locale)]
	];
	const lw = en ? 72 : 56;
	for (const [label, value] of rows) {
		regular(pen, 9, MUTED).text(label, LEFT, pen.y, { width: lw });
		bold(pen, 9.5).text(value, LEFT + lw, pen.y - 0.5, { width: w - lw });
		pen.y = pen.doc.y + 2.5;
	}
}

/** The unit's specs and the plan (or that it is not scheduled yet), across the page. */
export function cardFacts(pen: Pen, card: JobCard): void {
	const o = { locale: pen.locale };
	const sep = pen.locale === 'zh-CN' ? '；' : '; ';
	const door = DOORS[card.doorType as keyof typeof DOORS]?.({}, o) ?? card.doorType;
	const specs = [
		m.print_spec_load({ kg: number(card.loadKg, pen.locale) }, o),
		m.print_spec_speed({ v: card.speed }, o),
		m.print_spec_stops({ n: card.stops }, o),
		m.print_spec_travel({ m: number(card.travelM, pen.locale) }, o),
		m.print_spec_door({ type: door, mm: number(card.doorWidthMm, pen.locale) }, o),
		card.machineRoom ? m.spec_machine_room({}, o) : m.spec_mrl({}, o)
	].join(sep);
	regular(pen, 9.5).text(labelled(pen.locale, m.card_specs({}, o), specs), LEFT, pen.y, { width: WIDTH, lineGap: 1.5 });
	pen.y = pen.doc.y + 4;
	if (!card.plannedStart) {
		regular(pen, 9.5, MUTED).text(m.card_not_scheduled({}, o), LEFT, pen.y, { width: WIDTH });
		pen.y = pen.doc.y + 8;
		return;
	}
	const plan = [
		labelled(pen.locale, m.card_planned_start({}, o), longDate(card.plannedStart, pen.locale)),
		labelled(pen.locale, m.card_planned_finish({}, o), longDate(card.projectedFinish, pen.locale))
	].join(pen.locale === 'zh-CN' ? '　　' : '    ');
	bold(pen, 9.5).text(plan, LEFT, pen.y, { width: WIDTH });
	pen.y = pen.doc.y + 2;
	const late = card.projectedFinish ? daysBetween(card.dueDate, card.projectedFinish) : 0;
	if (late > 0) {
		bold(pen, 9.5, ALERT).text(m.card_late({ days: late }, o), LEFT, pen.y, { width: WIDTH });
		pen.y = pen.doc.y + 2;
	}
	pen.y += 6;
}

/** A continuation page: one line naming the company and the work order. */
export function cardContinuation(pen: Pen, card: JobCard): number {
	const o = { locale: pen.locale };
	regular(pen, 8.5, MUTED);
	pen.doc.text(companyName(card, pen.locale)[0], LEFT, MARGIN, { width: WIDTH / 2 });
	pen.doc.text(`${m.card_title({}, o)} ${card.number} ${m.card_continued({}, o)}`, LEFT + WIDTH / 2, MARGIN, {
		width: WIDTH / 2,
		align: 'right'
	});
	const y = pen.doc.y + 3;
	hrule(pen, y, 0.5);
	return y + 10;
}

/** A ruled box for notes by hand in the space left on the last page (when there is room). */
export function cardNotes(pen: Pen): void {
	const h = Math.min(120, BOTTOM - pen.y - 14);
	if (h < 50) return;
	const y = pen.y + 10;
	pen.doc.rect(LEFT, y, WIDTH, h).lineWidth(0.6).strokeColor(RULE).stroke();
	bold(pen, 9).text(m.card_notes({}, { locale: pen.locale }), LEFT + 6, y + 5, { width: WIDTH - 12 });
	for (let ly = y + 40; ly < y + h - 6; ly += 22)
		pen.doc.moveTo(LEFT + 6, ly).lineTo(RIGHT - 6, ly).lineWidth(0.3).strokeColor('#bbbbbb').stroke();
	pen.y = y + h;
}
