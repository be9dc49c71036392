import { ORDER_STATUSES, type OrderStatus, type UnitStatus } from '../../domain/statuses';
import { buildLine, orderAmounts, type Amounts, type BuiltLine } from './lines';
import { nextNumber, pad, type CompanyRef, type CustomerRef, type SeedCtx, type SiteRef } from './context';
import type { Rng } from './random';
import { addDays, daysBetween, notBefore, plusHours } from './time';

/** What is decided for every order up front: who, when, which status. Sorted by creation. */
export interface Skeleton {
	index: number;
	company: CompanyRef;
	customer: CustomerRef;
	site: SiteRef;
	status: OrderStatus;
	urgent: boolean;
	age: number;
	orderDate: string;
	createdAt: Date;
	number: string;
}

/** Many orders are long done, fewer are in flight, a few went nowhere. */
const STATUS_WEIGHTS: readonly (readonly [OrderStatus, number])[] = [
	['draft', 5],
	['submitted', 2.5],
	['in_approval', 3],
	['approved', 4],
	['in_production', 11],
	['shipped', 5],
	['installing', 8],
	['handed_over', 20],
	['closed', 30],
	['rejected', 3],
	['cancelled', 4]
];

/** Age in days (before today) an order of that status plausibly has. */
function ageFor(rng: Rng, status: OrderStatus): number {
	switch (status) {
		case 'draft':
			return rng.int(1, 25);
		case 'submitted':
			return rng.chance(0.45) ? 1 : rng.int(2, 6);
		case 'in_approval':
			return rng.chance(0.35) ? 1 : rng.int(2, 10);
		case 'approved':
			return rng.int(3, 30);
		case 'in_production':
			return rng.int(12, 90);
		case 'shipped':
			return rng.int(40, 150);
		case 'installing':
			return rng.int(60, 240);
		case 'handed_over':
			return rng.int(110, 540);
		case 'closed':
			return rng.int(200, 545);
		default:
			return rng.int(3, 540);
	}
}

export function planSkeletons(ctx: SeedCtx, n: number): Skeleton[] {
	const rng = ctx.rng.fork('skeletons');
	const companyWeights = ctx.companies.map((c) => [c, c.customers.length] as const);
	const out: Skeleton[] = [];
	for (let i = 0; i < n; i++) {
		// The first orders cover every status, so even a tiny seed shows them all.
		const status = i < ORDER_STATUSES.length ? ORDER_STATUSES[i] : rng.weighted(STATUS_WEIGHTS);
		const company = rng.weighted(companyWeights);
		const customer = company.customers[rng.skewed(company.customers.length, 1.7)];
		const site = customer.sites[rng.skewed(customer.sites.length, 1.5)];
		const age = ageFor(rng, status);
		const orderDate = ctx.clock.day(-age);
		const createdAt = ctx.clock.at(orderDate, rng.float(8.5, 18));
		out.push({
			index: i,
			company,
			customer,
			site,
			status,
			urgent: rng.chance(0.1),
			age,
			orderDate,
			createdAt,
			number: ''
		});
	}
	out.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.index - b.index);
	out.forEach((s, i) => {
		s.index = i;
		const year = s.orderDate.slice(0, 4);
		s.number = `SO-${s.company.code}-${year}-${pad(nextNumber(ctx, `SO-${s.company.code}-${year}`), 6)}`;
	});
	return out;
}

/** When each step of the order's life happened; only the steps its status has reached. */
export interface Timeline {
	submittedAt: Date | null;
	approvedAt: Date | null;
	productionDay: string | null;
	shipDay: string | null;
	installDay: string | null;
	handoverDay: string | null;
	closedAt: Date | null;
	rejectedAt: Date | null;
	/** A cancelled order that had been approved (and invoiced) before. */
	cancelledAfterApproval: boolean;
}

const REACHED: Record<OrderStatus, number> = {
	draft: 0,
	submitted: 1,
	in_approval: 1,
	rejected: 1,
	approved: 2,
	cancelled: 2,
	in_production: 3,
	shipped: 4,
	installing: 5,
	handed_over: 6,
	closed: 7
};

