import { z } from 'zod';
import { m } from '../paraglide/messages';
import { PRIORITIES } from './statuses';

/**
 * The one validation of an order: the browser's entry form, the server's service, the
 * spreadsheet import and the API all parse with `orderSchema(catalog, …)`. The base shape is
 * plain zod; the specs of each line are then checked against its model's allowed values, with a
 * reason in the user's language on the exact field.
 */

export type Locale = 'zh-CN' | 'en';
export const DOOR_TYPES = ['center', 'side', 'telescopic'] as const;

export interface CatalogOption {
	code: string;
	name: string;
	nameEn: string;
	price: number;
}

/** A model and the specs it allows, as the entry form and the server both see it. */
export interface CatalogModel {
	id: number;
	code: string;
	name: string;
	nameEn: string;
	kind: string;
	loadsKg: number[];
	speeds: number[];
	minStops: number;
	maxStops: number;
	maxTravelM: number;
	doorTypes: string[];
	minDoorWidthMm: number;
	maxDoorWidthMm: number;
	machineRoom: boolean;
	machineRoomLess: boolean;
	listPrice: number;
	pricePerStop: number;
	active: boolean;
	options: CatalogOption[];
}

/** Car finishes are options whose code starts with FIN-: a line takes at most one. */
export const isFinish = (code: string) => code.startsWith('FIN-');

const id = z.coerce.number().int().min(1).max(2_147_483_647);
const clean = (min: number, max: number) =>
	z
		.string()
		.trim()
		.min(min)
		.max(max)
		.refine((s) => !s.includes('\u0000'));
const optionalText = (max: number) =>
	z.preprocess((v) => (typeof v === 'string' && v.trim() === '' ? undefined : v), clean(1, max).optional());
const isoDate = z.iso.date();
const code = z.string().trim().min(1).max(40);

export const orderLineInput = z.object({
	modelId: id,
	qty: z.coerce.number().int().min(1).max(200),
	loadKg: z.coerce.number().int().min(100).max(50_000),
	speed: z.coerce.number().min(0.1).max(20),
	stops: z.coerce.number().int().min(2).max(200),
	travelM: z.coerce.number().min(0.5).max(1000),
	doorType: z.enum(DOOR_TYPES),
	doorWidthMm: z.coerce.number().int().min(300).max(6000),
	machineRoom: z.boolean(),
	finish: code.nullish(),
	optionCodes: z.array(code).max(30).default([]),
	/** Special technical requirements: any text makes the line non-standard for the policy. */
	specialRequirements: optionalText(1000)
});
export type OrderLineInput = z.input<typeof orderLineInput>;

/** A site typed or picked on the map; coordinates are optional but checked when given. */
export const newSiteInput = z.object({
	name: clean(1, 120),
	province: clean(1, 30),
	city: clean(1, 60),
	address: clean(4, 300),
	lat: z.coerce.number().min(-90).max(90).nullish(),
	lng: z.coerce.number().min(-180).max(180).nullish()
});

export const newCustomerInput = z.object({
	name: clean(2, 120),
	kind: z.enum(['developer', 'contractor', 'property', 'government', 'hospital', 'other']),
	phone: optionalText(40),
	city: optionalText(60)
});

export const orderInput = z.object({
	companyId: id,
	customerId: id.nullish(),
	newCustomer: newCustomerInput.nullish(),
	siteId: id.nullish(),
	newSite: newSiteInput.nullish(),
	priority: z.enum(PRIORITIES).default('normal'),
	deliveryDate: isoDate,
	paymentTerms: optionalText(200),
	discountBp: z.coerce.number().int().min(0).max(5000).default(0),
	taxRateBp: z.coerce.number().int().min(0).max(10000).default(1300),
	notes: optionalText(2000),
	/** A spreadsheet's reference: importing the same row again creates nothing twice. */
	externalRef: optionalText(64),
	lines: z.array(orderLineInput).min(1).max(50)
});
export type OrderInput = z.input<typeof orderInput>;
export type OrderData = z.output<typeof orderInput>;

export interface Issue {
	path: (string | number)[];
	message: string;
}

const fmt = (xs: readonly number[]) => xs.join(', ');

