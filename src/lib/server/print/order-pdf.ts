import PDFDocument from 'pdfkit';
import { m } from '$lib/paraglide/messages';
import type { OrderDetail } from '../services/orders';
import type { Locale } from '../validate';
import { FONT_BOLD, FONT_REGULAR, fontData } from './font';
import { BOTTOM, FOOTER_Y, LEFT, MARGIN, MUTED, PAGE, WIDTH, heading, regular, type Pen } from './layout';
import { linesTable, type OptionNames } from './lines-table';
import { continuationHeader, header, parties, signatures, statusNotice, terms, totals } from './sections';

export type { OptionNames } from './lines-table';

export interface PrintOptions {
	locale: Locale;
	/** Names of the lines' options and finishes (else their codes are printed). */
	optionNames?: OptionNames;
}

/**
 * Orders as one PDF, laid out as a Chinese sales contract / order confirmation: each order starts
 * on a new page and numbers its own pages ("第 1 页 / 共 2 页"). Text is in the reader's language;
 * the embedded font (font.ts) carries Chinese and Latin alike.
 */
export function renderOrdersPdf(orders: readonly OrderDetail[], opts: PrintOptions): Promise<Buffer> {
	const { locale } = opts;
	const names: OptionNames = opts.optionNames ?? new Map();
	const doc = new PDFDocument({
		size: [PAGE.width, PAGE.height],
		// Text that flows on by itself stops where the footer begins, like the blocks drawn here.
		margins: { top: MARGIN, bottom: PAGE.height - BOTTOM, left: MARGIN, right: MARGIN },
		autoFirstPage: false,
		bufferPages: true,
		lang: locale,
		displayTitle: true,
		info: {
			Title: orders.map((o) => o.order.number).join(', '),
			Subject: m.print_title({}, { locale }),
			// The seller, when the whole batch is one company's (pdfkit refuses an undefined entry).
			...(new Set(orders.map((o) => o.companyName)).size === 1 ? { Author: orders[0].companyName } : {}),
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

	const ranges: { order: OrderDetail; start: number; count: number }[] = [];
	for (const order of orders) {
		const start = doc.bufferedPageRange().count;
		doc.addPage();
		const pen: Pen = { doc, locale, y: MARGIN, continuation: () => continuationHeader(pen, order) };
		header(pen, order);
		parties(pen, order);
		statusNotice(pen, order);
		heading(pen, m.print_lines_heading({}, { locale }));
		linesTable(pen, order, names);
		totals(pen, order);
		terms(pen, order, (text) => heading(pen, text));
		signatures(pen, order);
		ranges.push({ order, start, count: doc.bufferedPageRange().count - start });
	}
	for (const r of ranges) footers(doc, locale, r.order, r.start, r.count);
	doc.end();
	return done;
}

/** "第 x 页 / 共 y 页" and the contract number at the foot of each of an order's pages. */
function footers(
	doc: PDFKit.PDFDocument,
	locale: Locale,
	order: OrderDetail,
	start: number,
	count: number
): void {
	for (let i = 0; i < count; i++) {
		doc.switchToPage(start + i);
		// Below the bottom margin: without this, pdfkit would start a new page for the footer.
		const bottom = doc.page.margins.bottom;
		doc.page.margins.bottom = 0;
		const pen: Pen = { doc, locale, y: FOOTER_Y, continuation: () => FOOTER_Y };
		regular(pen, 8, MUTED);
		doc.text(order.order.number, LEFT, FOOTER_Y, { width: WIDTH / 3, lineBreak: false });
		doc.text(m.print_page({ page: i + 1, pages: count }, { locale }), LEFT + WIDTH / 3, FOOTER_Y, {
			width: WIDTH / 3,
			align: 'center',
			lineBreak: false
		});
		doc.page.margins.bottom = bottom;
	}
}