function timeline(ctx: SeedCtx, rng: Rng, sk: Skeleton): Timeline {
	const { clock } = ctx;
	const t: Timeline = {
		submittedAt: null,
		approvedAt: null,
		productionDay: null,
		shipDay: null,
		installDay: null,
		handoverDay: null,
		closedAt: null,
		rejectedAt: null,
		cancelledAfterApproval: false
	};
	let reached = REACHED[sk.status];
	if (sk.status === 'cancelled') {
		t.cancelledAfterApproval = rng.chance(0.5);
		reached = t.cancelledAfterApproval ? 2 : 0;
	}
	if (reached >= 1)
		t.submittedAt = clock.past(plusHours(sk.createdAt, rng.float(0.3, sk.age > 2 ? 30 : 4)), 40);
	if (reached >= 2) t.approvedAt = clock.past(plusHours(t.submittedAt!, rng.float(2, 72)), 30);
	if (t.approvedAt) t.approvedAt = notBefore(t.submittedAt!, t.approvedAt, 20);
	if (sk.status === 'rejected')
		t.rejectedAt = notBefore(t.submittedAt!, clock.past(plusHours(t.submittedAt!, rng.float(4, 60)), 30), 20);
	if (reached >= 3) {
		// Natural durations in days, squeezed into the order's age if they would reach today.
		const gaps = [rng.int(3, 10), rng.int(15, 30), rng.int(3, 20), rng.int(25, 60), rng.int(15, 90)].slice(
			0,
			reached - 2
		);
		const approvedDay = clock.dayOf(t.approvedAt!);
		const room = daysBetween(approvedDay, clock.day(-1));
		const total = gaps.reduce((a, b) => a + b, 0);
		const scale = total > room ? room / total : 1;
		let acc = 0;
		const days = gaps.map((g) => addDays(approvedDay, Math.max(0, Math.floor((acc += g) * scale))));
		[t.productionDay, t.shipDay, t.installDay, t.handoverDay] = [
			days[0] ?? null,
			days[1] ?? null,
			days[2] ?? null,
			days[3] ?? null
		];
		if (days[4]) t.closedAt = clock.past(clock.at(days[4], rng.float(9, 17)));
	}
	if (sk.status === 'cancelled')
		t.closedAt = clock.past(
			plusHours(t.approvedAt ?? sk.createdAt, rng.float(24, 24 * Math.max(1, sk.age - 1)))
		);
	return t;
}

export interface BuiltUnit {
	line: BuiltLine;
	serialNo: string;
	status: UnitStatus;
	handedOverOn: string | null;
	id?: number;
}

export interface BuiltOrder extends Amounts {
	sk: Skeleton;
	id?: number;
	salesRepId: number;
	deliveryDate: string;
	discountBp: number;
	returning: boolean;
	t: Timeline;
	updatedAt: Date;
	lines: BuiltLine[];
	units: BuiltUnit[];
	detail: boolean;
	/** Who took the last approval decision; null when a rule approved it automatically. */
	decidedById: number | null;
}

export const PAYMENT_TERMS = [
	'30% 预付款，60% 发货前，10% 验收后',
	'30% 预付款，65% 发货前，5% 质保金（一年）',
	'20% 预付款，70% 到货验收，10% 验收后'
];

/** Unit status by order status; production and installation refine it later. */
const UNIT_STATUS: Partial<Record<OrderStatus, UnitStatus>> = {
	shipped: 'shipped',
	installing: 'installing',
	handed_over: 'handed_over',
	closed: 'in_service'
};

export function buildOrder(ctx: SeedCtx, rng: Rng, sk: Skeleton): BuiltOrder {
	const reps = sk.company.salesReps;
	const salesRepId = rng.chance(0.95) ? sk.customer.ownerId : rng.pick(reps);
	const lineCount = rng.weighted([
		[1, 55],
		[2, 30],
		[3, 15]
	] as const);
	const lines = Array.from({ length: lineCount }, (_, i) =>
		buildLine(rng, ctx.models, sk.customer.kind, i + 1)
	);
	const discountBp = rng.weighted([
		[0, 28],
		[rng.int(6, 16) * 50, 52],
		[rng.int(16, 24) * 50, 15],
		[rng.int(24, 36) * 50, 5]
	] as const);
	const deliveryDate = addDays(sk.orderDate, sk.urgent ? rng.int(45, 75) : rng.int(90, 240));
	const t = timeline(ctx, rng, sk);
	const returning = sk.customer.orders > 0;
	sk.customer.orders++;
	const units: BuiltUnit[] = [];
	const year = sk.orderDate.slice(0, 4);
	for (const line of lines)
		for (let k = 0; k < line.qty; k++)
			units.push({
				line,
				serialNo: `EL-${year}-${pad(nextNumber(ctx, `EL-${year}`), 7)}`,
				status: UNIT_STATUS[sk.status] ?? 'planned',
				handedOverOn: sk.status === 'handed_over' || sk.status === 'closed' ? t.handoverDay : null
			});
	const moments = [sk.createdAt, t.submittedAt, t.approvedAt, t.rejectedAt, t.closedAt].filter(
		(d): d is Date => d !== null
	);
	for (const day of [t.productionDay, t.shipDay, t.installDay, t.handoverDay])
		if (day) moments.push(ctx.clock.past(ctx.clock.at(day, 17)));
	const updatedAt = new Date(Math.max(...moments.map((d) => d.getTime())));
	return {
		sk,
		salesRepId,
		deliveryDate,
		discountBp,
		returning,
		t,
		updatedAt,
		lines,
		units,
		detail: sk.index >= ctx.detailFrom,
		decidedById: null,
		...orderAmounts(lines, discountBp)
	};
}
