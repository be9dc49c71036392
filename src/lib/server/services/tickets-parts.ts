import { z } from 'zod';
import { and, eq, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { rows, schema, type Tx } from '../db';
import { assertInScope, authorize, type Actor } from '../authz';
import { parseId, parseInput, trimmed } from '../validate';
import { ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { partsEditable } from '../../domain/service-sla';
import { likePattern } from './list';
import { emitTicket, lockTicket, ticketFacts, updateTicket, type Emit } from './tickets-common';
import { statusLabel } from './tickets-text';
import type { Ctx } from './context';

/**
 * Parts used on a ticket, through the stock model (schema/stock.ts): adding one reserves it
 * (stock_levels.reserved up, a stock_reservations row referenced by the ticket number), issuing
 * it moves it out (an 'issue' movement at the item's moving-average cost, on hand and reserved
 * down), and dropping it before issue releases the reservation. Each is one transaction with
 * the stock level row locked, so two tickets never reserve the same last piece.
 */

const { items, stockLevels, stockMovements, stockReservations, ticketParts } = schema;

const id32 = z.number().int().min(1).max(2_147_483_647);
const versionInput = z.object({ version: id32 }).strict();
const addInput = z
	.object({
		itemId: id32,
		qty: z.number().int().min(1).max(10_000),
		warehouseId: id32.optional(),
		version: id32
	})
	.strict();

type PartOptionRow = {
	itemId: number;
	sku: string;
	name: string;
	nameEn: string | null;
	uom: string;
	warehouses: string;
};

/** Items of the ticket's company matching the search, with what is free per warehouse. */
export async function partOptions(ctx: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(ctx.actor, 'service.read');
	const id = parseId(rawId, a.locale);
	const { q } = parseInput(z.object({ q: z.preprocess((v) => v ?? '', trimmed(0, 60)) }), input, a.locale);
	const t = assertInScope(a, await ticketFacts(ctx.db, id));
	const match = q
		? sql`and (i.sku ilike ${likePattern(q)} or i.name ilike ${likePattern(q)} or i.name_en ilike ${likePattern(q)} or i.barcode = ${q})`
		: sql``;
	const found = await rows<PartOptionRow>(
		ctx.db,
		sql`
		select i.id as "itemId", i.sku, i.name, i.name_en as "nameEn", i.uom,
			coalesce(json_agg(json_build_object('id', w.id, 'name', w.name, 'free', l.on_hand - l.reserved) order by w.id)
				filter (where w.id is not null), '[]')::text as warehouses
		from items i
		left join stock_levels l on l.item_id = i.id
		left join warehouses w on w.id = l.warehouse_id
		where i.company_id = ${t.companyId} ${match}
		group by i.id
		order by (i.category = 'spare') desc, i.sku
		limit 20`
	);
	return found.map((r) => {
		const houses = JSON.parse(r.warehouses) as { id: number; name: string; free: number }[];
		return {
			...r,
			itemId: Number(r.itemId),
			warehouses: houses,
			free: houses.reduce((s, h) => s + Math.max(0, h.free), 0)
		};
	});
}

async function lockLevel(tx: Tx, itemId: number, warehouseId: number) {
	const [level] = await tx
		.select()
		.from(stockLevels)
		.where(and(eq(stockLevels.itemId, itemId), eq(stockLevels.warehouseId, warehouseId)))
		.for('update');
	return level;
}

const bumpLevel = (tx: Tx, itemId: number, warehouseId: number, set: Record<string, unknown>) =>
	tx
		.update(stockLevels)
		.set({ ...set, version: sql`${stockLevels.version} + 1`, updatedAt: sql`now()` })
		.where(and(eq(stockLevels.itemId, itemId), eq(stockLevels.warehouseId, warehouseId)));

/** Locks the ticket at the version read and checks parts may still change. */
async function openForParts(tx: Tx, a: Actor, id: number, version: number) {
	const row = await lockTicket(tx, a, id, version);
	if (!partsEditable(row.status))
		throw new ValidationError(
			m.svc_parts_closed({ status: statusLabel(row.status, a.locale) }, { locale: a.locale })
		);
	return row;
}

async function finish(tx: Tx, emit: Emit, a: Actor, id: number, type: string, part: Record<string, unknown>) {
	const updated = await updateTicket(tx, id, {});
	await emitTicket(emit, updated, type, a.id, { part });
	return updated;
}

/** Reserves `qty` of an item for the ticket, from the given warehouse or the one with most free. */
export async function addPart(ctx: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(ctx.actor, 'service.write');
	const id = parseId(rawId, a.locale);
	const v = parseInput(addInput, input, a.locale);
	const o = { locale: a.locale };
	return runCommand(ctx.db, async (tx, emit) => {
		const ticket = await openForParts(tx, a, id, v.version);
		const [item] = await tx.select().from(items).where(eq(items.id, v.itemId));
		if (!item || item.companyId !== ticket.companyId) {
			const message = m.svc_part_unknown({}, o);
			throw new ValidationError(message, [{ path: 'itemId', message }]);
		}
		const warehouseId =
			v.warehouseId ??
			(
				await tx
					.select({ id: stockLevels.warehouseId })
					.from(stockLevels)
					.where(eq(stockLevels.itemId, item.id))
					.orderBy(sql`${stockLevels.onHand} - ${stockLevels.reserved} desc`, stockLevels.warehouseId)
					.limit(1)
			)[0]?.id;
		const level = warehouseId ? await lockLevel(tx, item.id, warehouseId) : undefined;
		const free = level ? level.onHand - level.reserved : 0;
		if (!level || level.companyId !== ticket.companyId || free < v.qty) {
			const message = m.svc_part_short(
				{ item: `${item.sku} ${item.name}`, free: Math.max(0, free), qty: v.qty },
				o
			);
			throw new ValidationError(message, [{ path: 'qty', message }]);
		}
		const [reservation] = await tx
			.insert(stockReservations)
			.values({
				companyId: ticket.companyId,
				itemId: item.id,
				warehouseId: level.warehouseId,
				qty: v.qty,
				reference: ticket.number
			})
			.returning();
		await bumpLevel(tx, item.id, level.warehouseId, { reserved: sql`${stockLevels.reserved} + ${v.qty}` });
		const [part] = await tx
			.insert(ticketParts)
			.values({
				ticketId: id,
				itemId: item.id,
				qty: v.qty,
				warehouseId: level.warehouseId,
				reservationId: reservation.id
			})
			.returning();
		return finish(tx, emit, a, id, 'service_ticket.part_added', { id: part.id, sku: item.sku, qty: v.qty });
	});
}

/** The part and its reservation, still held (not issued, not released). */
async function heldPart(tx: Tx, ticketId: number, partId: number, locale: 'zh-CN' | 'en') {
	const [part] = await tx
		.select()
		.from(ticketParts)
		.where(and(eq(ticketParts.id, partId), eq(ticketParts.ticketId, ticketId)))
		.for('update');
	if (!part) throw new ValidationError(m.svc_part_gone({}, { locale }));
	if (part.issuedAt) throw new ValidationError(m.svc_part_already_issued({}, { locale }));
	const [reservation] = part.reservationId
		? await tx
				.select()
				.from(stockReservations)
				.where(eq(stockReservations.id, part.reservationId))
				.for('update')
		: [];
	if (!reservation || reservation.status !== 'open' || part.warehouseId === null)
		throw new ValidationError(m.svc_part_not_reserved({}, { locale }));
	return { part, reservation, warehouseId: part.warehouseId };
}

/** Issues a reserved part: out of stock at the moving-average cost (the cost itself does not change on issue). */
export async function issuePart(ctx: Ctx, rawId: unknown, rawPartId: unknown, input: unknown) {
	const a = authorize(ctx.actor, 'service.write');
	const id = parseId(rawId, a.locale);
	const partId = parseId(rawPartId, a.locale);
	const { version } = parseInput(versionInput, input, a.locale);
	return runCommand(ctx.db, async (tx, emit) => {
		const ticket = await openForParts(tx, a, id, version);
		const { part, reservation, warehouseId } = await heldPart(tx, id, partId, a.locale);
		const level = await lockLevel(tx, part.itemId, warehouseId);
		const [item] = await tx.select().from(items).where(eq(items.id, part.itemId));
		if (!level || level.onHand < part.qty)
			throw new ValidationError(
				m.svc_part_short(
					{ item: `${item.sku} ${item.name}`, free: level?.onHand ?? 0, qty: part.qty },
					{ locale: a.locale }
				)
			);
		await bumpLevel(tx, part.itemId, warehouseId, {
			onHand: sql`${stockLevels.onHand} - ${part.qty}`,
			reserved: sql`greatest(${stockLevels.reserved} - ${part.qty}, 0)`
		});
		await tx.insert(stockMovements).values({
			companyId: ticket.companyId,
			itemId: part.itemId,
			warehouseId,
			kind: 'issue',
			qty: -part.qty,
			unitCost: item.avgCost,
			reason: m.svc_issue_reason({ number: ticket.number }, { locale: a.locale }),
			reference: `ticket:${id}`,
			actorId: a.id
		});
		await tx
			.update(stockReservations)
			.set({ status: 'issued', version: sql`${stockReservations.version} + 1`, updatedAt: sql`now()` })
			.where(eq(stockReservations.id, reservation.id));
		await tx
			.update(ticketParts)
			.set({ issuedAt: sql`now()`, issuedBy: a.id })
			.where(eq(ticketParts.id, part.id));
		return finish(tx, emit, a, id, 'service_ticket.part_issued', {
			id: part.id,
			sku: item.sku,
			qty: part.qty
		});
	});
}

/** Drops a part not issued yet: its reservation is released and the stock is free again. */
export async function releasePart(ctx: Ctx, rawId: unknown, rawPartId: unknown, input: unknown) {
	const a = authorize(ctx.actor, 'service.write');
	const id = parseId(rawId, a.locale);
	const partId = parseId(rawPartId, a.locale);
	const { version } = parseInput(versionInput, input, a.locale);
	return runCommand(ctx.db, async (tx, emit) => {
		await openForParts(tx, a, id, version);
		const { part, reservation, warehouseId } = await heldPart(tx, id, partId, a.locale);
		await lockLevel(tx, part.itemId, warehouseId);
		await bumpLevel(tx, part.itemId, warehouseId, {
			reserved: sql`greatest(${stockLevels.reserved} - ${part.qty}, 0)`
		});
		await tx
			.update(stockReservations)
			.set({ status: 'released', version: sql`${stockReservations.version} + 1`, updatedAt: sql`now()` })
			.where(eq(stockReservations.id, reservation.id));
		await tx.delete(ticketParts).where(eq(ticketParts.id, part.id));
		return finish(tx, emit, a, id, 'service_ticket.part_released', { id: part.id, qty: part.qty });
	});
}
