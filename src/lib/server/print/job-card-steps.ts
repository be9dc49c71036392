import { m } from '$lib/paraglide/messages';
import { number } from '$lib/format';
import type { Locale } from '../validate';
import type { JobCard, JobCardStep } from './job-card-pdf';
import { labelOf } from './job-card-sections';
import { BOTTOM, FILL, LEFT, MUTED, RULE, bold, heading, regular, type Pen } from './layout';

/**
 * The routing steps as a bordered table with empty start, finish and signature cells tall
 * enough to write in; the header row repeats on every page the table spans.
 */
const COLUMNS = [
	{ key: 'seq', width: 28, align: 'center' },
	{ key: 'stage', width: 76, align: 'left' },
	{ key: 'centre', width: 104, align: 'left' },
	{ key: 'hours', width: 44, align: 'right' },
	{ key: 'planned', width: 76, align: 'left' },
	{ key: 'start', width: 60, align: 'left' },
	{ key: 'finish', width: 60, align: 'left' },
	{ key: 'sign', width: 63.28, align: 'left' }
] as const;
const PAD = 4;
const SIZE = 8.5;
/** Room for a time and initials written by hand. */
const MIN_ROW = 26;

/** "5月4日", "5月4日–5月6日" or "May 4 – May 6": the days the plan puts the step on. */
function plannedDays(s: JobCardStep, locale: Locale): string {
	if (!s.plannedDate) return '—';
	const f = new Intl.DateTimeFormat(locale, { month: 'short', day: 'numeric', timeZone: 'UTC' });
	const day = (d: string) => f.format(new Date(`${d}T00:00:00Z`));
	return s.plannedEnd && s.plannedEnd !== s.plannedDate
		? `${day(s.plannedDate)}–${day(s.plannedEnd)}`
		: day(s.plannedDate);
}

function cells(s: JobCardStep, locale: Locale): string[] {
	const done = s.status === 'done';
	return [
		String(s.seq),
		labelOf('pstage', s.stage, locale),
		`${s.workCentreCode} ${locale === 'en' ? s.workCentreNameEn : s.workCentreName}`,
		number(s.standardHours, locale),
		plannedDays(s, locale),
		'',
		done ? m.card_done({}, { locale }) : '',
		''
	];
}

function rowHeight(pen: Pen, texts: string[], min: number): number {
	return Math.max(
		min,
		...texts.map(
			(t, i) => pen.doc.heightOfString(t, { width: COLUMNS[i].width - 2 * PAD, lineGap: 1 }) + 2 * PAD
		)
	);
}

function row(pen: Pen, texts: string[], header: boolean): void {
	const font = header ? bold : regular;
	font(pen, SIZE);
	const height = rowHeight(pen, texts, header ? 0 : MIN_ROW);
	if (header) pen.doc.rect(LEFT, pen.y, COLUMNS.reduce((w, c) => w + c.width, 0), height).fill(FILL);
	let x = LEFT;
	texts.forEach((t, i) => {
		const c = COLUMNS[i];
		font(pen, SIZE, !header && c.key === 'finish' ? MUTED : undefined);
		pen.doc.text(t, x + PAD, pen.y + PAD, { width: c.width - 2 * PAD, align: c.align, lineGap: 1 });
		pen.doc.rect(x, pen.y, c.width, height).lineWidth(0.5).strokeColor(RULE).stroke();
		x += c.width;
	});
	pen.y += height;
}

export function stepsTable(pen: Pen, card: JobCard): void {
	const o = { locale: pen.locale };
	heading(pen, m.card_steps({}, o));
	if (card.steps.length === 0) {
		regular(pen, 9.5, MUTED).text(m.card_no_steps({}, o), LEFT, pen.y);
		pen.y = pen.doc.y + 6;
		return;
	}
	const header = [
		m.card_col_seq({}, o),
		m.card_col_stage({}, o),
		m.card_col_centre({}, o),
		m.card_col_hours({}, o),
		m.card_col_planned({}, o),
		m.card_col_start({}, o),
		m.card_col_finish({}, o),
		m.card_col_sign({}, o)
	];
	const newPage = () => {
		pen.doc.addPage();
		pen.y = pen.continuation();
		row(pen, header, true);
	};
	if (pen.y + 60 > BOTTOM) {
		pen.doc.addPage();
		pen.y = pen.continuation();
	}
	row(pen, header, true);
	for (const s of card.steps) {
		const texts = cells(s, pen.locale);
		regular(pen, SIZE);
		if (pen.y + rowHeight(pen, texts, MIN_ROW) > BOTTOM) newPage();
		row(pen, texts, false);
	}
}
