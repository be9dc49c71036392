import type { ModelRef } from './context';
import type { CustomerKind } from './names';
import type { Rng } from './random';

export interface BuiltLine {
	lineNo: number;
	model: ModelRef;
	qty: number;
	loadKg: number;
	speed: number;
	stops: number;
	travelM: number;
	doorType: string;
	doorWidthMm: number;
	machineRoom: boolean;
	finish: string | null;
	optionCodes: string[];
	unitPrice: number;
	lineAmount: number;
	id?: number;
}

/** What each kind of customer tends to buy, as multipliers on a model's base weight. */
const AFFINITY: Record<CustomerKind, Record<string, number>> = {
	developer: { 'HT-E10': 0.1, 'HT-B16': 0.1, 'HT-F50': 0.2, 'HT-H4': 0.5 },
	contractor: { 'HT-F20': 3, 'HT-F50': 3, 'HT-E10': 0.3 },
	property: { 'HT-E10': 4, 'HT-HS40': 0.2, 'HT-F50': 0.1 },
	government: { 'HT-E10': 12, 'HT-HS40': 0.1, 'HT-S13': 0.1, 'HT-H4': 0 },
	hospital: { 'HT-B16': 14, 'HT-H4': 0, 'HT-MW12': 0.1, 'HT-S13': 0.2 },
	other: { 'HT-ES30': 4, 'HT-MW12': 5, 'HT-S13': 4, 'HT-F20': 2, 'HT-E10': 0.2 }
};

function pickModel(rng: Rng, models: ModelRef[], kind: CustomerKind): ModelRef {
	return rng.weighted(models.map((m) => [m, m.def.weight * (AFFINITY[kind][m.def.code] ?? 1)] as const));
}

/** One order line with specs inside the model's allowed ranges and its price from the catalog. */
export function buildLine(rng: Rng, models: ModelRef[], kind: CustomerKind, lineNo: number): BuiltLine {
	const model = pickModel(rng, models, kind);
	const d = model.def;
	const escalator = d.kind === 'escalator';
	// Storeys of about 3.2 m; the travel caps the stops.
	const maxByTravel = Math.floor(d.maxTravelM / 3.2) + 1;
	const hi = Math.max(d.minStops, Math.min(d.maxStops, maxByTravel));
	const stops = escalator
		? 2
		: Math.min(hi, d.minStops + Math.floor(Math.pow(rng.next(), 1.6) * (hi - d.minStops + 1)));
	const travelM = escalator
		? Math.round(rng.float(3.5, d.maxTravelM) * 10) / 10
		: Math.min(d.maxTravelM, Math.round((stops - 1) * rng.float(2.9, 3.3) * 10) / 10);
	const widths: number[] = [];
	for (let w = d.minDoorWidthMm; w <= d.maxDoorWidthMm; w += 100) widths.push(w);
	const machineRoom = d.machineRoom && d.machineRoomLess ? rng.chance(0.4) : d.machineRoom;
	const finish = model.finishes.length
		? rng.weighted(model.finishes.map((f, i) => [f, i === 0 ? 5 : i === 1 ? 3 : 1.5] as const))
		: null;
	const features = model.features.filter((f) => rng.chance(f === 'IOT' ? 0.55 : f === 'ARD' ? 0.4 : 0.22));
	const optionCodes = finish ? [finish, ...features] : features;
	const qty = escalator
		? rng.weighted([
				[2, 60],
				[4, 30],
				[6, 10]
			] as const)
		: rng.weighted([
				[1, 45],
				[2, 30],
				[3, 12],
				[4, 8],
				[6, 5]
			] as const);
	// The catalog price: list price, the stops above the minimum, the options.
	let unitPrice = model.listPrice + model.pricePerStop * (stops - d.minStops);
	for (const c of optionCodes) unitPrice += model.optionPrices.get(c) ?? 0;
	return {
		lineNo,
		model,
		qty,
		loadKg: rng.pick(d.loadsKg),
		speed: rng.pick(d.speeds),
		stops,
		travelM,
		doorType: rng.pick(d.doorTypes),
		doorWidthMm: rng.pick(widths),
		machineRoom,
		finish,
		optionCodes,
		unitPrice,
		lineAmount: unitPrice * qty
	};
}

export interface Amounts {
	subtotal: number;
	discountAmount: number;
	taxAmount: number;
	totalAmount: number;
}

/** Integer fen throughout: total = subtotal - discount + tax, tax on the discounted amount. */
export function orderAmounts(lines: BuiltLine[], discountBp: number, taxRateBp = 1300): Amounts {
	const subtotal = lines.reduce((s, l) => s + l.lineAmount, 0);
	const discountAmount = Math.round((subtotal * discountBp) / 10000);
	const taxAmount = Math.round(((subtotal - discountAmount) * taxRateBp) / 10000);
	return { subtotal, discountAmount, taxAmount, totalAmount: subtotal - discountAmount + taxAmount };
}
