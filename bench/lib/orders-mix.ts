import { ORDER_STATUSES } from '../../src/lib/domain/statuses';
import type { Session } from './api';

/**
 * A realistic mix of orders-list requests: what the list page and API clients ask for.
 * Parameters come from each user's own first pages, so searches and filters hit real rows.
 */
export const KINDS = [
	'default',
	'statusByAmount',
	'dateRange',
	'searchCustomer',
	'searchNumber',
	'company',
	'page40',
	'pageSize50',
	'pageSize100'
] as const;
export type Kind = (typeof KINDS)[number];

export interface OrderRow {
	number: string;
	customerName: string;
	companyId: number;
	orderDate: string;
}

export interface Sample {
	names: string[];
	numbers: string[];
	companyIds: number[];
	dates: string[];
}

/** A deterministic generator, so two runs ask the same questions. */
export function lcg(seed: number) {
	let s = seed >>> 0;
	return (n: number) => {
		s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
		return s % n;
	};
}

/** The first pages the user sees in three orders: createdAt, oldest orderDate, largest amount. */
export const SAMPLE_QUERIES: Record<string, string>[] = [
	{ sort: 'createdAt' },
	{ sort: 'orderDate', dir: 'asc' },
	{ sort: 'totalAmount' }
];

export function sampleOf(rows: OrderRow[]): Sample {
	if (rows.length === 0) throw new Error('the user sees no orders');
	return {
		names: [...new Set(rows.map((r) => r.customerName))],
		numbers: [...new Set(rows.map((r) => r.number))],
		companyIds: [...new Set(rows.map((r) => r.companyId))],
		dates: rows.map((r) => r.orderDate)
	};
}

export async function sampleFor(session: Session): Promise<Sample> {
	const rows: OrderRow[] = [];
	for (const q of SAMPLE_QUERIES) {
		const qs = new URLSearchParams({ ...q, pageSize: '100' });
		rows.push(...(await session.get<{ rows: OrderRow[] }>(`/api/v1/orders?${qs}`)).body.rows);
	}
	return sampleOf(rows);
}

const addDays = (day: string, n: number) =>
	new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

/** A fragment someone would type: two or three characters of a name, the tail digits of a number. */
function nameFragment(name: string, pick: (n: number) => number): string {
	const chars = [...name];
	const len = Math.min(chars.length, 2 + pick(2));
	const start = pick(Math.max(1, chars.length - len + 1));
	return chars.slice(start, start + len).join('');
}

function numberFragment(number: string, pick: (n: number) => number): string {
	const digits = number.replace(/\D+$/, '');
	return digits.slice(-(4 + pick(3)));
}

/** The query parameters of one request of a kind, as the list page would send them. */
export function paramsFor(kind: Kind, s: Sample, pick: (n: number) => number): Record<string, string> {
	const any = <T>(xs: T[]) => xs[pick(xs.length)];
	const p = new URLSearchParams();
	switch (kind) {
		case 'default':
			break;
		case 'statusByAmount':
			p.set('status', any([...ORDER_STATUSES]));
			p.set('sort', 'totalAmount');
			break;
		case 'dateRange': {
			const from = any(s.dates);
			p.set('from', from);
			p.set('to', addDays(from, 30 + pick(60)));
			p.set('sort', 'orderDate');
			break;
		}
		case 'searchCustomer':
			p.set('q', nameFragment(any(s.names), pick));
			break;
		case 'searchNumber':
			p.set('q', numberFragment(any(s.numbers), pick));
			break;
		case 'company':
			p.set('companyId', String(any(s.companyIds)));
			break;
		case 'page40':
			p.set('page', '40');
			break;
		case 'pageSize50':
			p.set('pageSize', '50');
			break;
		case 'pageSize100':
			p.set('pageSize', '100');
			p.set('sort', any(['number', 'deliveryDate', 'status']));
			break;
	}
	return Object.fromEntries(p);
}

export function queryFor(kind: Kind, s: Sample, pick: (n: number) => number): string {
	const qs = new URLSearchParams(paramsFor(kind, s, pick)).toString();
	return `/api/v1/orders${qs ? `?${qs}` : ''}`;
}
