import type { Loader } from './bulk';
import type { City } from './cities';
import type { ModelDef } from './catalog';
import type { CustomerKind } from './names';
import type { Rng } from './random';
import type { Clock } from './time';

export interface CompanyRef {
	id: number;
	code: string;
	index: number;
	city: City;
	market: readonly (readonly [string, number])[];
	salesReps: number[];
	warehouses: number[];
	/** sku → item. */
	items: Map<string, { id: number; cost: number }>;
	crews: CrewRef[];
	/** model id → routing. */
	routings: Map<number, RoutingRef>;
	customers: CustomerRef[];
}

export interface CrewRef {
	id: number;
	lat: number;
	lng: number;
	members: number[];
}

export interface RoutingRef {
	id: number;
	stages: { seq: number; stage: string; workCentreId: number; hours: number }[];
}

export interface SiteRef {
	id: number;
	city: City;
	cityName: string;
	lat: number;
	lng: number;
}

export interface CustomerRef {
	id: number;
	name: string;
	kind: CustomerKind;
	ownerId: number;
	termsDays: number;
	sites: SiteRef[];
	/** Orders placed so far while seeding, to tell new customers from returning ones. */
	orders: number;
}

export interface ModelRef {
	id: number;
	def: ModelDef;
	listPrice: number;
	pricePerStop: number;
	/** code → price in fen. */
	optionPrices: Map<string, number>;
	finishes: string[];
	features: string[];
}

export interface RuleRef {
	id: number;
	companyId: number | null;
	priority: number;
	minAmount: number | null;
	maxAmount: number | null;
	minDiscountBp: number | null;
	customerKind: 'new' | 'returning' | null;
	maxDeliveryDays: number | null;
	nonStandardSpecs: boolean | null;
	autoApprove: boolean;
	steps: {
		stepNo: number;
		roleIds: number[];
		mode: 'any' | 'all' | 'quorum';
		quorum: number | null;
		responseHours: number;
	}[];
}

export interface Counts {
	companies: number;
	users: number;
	customers: number;
	sites: number;
	orders: number;
	orderLines: number;
	units: number;
	approvalSteps: number;
	workOrders: number;
	workOrderSteps: number;
	installationJobs: number;
	serviceTickets: number;
	maintenancePlans: number;
	invoices: number;
	payments: number;
	stockItems: number;
	events: number;
}

/** Everything the seed's parts share while they run, in one transaction. */
export interface SeedCtx {
	load: Loader;
	rng: Rng;
	clock: Clock;
	log: (msg: string) => void;
	roles: Record<string, number>;
	/** username → id. */
	users: Record<string, number>;
	companies: CompanyRef[];
	models: ModelRef[];
	skills: Record<string, number>;
	rules: RuleRef[];
	/** Orders from this index on get the full detail (events, comments, done work orders…). */
	detailFrom: number;
	counters: Map<string, number>;
	counts: Counts;
	/** Open work orders kept for stock reservations. */
	openWorkOrders: { id: number; companyIndex: number; modelIndex: number }[];
}

/** The next number of a sequence such as 'SO-SH-2026'. */
export function nextNumber(ctx: SeedCtx, key: string): number {
	const n = (ctx.counters.get(key) ?? 0) + 1;
	ctx.counters.set(key, n);
	return n;
}

export const pad = (n: number, width: number): string => String(n).padStart(width, '0');

export { distanceKm } from '../../domain/geo';
