import { m } from '$lib/paraglide/messages';
import { money, number } from '$lib/format';
import type { OrderDetail } from '../services/orders';
import type { Locale } from '../validate';
import { BOTTOM, FILL, LEFT, RULE, bold, regular, type Pen } from './layout';

type Line = OrderDetail['lines'][number];

/** Option names by `${modelId}:${code}`, for options and finishes printed as words, not codes. */
export type OptionNames = ReadonlyMap<string, { name: string; nameEn: string }>;

const COLUMNS = [
	{ key: 'no', width: 26, align: 'center' },
	{ key: 'model', width: 80, align: 'left' },
	{ key: 'specs', width: 219.28, align: 'left' },
	{ key: 'qty', width: 34, align: 'center' },
	{ key: 'price', width: 72, align: 'right' },
	{ key: 'amount', width: 80, align: 'right' }
] as const;
const PAD = 4;
const SIZE = 8.5;

const DOORS = { center: m.door_center, side: m.door_side, telescopic: m.door_telescopic } as const;

function optionName(names: OptionNames, l: Line, code: string, locale: Locale): string {
	const o = names.get(`${l.line.modelId}:${code}`);
	return o ? (locale === 'en' ? o.nameEn : o.name) : code;
}

/** The specs cell: rated figures, door and machine room, finish, options, special requirements. */
export function specsText(l: Line, locale: Locale, names: OptionNames): string {
	const o = { locale };
	const s = l.line;
	const door = DOORS[s.doorType as keyof typeof DOORS]?.({}, o) ?? s.doorType;
	const sentence = (t: string) => (locale === 'en' ? t.charAt(0).toUpperCase() + t.slice(1) : t);
	const sep = locale === 'zh-CN' ? '；' : '; ';
	const out = [
		[
			m.print_spec_load({ kg: number(s.loadKg, locale) }, o),
			m.print_spec_speed({ v: s.speed }, o),
			m.print_spec_stops({ n: s.stops }, o),
			m.print_spec_travel({ m: number(s.travelM, locale) }, o)
		].join(sep),
		[
			sentence(m.print_spec_door({ type: door, mm: number(s.doorWidthMm, locale) }, o)),
			s.machineRoom ? m.spec_machine_room({}, o) : m.spec_mrl({}, o)
		].join(sep)
	];
	if (s.finish) out.push(m.print_spec_finish({ finish: optionName(names, l, s.finish, locale) }, o));
	const options = s.optionCodes.filter((c) => c !== s.finish).map((c) => optionName(names, l, c, locale));
	if (options.length)
		out.push(m.print_spec_options({ options: options.join(locale === 'zh-CN' ? '、' : ', ') }, o));
	if (s.specialRequirements?.trim())
		out.push(m.print_spec_special({ text: s.specialRequirements.trim() }, o));
	return out.join('\n');
}

function cells(l: Line, locale: Locale, names: OptionNames): string[] {
	const model = locale === 'en' ? l.modelNameEn : l.modelName;
	return [
		String(l.line.lineNo),
		`${l.modelCode}\n${model ?? ''}`.trim(),
		specsText(l, locale, names),
		number(l.line.qty, locale),
		money(l.line.unitPrice, locale),
		money(l.line.lineAmount, locale)
	];
}

/** Draws one row of cells at the pen (bold for the header row) and moves the pen below it. */
function row(pen: Pen, texts: string[], header: boolean): void {
	const { doc } = pen;
	const font = header ? bold : regular;
	font(pen, SIZE);
	const height =
		Math.max(
			...texts.map((t, i) => doc.heightOfString(t, { width: COLUMNS[i].width - 2 * PAD, lineGap: 1 }))
		) +
		2 * PAD;
	if (header) doc.rect(LEFT, pen.y, rowWidth(), height).fill(FILL);
	let x = LEFT;
	texts.forEach((t, i) => {
		const c = COLUMNS[i];
		font(pen, SIZE);
		// The model code is bold and its name regular: two runs in one cell.
		if (!header && c.key === 'model') {
			const [code, ...rest] = t.split('\n');
			bold(pen, SIZE).text(code, x + PAD, pen.y + PAD, { width: c.width - 2 * PAD, lineGap: 1 });
			if (rest.length) regular(pen, SIZE).text(rest.join('\n'), { width: c.width - 2 * PAD, lineGap: 1 });
		} else doc.text(t, x + PAD, pen.y + PAD, { width: c.width - 2 * PAD, align: c.align, lineGap: 1 });
		doc.rect(x, pen.y, c.width, height).lineWidth(0.5).strokeColor(RULE).stroke();
		x += c.width;
	});
	pen.y += height;
}

function rowWidth(): number {
	return COLUMNS.reduce((w, c) => w + c.width, 0);
}

/** The lines of an order as a bordered table; the header row repeats on every page it spans. */
export function linesTable(pen: Pen, order: OrderDetail, names: OptionNames): void {
	const o = { locale: pen.locale };
	const header = [
		m.print_col_no({}, o),
		m.print_col_model({}, o),
		m.print_col_specs({}, o),
		m.line_qty({}, o),
		m.line_unit_price({}, o),
		m.line_amount({}, o)
	];
	const drawHeader = () => row(pen, header, true);
	if (pen.y + 60 > BOTTOM) {
		pen.doc.addPage();
		pen.y = pen.continuation();
	}
	drawHeader();
	for (const l of order.lines) {
		const texts = cells(l, pen.locale, names);
		regular(pen, SIZE);
		const need =
			Math.max(
				...texts.map((t, i) => pen.doc.heightOfString(t, { width: COLUMNS[i].width - 2 * PAD, lineGap: 1 }))
			) +
			2 * PAD;
		if (pen.y + need > BOTTOM) {
			pen.doc.addPage();
			pen.y = pen.continuation();
			drawHeader();
		}
		row(pen, texts, false);
	}
}
