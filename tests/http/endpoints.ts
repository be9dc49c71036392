/**
 * The list endpoints of the API, with what the http tests need to know about each: the sort
 * keys (and the row field that holds the sorted value, when the row has it), a filter whose
 * value can be taken from a row, and a searchable field.
 */
export type SortKind = 'number' | 'date' | 'text' | 'rank';

export interface ListEndpoint {
	path: string;
	/** sort key → [row field, kind]; null when the row does not carry the sorted value. */
	sorts: Record<string, [string, SortKind] | null>;
	/** A filter parameter whose value equals a row field of the same name. */
	filter: string | null;
	/** A row field that the `q` search looks in. */
	searchField: string;
}

export const LIST_ENDPOINTS: ListEndpoint[] = [
	{
		path: '/api/v1/orders',
		sorts: {
			createdAt: null,
			number: ['number', 'text'],
			orderDate: ['orderDate', 'date'],
			deliveryDate: ['deliveryDate', 'date'],
			totalAmount: ['totalAmount', 'number'],
			status: ['status', 'text']
		},
		filter: 'status',
		searchField: 'number'
	},
	{
		path: '/api/v1/approvals',
		sorts: { dueAt: ['dueAt', 'date'], activatedAt: ['activatedAt', 'date'], totalAmount: ['totalAmount', 'number'], number: ['number', 'text'] },
		filter: null,
		searchField: 'number'
	},
	{
		path: '/api/v1/work-orders',
		sorts: {
			dueDate: ['dueDate', 'date'],
			number: ['number', 'text'],
			status: ['status', 'text'],
			projectedFinish: ['projectedFinish', 'date'],
			plannedStart: ['plannedStart', 'date']
		},
		filter: 'status',
		searchField: 'number'
	},
	{
		path: '/api/v1/installation-jobs',
		sorts: { plannedStart: ['plannedStart', 'date'], number: ['number', 'text'], status: ['status', 'text'], city: ['city', 'text'] },
		filter: 'status',
		searchField: 'number'
	},
	{
		path: '/api/v1/service-tickets',
		sorts: {
			respondBy: ['respondBy', 'date'],
			createdAt: ['createdAt', 'date'],
			priority: ['priority', 'rank'],
			number: ['number', 'text'],
			status: ['status', 'text']
		},
		filter: 'status',
		searchField: 'number'
	},
	{
		path: '/api/v1/stock-items',
		sorts: { sku: ['sku', 'text'], name: ['name', 'text'], onHand: ['onHand', 'number'], available: null, category: ['category', 'text'] },
		filter: 'category',
		searchField: 'sku'
	},
	{
		path: '/api/v1/customers',
		sorts: {
			name: ['name', 'text'],
			code: ['code', 'text'],
			city: ['city', 'text'],
			createdAt: null,
			creditLimit: ['creditLimit', 'number']
		},
		filter: 'kind',
		searchField: 'name'
	}
];

const TICKET_RANK = ['trapped', 'urgent', 'high', 'normal', 'low'];

/** A sortable number for a row value; null sorts last ascending, as in PostgreSQL. */
export function sortValue(v: unknown, kind: SortKind): number | null {
	if (v === null || v === undefined) return null;
	if (kind === 'number') return Number(v);
	if (kind === 'date') return Date.parse(String(v));
	if (kind === 'rank') return TICKET_RANK.indexOf(String(v));
	return null;
}

/** True when the values are in order (nulls last ascending, first descending). */
export function isOrdered(values: (number | null)[], dir: 'asc' | 'desc'): boolean {
	const key = (v: number | null) => (v === null ? Infinity : v);
	for (let i = 1; i < values.length; i++) {
		const a = key(values[i - 1]);
		const b = key(values[i]);
		if (dir === 'asc' ? a > b : a < b) return false;
	}
	return true;
}
