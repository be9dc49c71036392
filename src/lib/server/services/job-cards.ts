import { asc, eq, inArray, sql } from 'drizzle-orm';
import { m } from '$lib/paraglide/messages';
import { schema, type Conn } from '../db';
import { authorize, canSeeCompany, type Actor } from '../authz';
import { NotFoundError, ValidationError } from '../errors';
import { parseId } from '../validate';
import { renderJobCardsPdf, type JobCard } from '../print/job-card-pdf';
import type { FileResult } from '../file-endpoint';
import { listWorkOrders } from './production';
import type { Ctx } from './context';

/**
 * Printable job cards: one A4 page per work order with its QR code (the terminal's scanner opens
 * the job with it), the unit and its specs, and the routing steps with boxes for start, finish
 * and signature by hand. Out of scope reads as not found, like the work order's page.
 */

/** At most this many cards in one PDF (like order printing). */
export const MAX_CARDS = 100;

export interface JobCardsFile extends FileResult {
	contentType: 'application/pdf';
	/** How many cards it holds. */
	cards: number;
}

const { workOrders, workOrderSteps, workCentres, orders, orderLines, units, customers, sites, companies, elevatorModels } =
	schema;

/** The cards of these work orders, in the order asked; any missing or out of scope → not found. */
async function loadCards(conn: Conn, a: Actor, ids: number[]): Promise<JobCard[]> {
	const rows = await conn
		.select({
			id: workOrders.id,
			companyId: workOrders.companyId,
			companyName: companies.name,
			companyNameEn: companies.nameEn,
			number: workOrders.number,
			status: workOrders.status,
			priority: workOrders.priority,
			dueDate: workOrders.dueDate,
			plannedStart: workOrders.plannedStart,
			projectedFinish: workOrders.projectedFinish,
			changeFlag: workOrders.changeFlag,
			orderNumber: orders.number,
			customerName: customers.name,
			siteName: sites.name,
			siteProvince: sites.province,
			siteCity: sites.city,
			serialNo: units.serialNo,
			modelCode: elevatorModels.code,
			modelName: elevatorModels.name,
			modelNameEn: elevatorModels.nameEn,
			loadKg: orderLines.loadKg,
			speed: orderLines.speed,
			stops: orderLines.stops,
			travelM: orderLines.travelM,
			doorType: orderLines.doorType,
			doorWidthMm: orderLines.doorWidthMm,
			machineRoom: orderLines.machineRoom
		})
		.from(workOrders)
		.innerJoin(companies, eq(companies.id, workOrders.companyId))
		.innerJoin(orders, eq(orders.id, workOrders.orderId))
		.innerJoin(customers, eq(customers.id, orders.customerId))
		.innerJoin(units, eq(units.id, workOrders.unitId))
		.innerJoin(orderLines, eq(orderLines.id, units.lineId))
		.innerJoin(elevatorModels, eq(elevatorModels.id, units.modelId))
		// The unit's own site when it has one, else the order's.
		.leftJoin(sites, eq(sites.id, sql`coalesce(${units.siteId}, ${orders.siteId})`))
		.where(inArray(workOrders.id, ids));
	const byId = new Map(rows.map((r) => [r.id, r]));
	if (ids.some((id) => !byId.has(id) || !canSeeCompany(a, byId.get(id)!.companyId)))
		throw new NotFoundError();
	const steps = await conn
		.select({
			workOrderId: workOrderSteps.workOrderId,
			seq: workOrderSteps.seq,
			stage: workOrderSteps.stage,
			workCentreCode: workCentres.code,
			workCentreName: workCentres.name,
			workCentreNameEn: workCentres.nameEn,
			standardHours: workOrderSteps.standardHours,
			status: workOrderSteps.status,
			plannedDate: workOrderSteps.plannedDate,
			plannedEnd: workOrderSteps.plannedEnd
		})
		.from(workOrderSteps)
		.innerJoin(workCentres, eq(workCentres.id, workOrderSteps.workCentreId))
		.where(inArray(workOrderSteps.workOrderId, ids))
		.orderBy(asc(workOrderSteps.workOrderId), asc(workOrderSteps.seq));
	return ids.map((id) => {
		const r = byId.get(id)!;
		return {
			...r,
			steps: steps
				.filter((s) => s.workOrderId === id)
				.map(({ workOrderId: _, standardHours, ...s }) => ({ ...s, standardHours: Number(standardHours) }))
		};
	});
}

/** One work order's job card. */
export async function printJobCard(ctx: Ctx, rawId: unknown): Promise<JobCardsFile> {
	const a = authorize(ctx.actor, 'production.read');
	const id = parseId(rawId, a.locale);
	return print(ctx, await loadCards(ctx.db, a, [id]));
}

/**
 * Several cards in one PDF, one per page. `ids` is "1,2,3" (at most MAX_CARDS; one out of scope
 * makes the whole batch not found). Without `ids`, the page of the work orders list that the
 * same query string shows (its filters, sort and page) is printed.
 */
export async function printJobCards(ctx: Ctx, input: Record<string, string>): Promise<JobCardsFile> {
	const a = authorize(ctx.actor, 'production.read');
	const o = { locale: a.locale };
	const invalid = (path: string, message: string) => new ValidationError(`${path}: ${message}`, [{ path, message }]);
	let ids: number[];
	if ('ids' in input) {
		const parts = input.ids.split(',').map((s) => s.trim());
		if (parts.length > MAX_CARDS) throw invalid('ids', m.card_too_many({ max: MAX_CARDS }, o));
		if (parts.some((p) => !/^\d{1,10}$/.test(p))) throw invalid('ids', m.card_ids_invalid({}, o));
		ids = [...new Set(parts.map((p) => parseId(p, a.locale)))];
	} else {
		if (Number(input.pageSize ?? 0) > MAX_CARDS) throw invalid('pageSize', m.card_too_many({ max: MAX_CARDS }, o));
		ids = (await listWorkOrders(ctx, input)).rows.map((r) => r.id);
		if (ids.length === 0) throw new NotFoundError();
	}
	return print(ctx, await loadCards(ctx.db, a, ids));
}

async function print(ctx: Ctx, cards: JobCard[]): Promise<JobCardsFile> {
	const body = await renderJobCardsPdf(cards, { locale: ctx.actor!.locale, printedAt: new Date() });
	const filename = cards.length === 1 ? `${cards[0].number}.pdf` : `job-cards-${cards.length}.pdf`;
	return { filename, contentType: 'application/pdf', body, cards: cards.length };
}
