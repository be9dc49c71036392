import { m } from '$lib/paraglide/messages';
import type { OrderDetail } from '../services/orders';
import type { Locale } from '../validate';
import { openPdf, pageFooters, soleCompany } from './document';
import { MARGIN, heading, type Pen } from './layout';
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
	const { doc, done } = openPdf(locale, {
		title: orders.map((o) => o.order.number).join(', '),
		subject: m.print_title({}, { locale }),
		// The seller, when the whole batch is one company's.
		author: soleCompany(orders.map((o) => o.companyName))
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
	for (const r of ranges) pageFooters(doc, locale, r, r.order.order.number);
	doc.end();
	return done;
}