/** The reasons one line breaks its model's rules, each on its field. */
export function lineIssues(
	line: z.output<typeof orderLineInput>,
	model: CatalogModel | undefined,
	locale: Locale
): Issue[] {
	const o = { locale };
	if (!model || !model.active) return [{ path: ['modelId'], message: m.spec_unknown_model({}, o) }];
	const issues: Issue[] = [];
	const add = (field: string, message: string) => issues.push({ path: [field], message });
	if (!model.loadsKg.includes(line.loadKg))
		add('loadKg', m.spec_load_allowed({ allowed: fmt(model.loadsKg) }, o));
	if (!model.speeds.some((s) => Math.abs(s - line.speed) < 1e-9))
		add('speed', m.spec_speed_allowed({ allowed: fmt(model.speeds) }, o));
	if (line.stops < model.minStops || line.stops > model.maxStops)
		add('stops', m.spec_stops_range({ min: model.minStops, max: model.maxStops }, o));
	if (line.travelM > model.maxTravelM) add('travelM', m.spec_travel_max({ max: model.maxTravelM }, o));
	else if (model.kind !== 'escalator' && line.stops >= 2) {
		// An average storey under 2.2 m or over 12 m is a typing error, not a building.
		const storey = line.travelM / (line.stops - 1);
		if (storey < 2.2 || storey > 12)
			add('travelM', m.spec_travel_storey({ storey: storey.toFixed(1), stops: line.stops }, o));
	}
	if (!model.doorTypes.includes(line.doorType))
		add('doorType', m.spec_door_type_allowed({ allowed: model.doorTypes.join(', ') }, o));
	if (line.doorWidthMm < model.minDoorWidthMm || line.doorWidthMm > model.maxDoorWidthMm)
		add('doorWidthMm', m.spec_door_width_range({ min: model.minDoorWidthMm, max: model.maxDoorWidthMm }, o));
	if (line.machineRoom ? !model.machineRoom : !model.machineRoomLess)
		add('machineRoom', line.machineRoom ? m.spec_no_machine_room({}, o) : m.spec_needs_machine_room({}, o));
	const known = new Set(model.options.map((x) => x.code));
	if (line.finish && (!known.has(line.finish) || !isFinish(line.finish)))
		add('finish', m.spec_unknown_option({ code: line.finish }, o));
	for (const c of line.optionCodes)
		if (!known.has(c) || isFinish(c)) {
			add('optionCodes', m.spec_unknown_option({ code: c }, o));
			break;
		}
	return issues;
}

/** The order's own rules beyond its shape: one customer, one site, a delivery date after today. */
function orderIssues(
	o: OrderData,
	models: Map<number, CatalogModel>,
	today: string,
	locale: Locale
): Issue[] {
	const l = { locale };
	const issues: Issue[] = [];
	if (!o.customerId === !o.newCustomer)
		issues.push({ path: ['customerId'], message: m.order_customer_required({}, l) });
	if (o.siteId && o.newSite) issues.push({ path: ['siteId'], message: m.order_one_site({}, l) });
	if (o.deliveryDate <= today)
		issues.push({ path: ['deliveryDate'], message: m.order_delivery_future({}, l) });
	o.lines.forEach((line, i) => {
		for (const issue of lineIssues(line, models.get(line.modelId), locale))
			issues.push({ path: ['lines', i, ...issue.path], message: issue.message });
	});
	return issues;
}

/**
 * The full order schema: shape, then the specs of every line against the catalog. `today` is
 * the China date, passed in so the rule stays pure.
 */
export function orderSchema(catalog: readonly CatalogModel[], opts: { locale: Locale; today: string }) {
	const models = new Map(catalog.map((x) => [x.id, x]));
	return orderInput.superRefine((o, ctx) => {
		for (const issue of orderIssues(o, models, opts.today, opts.locale))
			ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
	});
}

export interface PricedLine {
	unitPrice: number;
	lineAmount: number;
	qty: number;
}

export interface OrderTotals {
	lines: PricedLine[];
	subtotal: number;
	discountAmount: number;
	taxAmount: number;
	totalAmount: number;
	unitCount: number;
}

/** A unit's price: list price, the stops above the model's minimum, and each option; in fen. */
export function unitPrice(
	line: Pick<OrderLineInput, 'stops' | 'finish' | 'optionCodes'>,
	model: CatalogModel
): number {
	const prices = new Map(model.options.map((x) => [x.code, x.price]));
	let price = model.listPrice + model.pricePerStop * Math.max(0, Number(line.stops) - model.minStops);
	for (const c of [line.finish, ...(line.optionCodes ?? [])]) if (c) price += prices.get(c) ?? 0;
	return price;
}

/** Integer fen throughout: total = subtotal − discount + tax, the tax on the discounted amount. */
export function priceOrder(
	o: Pick<OrderData, 'discountBp' | 'taxRateBp'> & {
		lines: Pick<OrderData['lines'][number], 'modelId' | 'qty' | 'stops' | 'finish' | 'optionCodes'>[];
	},
	catalog: readonly CatalogModel[]
): OrderTotals {
	const models = new Map(catalog.map((x) => [x.id, x]));
	const lines = o.lines.map((line) => {
		const model = models.get(line.modelId);
		const price = model ? unitPrice(line, model) : 0;
		return { unitPrice: price, lineAmount: price * line.qty, qty: line.qty };
	});
	return { lines, ...orderTotals(lines, o) };
}

/** An order's amounts from its priced lines: discount on the subtotal, tax on what remains. */
export function orderTotals(
	lines: readonly { lineAmount: number; qty: number }[],
	o: { discountBp: number; taxRateBp: number }
): Omit<OrderTotals, 'lines'> {
	const subtotal = lines.reduce((s, l) => s + l.lineAmount, 0);
	const discountAmount = Math.round((subtotal * o.discountBp) / 10000);
	const taxAmount = Math.round(((subtotal - discountAmount) * o.taxRateBp) / 10000);
	return {
		subtotal,
		discountAmount,
		taxAmount,
		totalAmount: subtotal - discountAmount + taxAmount,
		unitCount: lines.reduce((s, l) => s + l.qty, 0)
	};
}

/** A line with special requirements makes the order non-standard, which the policy may route. */
export const isNonStandard = (o: { lines: { specialRequirements?: string | null }[] }) =>
	o.lines.some((l) => !!l.specialRequirements);
