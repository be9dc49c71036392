import { aliasedTable, eq, sql, type SQL } from 'drizzle-orm';
import { schema, type Conn, type Tx } from '../db';
import { assertInScope, type Actor } from '../authz';
import { ConflictError } from '../errors';
import type { NewEvent } from '../events/append';
import { unitPlaceColumns } from './unit-lookup';

/**
 * What every service-ticket command shares: the ticket as lists, events and answers carry it
 * (one query shape), its event, and the lock-and-check-version step.
 */

const { serviceTickets, units, sites, customers, users, crews, companies, elevatorModels } = schema;
export type Emit = (event: NewEvent) => Promise<number>;

/** Today in China, 'YYYY-MM-DD': the users, their sites and certificates' expiry days are there. */
export { chinaToday } from './order-common';

const technician = aliasedTable(users, 'technician');

/** The ticket with its unit, site and technician, flat: the event payload and the page's facts. */
export function selectTickets(conn: Conn, where: SQL) {
	return conn
		.select({
			id: serviceTickets.id,
			companyId: serviceTickets.companyId,
			companyCode: companies.code,
			number: serviceTickets.number,
			kind: serviceTickets.kind,
			priority: serviceTickets.priority,
			status: serviceTickets.status,
			description: serviceTickets.description,
			reportedBy: serviceTickets.reportedBy,
			reporterPhone: serviceTickets.reporterPhone,
			technicianId: serviceTickets.technicianId,
			technicianName: technician.displayName,
			technicianUsername: technician.username,
			crewId: serviceTickets.crewId,
			crewName: crews.name,
			assignmentReason: serviceTickets.assignmentReason,
			respondBy: serviceTickets.respondBy,
			createdAt: serviceTickets.createdAt,
			assignedAt: serviceTickets.assignedAt,
			enRouteAt: serviceTickets.enRouteAt,
			arrivedAt: serviceTickets.arrivedAt,
			resolvedAt: serviceTickets.resolvedAt,
			closedAt: serviceTickets.closedAt,
			resolution: serviceTickets.resolution,
			rating: serviceTickets.rating,
			ratingComment: serviceTickets.ratingComment,
			maintenancePlanId: serviceTickets.maintenancePlanId,
			plannedOn: serviceTickets.plannedOn,
			version: serviceTickets.version,
			updatedAt: serviceTickets.updatedAt,
			unitId: units.id,
			serialNo: units.serialNo,
			unitStatus: units.status,
			...unitPlaceColumns
		})
		.from(serviceTickets)
		.innerJoin(units, eq(units.id, serviceTickets.unitId))
		.innerJoin(companies, eq(companies.id, serviceTickets.companyId))
		.innerJoin(elevatorModels, eq(elevatorModels.id, units.modelId))
		.leftJoin(sites, eq(sites.id, units.siteId))
		.leftJoin(customers, eq(customers.id, sites.customerId))
		.leftJoin(technician, eq(technician.id, serviceTickets.technicianId))
		.leftJoin(crews, eq(crews.id, serviceTickets.crewId))
		.where(where);
}
export type TicketFacts = Awaited<ReturnType<typeof selectTickets>>[number];

export async function ticketFacts(conn: Conn, id: number): Promise<TicketFacts | undefined> {
	const [row] = await selectTickets(conn, eq(serviceTickets.id, id));
	return row;
}

/**
 * What a ticket's events carry: its state as lists and the dispatcher's map show it, whole, so a
 * late or repeated event changes nothing. Lean on purpose (no caller phone, no long texts): the
 * sweep writes thousands at once, and a page that shows more reads the ticket again.
 */
export const PAYLOAD_FIELDS = [
	'id',
	'companyId',
	'number',
	'unitId',
	'serialNo',
	'kind',
	'priority',
	'status',
	'description',
	'technicianId',
	'technicianName',
	'crewId',
	'respondBy',
	'createdAt',
	'arrivedAt',
	'resolvedAt',
	'closedAt',
	'plannedOn',
	'maintenancePlanId',
	'rating',
	'city',
	'address',
	'lat',
	'lng',
	'version'
] as const satisfies readonly (keyof TicketFacts)[];
export type TicketPayload = Pick<TicketFacts, (typeof PAYLOAD_FIELDS)[number]>;

export function ticketPayload(t: TicketPayload): Record<string, unknown> {
	const out: Record<string, unknown> = {};
	for (const k of PAYLOAD_FIELDS) out[k] = t[k];
	return out;
}

export function emitTicket(
	emit: Emit,
	t: TicketFacts,
	type: string,
	actorId: number | null,
	extra: Record<string, unknown> = {}
) {
	return emit({
		companyId: t.companyId,
		topic: 'service',
		entity: 'service_ticket',
		entityId: t.id,
		entityVersion: t.version,
		type,
		payload: { ...ticketPayload(t), ...extra },
		actorId
	});
}

/** Who changed the ticket last and how: what a conflict shows beside the ticket as it is now. */
export async function lastChange(conn: Conn, id: number) {
	const [row] = await conn
		.select({ type: schema.events.type, at: schema.events.at, actorName: users.displayName })
		.from(schema.events)
		.leftJoin(users, eq(users.id, schema.events.actorId))
		.where(sql`${schema.events.entity} = 'service_ticket' and ${schema.events.entityId} = ${id}`)
		.orderBy(sql`${schema.events.id} desc`)
		.limit(1);
	return row ?? null;
}

/**
 * Locks the ticket row, checks scope (out of scope reads as not found) and the version the user
 * read; a stale version is a conflict carrying the ticket as it is now and its last change.
 */
export async function lockTicket(tx: Tx, actor: Actor, id: number, version: number | null) {
	const [row] = await tx.select().from(serviceTickets).where(eq(serviceTickets.id, id)).for('update');
	assertInScope(actor, row);
	if (version !== null && row.version !== version) throw await staleTicket(tx, id);
	return row;
}

export async function staleTicket(conn: Conn, id: number): Promise<ConflictError> {
	const [current, change] = await Promise.all([ticketFacts(conn, id), lastChange(conn, id)]);
	return new ConflictError('stale version', { ...current, lastChange: change });
}

/** Bumps the version and the time of the ticket with `set`, and returns its new facts. */
export async function updateTicket(tx: Tx, id: number, set: Partial<typeof serviceTickets.$inferInsert>) {
	await tx
		.update(serviceTickets)
		.set({ ...set, version: sql`${serviceTickets.version} + 1`, updatedAt: sql`now()` })
		.where(eq(serviceTickets.id, id));
	return (await ticketFacts(tx, id))!;
}
