import PDFDocument from 'pdfkit';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '../validate';
import { FONT_BOLD, FONT_REGULAR, fontData } from './font';
import { BOTTOM, FOOTER_Y, LEFT, MARGIN, MUTED, PAGE, WIDTH, regular, type Pen } from './layout';

/**
 * An A4 document in the app's layout, with the embedded fonts, buffering its pages so each
 * printed record can number its own afterwards; `done` is the finished file once `doc.end()`.
 */
export function openPdf(
	locale: Locale,
	info: { title: string; subject: string; author: string | null }
): { doc: PDFKit.PDFDocument; done: Promise<Buffer> } {
	const doc = new PDFDocument({
		size: [PAGE.width, PAGE.height],
		// Text that flows on by itself stops where the footer begins, like the blocks drawn here.
		margins: { top: MARGIN, bottom: PAGE.height - BOTTOM, left: MARGIN, right: MARGIN },
		autoFirstPage: false,
		bufferPages: true,
		lang: locale,
		displayTitle: true,
		info: {
			Title: info.title,
			Subject: info.subject,
			// pdfkit refuses an undefined entry.
			...(info.author ? { Author: info.author } : {}),
			Creator: 'Elevator Ops Live'
		}
	});
	const fonts = fontData();
	doc.registerFont(FONT_REGULAR, fonts[FONT_REGULAR]);
	doc.registerFont(FONT_BOLD, fonts[FONT_BOLD]);
	const chunks: Buffer[] = [];
	const done = new Promise<Buffer>((resolve, reject) => {
		doc.on('data', (c: Buffer) => chunks.push(c));
		doc.on('end', () => resolve(Buffer.concat(chunks)));
		doc.on('error', reject);
	});
	return { doc, done };
}

/** The one company of a batch, for the document's author; null when it mixes companies. */
export const soleCompany = (names: readonly string[]) => (new Set(names).size === 1 ? names[0] : null);

/**
 * The foot of each of a record's pages: `left` (of `leftWidth`), "第 x 页 / 共 y 页" in the
 * middle, and `right` (if any) at the right edge.
 */
export function pageFooters(
	doc: PDFKit.PDFDocument,
	locale: Locale,
	range: { start: number; count: number },
	left: string,
	right: string | null = null,
	leftWidth = WIDTH / 3
): void {
	const third = WIDTH / 3;
	for (let i = 0; i < range.count; i++) {
		doc.switchToPage(range.start + i);
		// Below the bottom margin: without this, pdfkit would start a new page for the footer.
		const bottom = doc.page.margins.bottom;
		doc.page.margins.bottom = 0;
		const pen: Pen = { doc, locale, y: FOOTER_Y, continuation: () => FOOTER_Y };
		regular(pen, 8, MUTED);
		doc.text(left, LEFT, FOOTER_Y, { width: leftWidth, lineBreak: false });
		doc.text(m.print_page({ page: i + 1, pages: range.count }, { locale }), LEFT + third, FOOTER_Y, {
			width: third,
			align: 'center',
			lineBreak: false
		});
		if (right)
			doc.text(right, LEFT + 2 * third, FOOTER_Y, { width: third, align: 'right', lineBreak: false });
		doc.page.margins.bottom = bottom;
	}
}
