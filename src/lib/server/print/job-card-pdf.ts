import PDFDocument from 'pdfkit';
import { m } from '$lib/paraglide/messages';
import { dateTime } from '$lib/format';
import type { Locale } from '../validate';
import { FONT_BOLD, FONT_REGULAR, fontData } from './font';
import { FOOTER_Y, LEFT, MARGIN, MUTED, PAGE, BOTTOM, WIDTH, labelled, regular, type Pen } from './layout';
import { cardContinuation, cardFacts, cardHeader, cardNotes } from './job-card-sections';
import { stepsTable } from './job-card-steps';

/** What a job card shows of one work order (services/job-cards.ts reads it). */
export interface JobCard {
	id: number;
	companyName: string;
	companyNameEn: string | null;
	number: string;
	status: string;
	priority: string;
	dueDate: string;
	plannedStart: string | null;
	projectedFinish: string | null;
	changeFlag: string | null;
	orderNumber: string;
	customerName: string;
	siteName: string | null;
	siteProvince: string | null;
	siteCity: string | null;
	serialNo: string;
	modelCode: string;
	modelName: string;
	modelNameEn: string;
	loadKg: number;
	speed: number;
	stops: number;
	travelM: number;
	doorType: string;
	doorWidthMm: number;
	machineRoom: boolean;
	steps: JobCardStep[];
}

export interface JobCardStep {
	seq: number;
	stage: string;
	workCentreCode: string;
	workCentreName: string;
	workCentreNameEn: string;
	standardHours: number;
	status: string;
	plannedDate: string | null;
	plannedEnd: string | null;
}

export interface JobCardOptions {
	locale: Locale;
	/** The moment of printing, shown in China time on every page. */
	printedAt: Date;
}

/**
 * Job cards as one A4 PDF: each work order starts a page (a long routing continues on the
 * next with the table header repeated) and numbers its own pages. Text is in the reader's
 * language; the embedded font carries Chinese and Latin alike.
 */
export function renderJobCardsPdf(cards: readonly JobCard[], opts: JobCardOptions): Promise<Buffer> {
	const { locale } = opts;
	const doc = new PDFDocument({
		size: [PAGE.width, PAGE.height],
		margins: { top: MARGIN, bottom: PAGE.height - BOTTOM, left: MARGIN, right: MARGIN },
		autoFirstPage: false,
		bufferPages: true,
		lang: locale,
		displayTitle: true,
		info: {
			Title: cards.map((c) => c.number).join(', '),
			Subject: m.card_title({}, { locale }),
			...(new Set(cards.map((c) => c.companyName)).size === 1 ? { Author: cards[0].companyName } : {}),
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

	const ranges: { card: JobCard; start: number; count: number }[] = [];
	for (const card of cards) {
		const start = doc.bufferedPageRange().count;
		doc.addPage();
		const pen: Pen = { doc, locale, y: MARGIN, continuation: () => cardContinuation(pen, card) };
		cardHeader(pen, card);
		cardFacts(pen, card);
		stepsTable(pen, card);
		cardNotes(pen);
		ranges.push({ card, start, count: doc.bufferedPageRange().count - start });
	}
	const printed = labelled(locale, m.card_printed_at({}, { locale }), dateTime(opts.printedAt, locale));
	for (const r of ranges) footers(doc, locale, r.card, printed, r.start, r.count);
	doc.end();
	return done;
}

/** When it was printed, "第 x 页 / 共 y 页" and the work order number at the foot of each page. */
function footers(doc: PDFKit.PDFDocument, locale: Locale, card: JobCard, printed: string, start: number, count: number) {
	for (let i = 0; i < count; i++) {
		doc.switchToPage(start + i);
		// Below the bottom margin: without this, pdfkit would start a new page for the footer.
		const bottom = doc.page.margins.bottom;
		doc.page.margins.bottom = 0;
		const pen: Pen = { doc, locale, y: FOOTER_Y, continuation: () => FOOTER_Y };
		const third = WIDTH / 3;
		regular(pen, 8, MUTED);
		doc.text(printed, LEFT, FOOTER_Y, { width: third + 30, lineBreak: false });
		doc.text(m.print_page({ page: i + 1, pages: count }, { locale }), LEFT + third, FOOTER_Y, {
			width: third,
			align: 'center',
			lineBreak: false
		});
		doc.text(card.number, LEFT + 2 * third, FOOTER_Y, { width: third, align: 'right', lineBreak: false });
		doc.page.margins.bottom = bottom;
	}
}
