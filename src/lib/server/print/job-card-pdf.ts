import { m } from '$lib/paraglide/messages';
import { dateTime } from '$lib/format';
import type { Locale } from '../validate';
import { openPdf, pageFooters, soleCompany } from './document';
import { MARGIN, WIDTH, labelled, type Pen } from './layout';
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
	const { doc, done } = openPdf(locale, {
		title: cards.map((c) => c.number).join(', '),
		subject: m.card_title({}, { locale }),
		author: soleCompany(cards.map((c) => c.companyName))
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
	for (const r of ranges) pageFooters(doc, locale, r, printed, r.card.number, WIDTH / 3 + 30);
	doc.end();
	return done;
}
