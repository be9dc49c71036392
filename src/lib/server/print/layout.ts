import type { Locale } from '../validate';
import { FONT_BOLD, FONT_REGULAR } from './font';

/** A4 in points, with the margins of a printed contract (about 15 mm). */
export const PAGE = { width: 595.28, height: 841.89 } as const;
export const MARGIN = 42;
export const LEFT = MARGIN;
export const RIGHT = PAGE.width - MARGIN;
export const WIDTH = RIGHT - LEFT;
/** Content stops here; below is the footer line with the page number. */
export const BOTTOM = PAGE.height - 56;
export const FOOTER_Y = PAGE.height - 40;

export const INK = '#111111';
export const MUTED = '#555555';
export const RULE = '#333333';
export const FILL = '#eeeeee';
export const ALERT = '#a61b1b';

/** One order being drawn: the document, the reader's language and where the next block starts. */
export interface Pen {
	doc: PDFKit.PDFDocument;
	locale: Locale;
	y: number;
	/** Draws the slim header of a continuation page (company, order number) and returns its bottom. */
	continuation: () => number;
}

export function regular(pen: Pen, size: number, color = INK): PDFKit.PDFDocument {
	return pen.doc.font(FONT_REGULAR).fontSize(size).fillColor(color);
}

export function bold(pen: Pen, size: number, color = INK): PDFKit.PDFDocument {
	return pen.doc.font(FONT_BOLD).fontSize(size).fillColor(color);
}

/** Starts a new page when `height` does not fit below the pen; the pen moves below the page's header. */
export function ensure(pen: Pen, height: number): void {
	if (pen.y + height <= BOTTOM) return;
	pen.doc.addPage();
	pen.y = pen.continuation();
}

/** "Label：value" in Chinese, "Label: value" in English. */
export function labelled(locale: Locale, label: string, value: string): string {
	return locale === 'zh-CN' ? `${label}：${value}` : `${label}: ${value}`;
}

/** A paragraph across the page; pages break between paragraphs, never inside one line. */
export function paragraph(pen: Pen, text: string, size = 9.5, gap = 3): void {
	regular(pen, size);
	const h = pen.doc.heightOfString(text, { width: WIDTH, lineGap: 1.5 });
	ensure(pen, Math.min(h, 4 * size));
	pen.doc.text(text, LEFT, pen.y, { width: WIDTH, lineGap: 1.5 });
	pen.y = pen.doc.y + gap;
}

export function heading(pen: Pen, text: string): void {
	ensure(pen, 40);
	bold(pen, 10.5).text(text, LEFT, pen.y, { width: WIDTH });
	pen.y = pen.doc.y + 4;
}

export function hrule(pen: Pen, y: number, weight = 0.6): void {
	pen.doc.moveTo(LEFT, y).lineTo(RIGHT, y).lineWidth(weight).strokeColor(RULE).stroke();
}

/** A calendar date ('2026-11-23') or a moment (in China time) as a contract writes it. */
export function longDate(d: string | Date | null | undefined, locale: Locale): string {
	if (!d) return '—';
	const calendar = typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d);
	const value = calendar ? new Date(`${d}T00:00:00Z`) : new Date(d);
	return new Intl.DateTimeFormat(locale, {
		year: 'numeric',
		month: locale === 'zh-CN' ? 'long' : 'short',
		day: 'numeric',
		timeZone: calendar ? 'UTC' : 'Asia/Shanghai'
	}).format(value);
}
