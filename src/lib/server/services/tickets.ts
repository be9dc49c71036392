import { z } from 'zod';
import { aliasedTable, and, desc, eq, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema, type Conn } from '../db';
import { assertInScope, authorize, canSeeCompany } from '../authz';
import { parseId, parseInput, trimmed, type Locale } from '../validate';
import { ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { TICKET_KINDS, TICKET_PRIORITIES } from '../../domain/statuses';
import { respondByFor } from '../../domain/service-sla';
import { maxSuffix, nextNumber } from './order-common';
import { chinaToday, emitTicket, ticketFacts } from './tickets-common';
import { autoAssignment } from './tickets-assign';
import { loadWorkforce, rankFor } from './tickets-rank';
import type { Ctx } from './context';

/** Opening a ticket from a call (auto-assigned in the same transaction) and the ticket page's data. */

const {
	serviceTickets,
	units,
	sites,
	companies,
	ticketParts,
	items,
	warehouses,
	stockReservations,
	users,
	events
} = schema;

/** Mainland mobiles (+86 optional), landlines with area code, 400/800 numbers; spaces and dashes allowed. */
const PHONE = /^(?:(?:\+?86)?1[3-9]\d{9}|0\d{2,3}\d{7,8}(?:\d{1,4})?|[48]00\d{7})$/;
export const isPhone = (s: string) => PHONE.test(s.replace(/[\s()-]/g, ''));

const openInput = (locale: Locale) =>
	z
		.object({
			unitId: z.number().int().min(1).max(2_147_483_647),
			kind: z.enum(TICKET_KINDS),
			priority: z.enum(TICKET_PRIORITIES),
			description: trimmed(1, 2000),
			reportedBy: z.preprocess((v) => (v === '' ? undefined : v), trimmed(1, 60).optional()),
			reporterPhone: trimmed(1, 30).refine(isPhone, m.svc_phone_invalid({}, { locale }))
		})
		.strict();

/** Serial and company of a unit the actor may see, with its site's coordinates; undefined otherwise. */
async function unitForTicket(conn: Conn, unitId: number) {
	const [u] = await conn
		.select({
			id: units.id,
			companyId: units.companyId,
			companyCode: companies.code,
			serialNo: units.serialNo,
			lat: sites.lat,
			lng: sites.lng
		})
		.from(units)
		.innerJoin(companies, eq(companies.id, units.companyId))
		.leftJoin(sites, eq(sites.id, units.siteId))
		.where(eq(units.id, unitId));
	return u;
}

/** The next ticket number of a company this year: ST-SH-2026-000123, handed out by one upsert. */
export function ticketNumbers(companyCode: string, today: string) {
	const prefix = `ST-${companyCode}-${today.slice(0, 4)}`;
	return { prefix, existing: maxSuffix(sql`number`, sql`service_tickets`, prefix) };
}

/**
 * A call becomes a ticket: the unit found, the response target from the priority, and the best
 * technician (skills with valid certificates, distance, load) assigned with the reason, all in
 * one transaction with its event. Nobody eligible: it stays 'new' and says why.
 */
export async function openTicket(ctx: Ctx, input: unknown) {
	const a = authorize(ctx.actor, 'service.write');
	const v = parseInput(openInput(a.locale), input, a.locale);
	const o = { locale: a.locale };
	return runCommand(ctx.db, async (tx, emit) => {
		const unit = await unitForTicket(tx, v.unitId);
		if (!unit || !canSeeCompany(a, unit.companyId)) {
			const message = m.svc_unit_unknown({ id: v.unitId }, o);
			throw new ValidationError(message, [{ path: 'unitId', message }]);
		}
		const now = new Date();
		const today = chinaToday(now);
		const need = {
			companyId: unit.companyId,
			kind: v.kind,
			priority: v.priority,
			lat: unit.lat,
			lng: unit.lng,
			plannedOn: null
		};
		const w = await loadWorkforce(tx, [unit.companyId], today);
		const assignment = autoAssignment(w, need, rankFor(w, need), a.locale, now);
		const { prefix, existing } = ticketNumbers(unit.companyCode, today);
		const [row] = await tx
			.insert(serviceTickets)
			.values({
				companyId: unit.companyId,
				number: await nextNumber(tx, prefix, existing),
				unitId: unit.id,
				kind: v.kind,
				priority: v.priority,
				description: v.description,
				reportedBy: v.reportedBy ?? null,
				reporterPhone: v.reporterPhone,
				respondBy: respondByFor(now, v.priority),
				createdAt: now,
				updatedAt: now,
				...assignment
			})
			.returning({ id: serviceTickets.id });
		const facts = (await ticketFacts(tx, row.id))!;
		await emitTicket(emit, facts, 'service_ticket.created', a.id);
		return facts;
	});
}

const issuer = aliasedTable(users, 'issuer');

/** Parts on a ticket with their reservation's state. */
export function ticketPartRows(conn: Conn, ticketId: number) {
	return conn
		.select({
			id: ticketParts.id,
			itemId: ticketParts.itemId,
			sku: items.sku,
			name: items.name,
			nameEn: items.nameEn,
			uom: items.uom,
			qty: ticketParts.qty,
			warehouseId: ticketParts.warehouseId,
			warehouseName: warehouses.name,
			reservationId: ticketParts.reservationId,
			reservationStatus: stockReservations.status,
			issuedAt: ticketParts.issuedAt,
			issuedByName: issuer.displayName
		})
		.from(ticketParts)
		.innerJoin(items, eq(items.id, ticketParts.itemId))
		.leftJoin(warehouses, eq(warehouses.id, ticketParts.warehouseId))
		.leftJoin(stockReservations, eq(stockReservations.id, ticketParts.reservationId))
		.leftJoin(issuer, eq(issuer.id, ticketParts.issuedBy))
		.where(eq(ticketParts.ticketId, ticketId))
		.orderBy(ticketParts.id);
}
export type TicketPart = Awaited<ReturnType<typeof ticketPartRows>>[number];

/** The ticket's changes, newest first: who did what when. */
function ticketHistory(conn: Conn, ticketId: number) {
	return conn
		.select({
			id: events.id,
			type: events.type,
			at: events.at,
			actorName: users.displayName,
			status: sql<string | null>`${events.payload}->>'status'`,
			technicianName: sql<string | null>`${events.payload}->>'technicianName'`
		})
		.from(events)
		.leftJoin(users, eq(users.id, events.actorId))
		.where(and(eq(events.entity, 'service_ticket'), eq(events.entityId, ticketId)))
		.orderBy(desc(events.id))
		.limit(100);
}

/** The ticket page: the ticket with its unit and site, the parts, the history; out of scope is not found. */
export async function getTicket(ctx: Ctx, rawId: unknown) {
	const a = authorize(ctx.actor, 'service.read');
	const id = parseId(rawId, a.locale);
	const ticket = assertInScope(a, await ticketFacts(ctx.db, id));
	const [parts, history] = await Promise.all([ticketPartRows(ctx.db, id), ticketHistory(ctx.db, id)]);
	return { ticket, parts, history, serverNow: new Date().toISOString() };
}
export type TicketDetail = Awaited<ReturnType<typeof getTicket>>;
