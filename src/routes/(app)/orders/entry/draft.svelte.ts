import { newCustomerInput, type CatalogModel, type OrderInput } from '$lib/domain/order-entry';

/**
 * The order as the entry form holds it while the user types: numbers stay the strings they
 * typed, so the one schema (`orderSchema`) coerces and judges them exactly as the server will.
 * Created per form instance (never at module level: a server render would share it).
 */

export interface LineDraft {
	key: number;
	modelId: number | null;
	qty: string;
	loadKg: string;
	speed: string;
	stops: string;
	travelM: string;
	doorType: string;
	doorWidthMm: string;
	machineRoom: boolean;
	finish: string;
	optionCodes: string[];
	specialRequirements: string;
}

export interface PickedCustomer {
	id: number;
	name: string;
	code: string;
	city?: string | null;
	companyId: number;
}

export const CUSTOMER_KINDS = newCustomerInput.shape.kind.options;
export type CustomerKind = (typeof CUSTOMER_KINDS)[number];

/** An empty line, or one filled with the model's sensible defaults. */
function newLine(key: number, model?: CatalogModel): LineDraft {
	const line: LineDraft = {
		key,
		modelId: null,
		qty: '1',
		loadKg: '',
		speed: '',
		stops: '',
		travelM: '',
		doorType: 'center',
		doorWidthMm: '',
		machineRoom: false,
		finish: '',
		optionCodes: [],
		specialRequirements: ''
	};
	if (model) applyModel(line, model);
	return line;
}

/** Choosing a model fills what the model allows first: load, speed, stops, door, machine room. */
export function applyModel(line: LineDraft, model: CatalogModel) {
	line.modelId = model.id;
	line.loadKg = String(model.loadsKg[0] ?? '');
	line.speed = String(model.speeds[0] ?? '');
	const stops = Math.min(Math.max(model.minStops, 6), model.maxStops);
	line.stops = String(stops);
	// About 3 m a storey, within the model's travel.
	line.travelM = String(Math.min(model.maxTravelM, Math.max(1, (stops - 1) * 3)));
	line.doorType = model.doorTypes[0] ?? 'center';
	line.doorWidthMm = String(model.minDoorWidthMm);
	line.machineRoom = !model.machineRoomLess;
	line.finish = '';
	const known = new Set(model.options.map((o) => o.code));
	line.optionCodes = line.optionCodes.filter((c) => known.has(c));
}

/** A percentage as typed ("13", "2.5") to basis points; anything else goes on for the schema to refuse. */
function bp(text: string): unknown {
	const t = text.trim();
	if (t === '') return undefined;
	const n = Number(t);
	return Number.isFinite(n) ? Math.round(n * 100) : t;
}
const pct = (basisPoints: number) => String(basisPoints / 100);
const orNull = (s: string) => (s.trim() === '' ? null : s.trim());

export class OrderDraft {
	companyId = $state<number>(0);
	customerMode = $state<'existing' | 'new'>('existing');
	customer = $state<PickedCustomer | null>(null);
	newCustomer = $state({ name: '', kind: 'developer' as CustomerKind, phone: '', city: '' });
	siteMode = $state<'none' | 'existing' | 'new'>('none');
	siteId = $state<number | null>(null);
	newSite = $state({ name: '', province: '', city: '', address: '', lat: '', lng: '' });
	priority = $state<'normal' | 'urgent'>('normal');
	deliveryDate = $state('');
	paymentTerms = $state('');
	discountPct = $state('0');
	taxPct = $state('13');
	notes = $state('');
	lines = $state<LineDraft[]>([]);
	#nextKey = 1;

