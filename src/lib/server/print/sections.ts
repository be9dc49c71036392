import { m } from '$lib/paraglide/messages';
import { money, percentBp } from '$lib/format';
import type { OrderDetail } from '../services/orders';
import type { Locale } from '../validate';
import { cnyCapital } from './capital';
import {
	ALERT,
	LEFT,
	MARGIN,
	MUTED,
	RIGHT,
	RULE,
	WIDTH,
	bold,
	ensure,
	hrule,
	labelled,
	longDate,
	paragraph,
	regular,
	type Pen
} from './layout';

/** The company as the reader's language names it, and its other name (the legal one in Chinese). */
export function companyNames(order: OrderDetail, locale: Locale): [string, string | null] {
	const en = order.companyNameEn?.trim() || null;
	return locale === 'en' && en ? [en, order.companyName] : [order.companyName, en];
}

/** First page: company, title, contract number and date, under a double rule. */
export function header(pen: Pen, order: OrderDetail): void {
	const o = { locale: pen.locale };
	const [name, other] = companyNames(order, pen.locale);
	let y = MARGIN;
	bold(pen, 16).text(name, LEFT, y, { width: WIDTH, align: 'center' });
	y = pen.doc.y;
	if (other) {
		regular(pen, 8.5, MUTED).text(other, LEFT, y, { width: WIDTH, align: 'center' });
		y = pen.doc.y;
	}
	bold(pen, 14).text(m.print_title({}, o), LEFT, y + 6, {
		width: WIDTH,
		align: 'center',
		characterSpacing: pen.locale === 'zh-CN' ? 1 : 0
	});
	y = pen.doc.y + 8;
	regular(pen, 9.5);
	pen.doc.text(labelled(pen.locale, m.print_order_no({}, o), order.order.number), LEFT, y, {
		width: WIDTH / 2
	});
	pen.doc.text(
		labelled(pen.locale, m.print_date({}, o), longDate(order.order.orderDate, pen.locale)),
		LEFT + WIDTH / 2,
		y,
		{
			width: WIDTH / 2,
			align: 'right'
		}
	);
	y = pen.doc.y + 4;
	hrule(pen, y, 1.2);
	hrule(pen, y + 2.5, 0.5);
	pen.y = y + 10;
}

/** Later pages of the same order: one line naming the company and the contract. */
export function continuationHeader(pen: Pen, order: OrderDetail): number {
	const [name] = companyNames(order, pen.locale);
	regular(pen, 8.5, MUTED);
	pen.doc.text(name, LEFT, MARGIN, { width: WIDTH / 2 });
	pen.doc.text(
		labelled(pen.locale, m.print_order_no({}, { locale: pen.locale }), order.order.number),
		LEFT + WIDTH / 2,
		MARGIN,
		{
			width: WIDTH / 2,
			align: 'right'
		}
	);
	const y = pen.doc.y + 3;
	hrule(pen, y, 0.5);
	return y + 10;
}

/** Buyer (customer) and seller (company) side by side, then the installation site. */
export function parties(pen: Pen, order: OrderDetail): void {
	const o = { locale: pen.locale };
	const col = (WIDTH - 16) / 2;
	const block = (x: number, label: string, name: string, rows: string[]) => {
		bold(pen, 9.5).text(label, x, pen.y, { width: col });
		bold(pen, 10.5).text(name, x, pen.doc.y + 2, { width: col });
		regular(pen, 9);
		for (const r of rows) pen.doc.text(r, x, pen.doc.y + 1, { width: col });
		return pen.doc.y;
	};
	const c = order.customer;
	const buyerRows = [labelled(pen.locale, m.print_customer_code({}, o), c.code)];
	if (c.phone) buyerRows.push(labelled(pen.locale, m.print_phone({}, o), c.phone));
	const left = block(LEFT, m.print_buyer({}, o), c.name, buyerRows);
	const right = block(LEFT + col + 16, m.print_seller({}, o), companyNames(order, pen.locale)[0], [
		labelled(pen.locale, m.print_sales_rep({}, o), order.salesRepName)
	]);
	pen.y = Math.max(left, right) + 6;
	const s = order.site;
	const site = s
		? `${s.name}${pen.locale === 'zh-CN' ? '，' : ', '}${[s.province, s.city, s.district, s.address].filter(Boolean).join(' ')}`
		: m.order_no_site({}, o);
	paragraph(pen, labelled(pen.locale, m.print_site({}, o), site), 9.5, 6);
}

const BINDING = new Set(['approved', 'in_production', 'shipped', 'installing', 'handed_over', 'closed']);
const STATUS_LABELS = {
	draft: m.order_draft,
	submitted: m.order_submitted,
	in_approval: m.order_in_approval,
	approved: m.order_approved,
	in_production: m.order_in_production,
	shipped: m.order_shipped,
	installing: m.order_installing,
	handed_over: m.order_handed_over,
	closed: m.order_closed,
	rejected: m.order_rejected,
	cancelled: m.order_cancelled
} as const;

