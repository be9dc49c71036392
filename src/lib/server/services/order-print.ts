import { inArray } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { schema } from '../db';
import { authorize } from '../authz';
import { NotFoundError, ValidationError } from '../errors';
import { parseId } from '../validate';
import { renderOrdersPdf, type OptionNames } from '../print/order-pdf';
import { getOrder, listOrders, type OrderDetail } from './orders';
import type { Ctx } from './context';

/** At most this many orders in one PDF: a batch of 100 renders in a few seconds. */
export const MAX_PRINT = 100;

export interface PrintedFile {
	filename: string;
	contentType: 'application/pdf';
	body: Buffer;
	/** How many orders it holds. */
	orders: number;
}

/** One order as its confirmation / contract PDF; out of scope reads as not found, like the detail. */
export async function printOrder(ctx: Ctx, rawId: unknown): Promise<PrintedFile> {
	return print(ctx, [await getOrder(ctx, rawId)]);
}

/**
 * Several orders in one PDF, each starting on a new page. `ids` is "1,2,3" (at most MAX_PRINT;
 * one out of scope makes the whole batch not found). Without `ids`, the page of the orders list
 * that the same query string shows (its filters, sort and page) is printed.
 */
export async function printOrders(ctx: Ctx, input: Record<string, string>): Promise<PrintedFile> {
	const a = authorize(ctx.actor, 'orders.read');
	const o = { locale: a.locale };
	const invalid = (path: string, message: string) => new ValidationError(message, [{ path, message }]);
	let ids: number[];
	if ('ids' in input) {
		const parts = input.ids.split(',').map((s) => s.trim());
		if (parts.length > MAX_PRINT) throw invalid('ids', m.print_too_many({ max: MAX_PRINT }, o));
		if (parts.some((p) => !/^\d{1,10}$/.test(p))) throw invalid('ids', m.print_ids_invalid({}, o));
		ids = [...new Set(parts.map((p) => parseId(p, a.locale)))];
	} else {
		if (Number(input.pageSize ?? 0) > MAX_PRINT)
			throw invalid('pageSize', m.print_too_many({ max: MAX_PRINT }, o));
		ids = (await listOrders(ctx, input)).rows.map((r) => r.id);
		if (ids.length === 0) throw new NotFoundError();
	}
	const orders: OrderDetail[] = [];
	// A few at a time: each detail is several queries, and the pool is small.
	for (let i = 0; i < ids.length; i += 4)
		orders.push(...(await Promise.all(ids.slice(i, i + 4).map((id) => getOrder(ctx, id)))));
	return print(ctx, orders);
}

async function print(ctx: Ctx, orders: OrderDetail[]): Promise<PrintedFile> {
	const locale = ctx.actor!.locale;
	const body = await renderOrdersPdf(orders, { locale, optionNames: await optionNames(ctx, orders) });
	const filename = orders.length === 1 ? `${orders[0].order.number}.pdf` : `orders-${orders.length}.pdf`;
	return { filename, contentType: 'application/pdf', body, orders: orders.length };
}

/** The names of the options and finishes the orders' lines carry, by model and code. */
async function optionNames({ db }: Ctx, orders: OrderDetail[]): Promise<OptionNames> {
	const modelIds = [...new Set(orders.flatMap((o) => o.lines.map((l) => l.line.modelId)))];
	if (modelIds.length === 0) return new Map();
	const { modelOptions } = schema;
	const rows = await db
		.select({
			modelId: modelOptions.modelId,
			code: modelOptions.code,
			name: modelOptions.name,
			nameEn: modelOptions.nameEn
		})
		.from(modelOptions)
		.where(inArray(modelOptions.modelId, modelIds));
	return new Map(rows.map((r) => [`${r.modelId}:${r.code}`, { name: r.name, nameEn: r.nameEn }]));
}