	/** A blank order, or the saved one being edited (`input` as orderForEdit gives it). */
	constructor(init: {
		companyId: number;
		deliveryDate: string;
		input?: OrderInput;
		customer?: PickedCustomer;
	}) {
		this.companyId = init.companyId;
		this.deliveryDate = init.deliveryDate;
		const o = init.input;
		if (!o) return;
		this.companyId = o.companyId as number;
		this.customer = init.customer ?? null;
		this.siteMode = o.siteId ? 'existing' : 'none';
		this.siteId = (o.siteId as number | null) ?? null;
		this.priority = o.priority ?? 'normal';
		this.deliveryDate = o.deliveryDate;
		this.paymentTerms = String(o.paymentTerms ?? '');
		this.discountPct = pct(Number(o.discountBp ?? 0));
		this.taxPct = pct(Number(o.taxRateBp ?? 1300));
		this.notes = String(o.notes ?? '');
		this.lines = o.lines.map((l) => ({
			key: this.#nextKey++,
			modelId: Number(l.modelId),
			qty: String(l.qty),
			loadKg: String(l.loadKg),
			speed: String(l.speed),
			stops: String(l.stops),
			travelM: String(l.travelM),
			doorType: l.doorType,
			doorWidthMm: String(l.doorWidthMm),
			machineRoom: l.machineRoom,
			finish: l.finish ?? '',
			optionCodes: [...(l.optionCodes ?? [])],
			specialRequirements: String(l.specialRequirements ?? '')
		}));
	}

	addLine(model?: CatalogModel) {
		this.lines.push(newLine(this.#nextKey++, model));
	}

	removeLine(key: number) {
		this.lines = this.lines.filter((l) => l.key !== key);
	}

	/** The order in the API's shape, as typed: the schema decides what is wrong with it. */
	toInput(): Record<string, unknown> {
		const nc = this.newCustomer;
		const ns = this.newSite;
		return {
			companyId: this.companyId,
			customerId: this.customerMode === 'existing' ? (this.customer?.id ?? null) : null,
			newCustomer:
				this.customerMode === 'new' ? { name: nc.name, kind: nc.kind, phone: nc.phone, city: nc.city } : null,
			siteId: this.siteMode === 'existing' ? this.siteId : null,
			newSite:
				this.siteMode === 'new'
					? {
							name: ns.name,
							province: ns.province,
							city: ns.city,
							address: ns.address,
							lat: orNull(ns.lat),
							lng: orNull(ns.lng)
						}
					: null,
			priority: this.priority,
			deliveryDate: this.deliveryDate,
			paymentTerms: this.paymentTerms,
			discountBp: bp(this.discountPct),
			taxRateBp: bp(this.taxPct),
			notes: this.notes,
			lines: this.lines.map((l) => ({
				modelId: l.modelId ?? undefined,
				qty: l.qty,
				loadKg: l.loadKg,
				speed: l.speed,
				stops: l.stops,
				travelM: l.travelM,
				doorType: l.doorType,
				doorWidthMm: l.doorWidthMm,
				machineRoom: l.machineRoom,
				finish: l.finish || null,
				// A copy: reading the elements makes a checkbox change a dependency of the checks.
				optionCodes: [...l.optionCodes],
				specialRequirements: l.specialRequirements
			}))
		};
	}

	/** What pricing needs, with unreadable numbers as zero (the field shows why). */
	forPricing() {
		const n = (s: string) => (Number.isFinite(Number(s)) ? Number(s) : 0);
		return {
			discountBp: Math.round(n(this.discountPct) * 100),
			taxRateBp: Math.round(n(this.taxPct) * 100),
			lines: this.lines.map((l) => ({
				modelId: l.modelId ?? 0,
				qty: Math.max(0, Math.trunc(n(l.qty))),
				stops: n(l.stops),
				finish: l.finish || null,
				optionCodes: l.optionCodes
			}))
		};
	}

	/** After the first save the order's customer and site exist: later saves name them by id. */
	adoptSaved(customer: PickedCustomer, siteId: number | null) {
		this.customerMode = 'existing';
		this.customer = customer;
		this.siteMode = siteId ? 'existing' : 'none';
		this.siteId = siteId;
	}
}

/** Today plus `days`, as an ISO date. */
export function addDays(iso: string, days: number): string {
	const d = new Date(`${iso}T00:00:00Z`);
	d.setUTCDate(d.getUTCDate() + days);
	return d.toISOString().slice(0, 10);
}