/** An order not (or no longer) approved says so in red, so a draft is never mistaken for a contract. */
export function statusNotice(pen: Pen, order: OrderDetail): void {
	if (BINDING.has(order.order.status)) return;
	const o = { locale: pen.locale };
	const status = STATUS_LABELS[order.order.status]?.({}, o) ?? order.order.status;
	ensure(pen, 20);
	bold(pen, 9.5, ALERT).text(m.print_not_binding({ status }, o), LEFT, pen.y, { width: WIDTH });
	pen.y = pen.doc.y + 6;
}

/** Subtotal, discount, VAT and total on the right; the total in capitals for Chinese readers. */
export function totals(pen: Pen, order: OrderDetail): void {
	const o = { locale: pen.locale };
	const x = RIGHT - 250;
	const t = order.order;
	const rows: [string, string][] = [[m.order_subtotal({}, o), money(t.subtotal, pen.locale)]];
	if (t.discountBp > 0 || t.discountAmount > 0)
		rows.push([
			m.print_discount({ rate: percentBp(t.discountBp, pen.locale) }, o),
			`−${money(t.discountAmount, pen.locale)}`
		]);
	rows.push([m.print_tax({ rate: percentBp(t.taxRateBp, pen.locale) }, o), money(t.taxAmount, pen.locale)]);
	ensure(pen, rows.length * 15 + 50);
	pen.y += 6;
	for (const [label, value] of rows) {
		regular(pen, 9.5).text(label, x, pen.y, { width: 140 });
		pen.doc.text(value, x + 140, pen.y, { width: 110, align: 'right' });
		pen.y = pen.doc.y + 2;
	}
	pen.doc.moveTo(x, pen.y).lineTo(RIGHT, pen.y).lineWidth(0.6).strokeColor(RULE).stroke();
	pen.y += 3;
	bold(pen, 10.5).text(m.print_total({}, o), x, pen.y, { width: 140 });
	pen.doc.text(money(t.totalAmount, pen.locale), x + 140, pen.y, { width: 110, align: 'right' });
	pen.y = pen.doc.y + 6;
	if (pen.locale === 'zh-CN') {
		bold(pen, 10).text(m.print_total_capital({ words: cnyCapital(t.totalAmount) }, o), LEFT, pen.y, {
			width: WIDTH
		});
		pen.y = pen.doc.y + 2;
	}
	regular(pen, 8.5, MUTED).text(m.print_currency({}, o), LEFT, pen.y, { width: WIDTH });
	pen.y = pen.doc.y + 10;
}

/** Delivery and payment, then the notes and, once approved, when. */
export function terms(pen: Pen, order: OrderDetail, heading: (text: string) => void): void {
	const o = { locale: pen.locale };
	const t = order.order;
	heading(m.print_terms_heading({}, o));
	paragraph(pen, m.print_delivery({ date: longDate(t.deliveryDate, pen.locale) }, o));
	paragraph(pen, m.print_payment({ terms: t.paymentTerms?.trim() || m.print_none({}, o) }, o));
	pen.y += 6;
	heading(m.print_notes_heading({}, o));
	paragraph(pen, t.notes?.trim() || m.print_none({}, o));
	if (t.approvedAt && BINDING.has(t.status))
		paragraph(pen, m.print_approved_on({ date: longDate(t.approvedAt, pen.locale) }, o));
	// As Chinese contracts do: nothing can be added between the terms and the signatures.
	regular(pen, 9, MUTED).text(m.print_end_of_text({}, o), LEFT, pen.y + 2, { width: WIDTH, align: 'center' });
	pen.y = pen.doc.y + 8;
}

/** Two boxes for the parties' seals and signatures; kept whole on one page. */
export function signatures(pen: Pen, order: OrderDetail): void {
	const o = { locale: pen.locale };
	const h = 104;
	const gap = 16;
	const w = (WIDTH - gap) / 2;
	ensure(pen, h + 4);
	const boxes: [string, string][] = [
		[m.print_sign_buyer({}, o), order.customer.name],
		[m.print_sign_seller({}, o), companyNames(order, pen.locale)[0]]
	];
	boxes.forEach(([label, name], i) => {
		const x = LEFT + i * (w + gap);
		pen.doc.rect(x, pen.y, w, h).lineWidth(0.6).strokeColor(RULE).stroke();
		bold(pen, 9.5).text(label, x + 8, pen.y + 8, { width: w - 16 });
		regular(pen, 9).text(name, x + 8, pen.doc.y + 2, { width: w - 16 });
		regular(pen, 9).text(m.print_sign_rep({}, o), x + 8, pen.y + h - 40, { width: w - 16 });
		pen.doc.text(m.print_sign_date({}, o), x + 8, pen.y + h - 20, { width: w - 16 });
	});
	pen.y += h + 6;
}
