import { z } from 'zod';
import { asc, inArray } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, canSeeCompany, scopeFilter } from '../authz';
import { parseInput } from '../validate';
import { NotFoundError } from '../errors';
import { currentCursor } from '../realtime/stream';
import { chinaToday } from './order-common';
import { loadPlanningData, materialsOf } from './schedule-data';
import type { Ctx } from './context';

const { companies, items, workOrders } = schema;

export const shortagesQuery = z
	.object({ companyId: z.coerce.number().int().min(1).max(2_147_483_647).optional() })
	.strict();

/**
 * The parts missing for work orders not yet under way, per company and item: what is needed,
 * what is free in stock, what is on order (purchase order and expected day) and which work
 * orders wait for it. Worked out now with the replan's own rules, so it agrees with the
 * schedule's material days as of the last replan and shows stock changes since at once.
 */
export async function listShortages({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'production.read');
	const q = parseInput(shortagesQuery, input, a.locale);
	if (q.companyId !== undefined && !canSeeCompany(a, q.companyId)) throw new NotFoundError();
	const cursor = await currentCursor(db);
	const visible = await db
		.select({ id: companies.id, code: companies.code, name: companies.name })
		.from(companies)
		.where(scopeFilter(a, companies.id))
		.orderBy(asc(companies.id));
	const today = chinaToday();
	const rows = [];
	for (const company of visible.filter((c) => q.companyId === undefined || c.id === q.companyId)) {
		const data = await loadPlanningData(db, company.id, today);
		const { items: short } = materialsOf(data);
		if (short.length === 0) continue;
		const [names, wos] = await Promise.all([
			db
				.select({ id: items.id, sku: items.sku, name: items.name, nameEn: items.nameEn, uom: items.uom })
				.from(items)
				.where(
					inArray(
						items.id,
						short.map((s) => s.itemId)
					)
				),
			db
				.select({
					id: workOrders.id,
					number: workOrders.number,
					dueDate: workOrders.dueDate,
					priority: workOrders.priority
				})
				.from(workOrders)
				.where(inArray(workOrders.id, [...new Set(short.flatMap((s) => s.workOrders.map((w) => w.id)))]))
		]);
		const item = new Map(names.map((n) => [n.id, n]));
		const wo = new Map(wos.map((w) => [w.id, w]));
		for (const s of short)
			rows.push({
				companyId: company.id,
				companyCode: company.code,
				...item.get(s.itemId)!,
				...s,
				workOrders: s.workOrders.map((w) => ({ ...w, ...wo.get(w.id)! }))
			});
	}
	return { companies: visible, companyId: q.companyId ?? null, today, rows, cursor };
}
export type ShortageList = Awaited<ReturnType<typeof listShortages>>;
export type ShortageRow = ShortageList['rows'][number];
