import { aliasedTable, asc, eq, inArray } from 'drizzle-orm';
import { schema, type Db } from '../db';
import { chinaToday } from './order-common';
import { chinaMoment, isOpenTicket, iso, responseOf, type LifeEntry } from './unit-history-entries';
import type { UnitRef } from './unit-history-rows';

const { users, crews, serviceTickets, ticketParts, items, warehouses } = schema;

/** Repairs, complaints, inspections and maintenance visits, with the parts each used. */
export async function serviceEntries(db: Db, ref: UnitRef, now: Date) {
	const tech = aliasedTable(users, 'tech');
	const tickets = await db
		.select({ t: serviceTickets, technician: tech.displayName, crew: crews.name })
		.from(serviceTickets)
		.leftJoin(tech, eq(tech.id, serviceTickets.technicianId))
		.leftJoin(crews, eq(crews.id, serviceTickets.crewId))
		.where(eq(serviceTickets.unitId, ref.unitId))
		.orderBy(asc(serviceTickets.createdAt), asc(serviceTickets.id));
	const ids = tickets.map((r) => r.t.id);
	const issuer = aliasedTable(users, 'issuer');
	const parts = ids.length
		? await db
				.select({
					part: ticketParts,
					sku: items.sku,
					name: items.name,
					nameEn: items.nameEn,
					uom: items.uom,
					warehouse: warehouses.name,
					issuedBy: issuer.displayName
				})
				.from(ticketParts)
				.innerJoin(items, eq(items.id, ticketParts.itemId))
				.leftJoin(warehouses, eq(warehouses.id, ticketParts.warehouseId))
				.leftJoin(issuer, eq(issuer.id, ticketParts.issuedBy))
				.where(inArray(ticketParts.ticketId, ids))
				.orderBy(asc(ticketParts.id))
		: [];
	const today = chinaToday(now);
	const out: LifeEntry[] = [];
	let repairs = 0;
	let visits = 0;
	let open = 0;
	for (const { t, technician, crew } of tickets) {
		const visit = t.maintenancePlanId !== null || t.kind === 'maintenance';
		const upcoming = visit && !!t.plannedOn && t.plannedOn > today && isOpenTicket(t.status);
		if (t.kind === 'fault') repairs++;
		if (visit && !isOpenTicket(t.status)) visits++;
		if (isOpenTicket(t.status) && !upcoming) open++;
		// A planned visit sits on its day (or when the technician arrived), not on when it was generated.
		const at = visit && t.plannedOn ? (iso(t.arrivedAt) ?? chinaMoment(t.plannedOn, 8)) : iso(t.createdAt)!;
		out.push({
			key: `tk-${t.id}`,
			source: 'service',
			kind: visit ? 'visit' : 'ticket',
			at,
			day: visit && t.plannedOn && !t.arrivedAt ? t.plannedOn : null,
			actor: technician,
			ticket: {
				id: t.id,
				number: t.number,
				kind: t.kind,
				priority: t.priority,
				status: t.status,
				description: t.description,
				reportedBy: t.reportedBy,
				technician,
				crew,
				assignmentReason: t.assignmentReason,
				respondBy: iso(t.respondBy)!,
				response: visit ? null : responseOf(t, now),
				assignedAt: iso(t.assignedAt),
				enRouteAt: iso(t.enRouteAt),
				arrivedAt: iso(t.arrivedAt),
				resolvedAt: iso(t.resolvedAt),
				closedAt: iso(t.closedAt),
				resolution: t.resolution,
				rating: t.rating,
				ratingComment: t.ratingComment,
				plannedOn: t.plannedOn,
				upcoming
			}
		});
		for (const p of parts)
			if (p.part.ticketId === t.id)
				out.push({
					key: `part-${p.part.id}`,
					source: 'part',
					kind: 'part',
					// Issued parts sit when they left the store; reserved ones beside their ticket.
					at: iso(p.part.issuedAt) ?? at,
					day: null,
					actor: p.issuedBy,
					part: {
						id: p.part.id,
						ticketId: t.id,
						ticketNumber: t.number,
						sku: p.sku,
						name: p.name,
						nameEn: p.nameEn,
						uom: p.uom,
						qty: p.part.qty,
						warehouse: p.warehouse,
						issued: p.part.issuedAt !== null
					}
				});
	}
	return {
		entries: out,
		counts: { repairs, visits, openTickets: open, tickets: tickets.length, parts: parts.length }
	};
}
