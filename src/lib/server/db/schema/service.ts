import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, timestamp, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, oneOf, timestamps, version } from './columns';
import { companies } from './org';
import { users } from './auth';
import { units } from './orders';
import { crews } from './installation';
import { items, stockReservations, warehouses } from './stock';
import { TICKET_KINDS, TICKET_PRIORITIES, TICKET_STATUSES } from '../../../domain/statuses';

export const serviceTickets = pgTable(
	'service_tickets',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		number: text('number').notNull(),
		unitId: integer('unit_id')
			.notNull()
			.references(() => units.id),
		kind: text('kind').$type<(typeof TICKET_KINDS)[number]>().notNull(),
		priority: text('priority').$type<(typeof TICKET_PRIORITIES)[number]>().notNull().default('normal'),
		status: text('status').$type<(typeof TICKET_STATUSES)[number]>().notNull().default('new'),
		description: text('description').notNull(),
		reportedBy: text('reported_by'),
		reporterPhone: text('reporter_phone'),
		technicianId: integer('technician_id').references(() => users.id),
		crewId: integer('crew_id').references(() => crews.id),
		assignmentReason: text('assignment_reason'),
		/** When the technician must be on site, from the priority's response-time target. */
		respondBy: timestamp('respond_by', { withTimezone: true }).notNull(),
		arrivedAt: timestamp('arrived_at', { withTimezone: true }),
		resolvedAt: timestamp('resolved_at', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		/** A planned maintenance visit: the plan that generated it and its day. */
		maintenancePlanId: integer('maintenance_plan_id').references(() => maintenancePlans.id),
		plannedOn: date('planned_on'),
		assignedAt: timestamp('assigned_at', { withTimezone: true }),
		enRouteAt: timestamp('en_route_at', { withTimezone: true }),
		resolution: text('resolution'),
		rating: integer('rating'),
		ratingComment: text('rating_comment'),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('service_tickets_number_uq').on(t.number),
		index('service_tickets_company_status_idx').on(t.companyId, t.status, t.respondBy),
		index('service_tickets_unit_idx').on(t.unitId, t.createdAt),
		index('service_tickets_technician_idx').on(t.technicianId, t.status),
		uniqueIndex('service_tickets_visit_uq')
			.on(t.maintenancePlanId, t.plannedOn)
			.where(sql`${t.maintenancePlanId} is not null`),
		check('service_tickets_kind_ck', sql.raw(`kind in (${oneOf(TICKET_KINDS)})`)),
		check('service_tickets_priority_ck', sql.raw(`priority in (${oneOf(TICKET_PRIORITIES)})`)),
		check('service_tickets_status_ck', sql.raw(`status in (${oneOf(TICKET_STATUSES)})`)),
		check('service_tickets_rating_ck', sql`${t.rating} is null or ${t.rating} between 1 and 5`)
	]
);

/** Parts used on a ticket; issuing them moves stock. */
export const ticketParts = pgTable(
	'ticket_parts',
	{
		id: id(),
		ticketId: integer('ticket_id')
			.notNull()
			.references(() => serviceTickets.id, { onDelete: 'cascade' }),
		itemId: integer('item_id')
			.notNull()
			.references(() => items.id),
		qty: integer('qty').notNull(),
		warehouseId: integer('warehouse_id').references(() => warehouses.id),
		/** The stock reservation held for it until it is issued (or released when the ticket drops it). */
		reservationId: integer('reservation_id').references(() => stockReservations.id),
		issuedAt: timestamp('issued_at', { withTimezone: true }),
		issuedBy: integer('issued_by').references(() => users.id)
	},
	(t) => [index('ticket_parts_ticket_idx').on(t.ticketId), check('ticket_parts_qty_ck', sql`${t.qty} > 0`)]
);

/** Planned maintenance per unit (every 15 days is the usual rule in China). */
export const maintenancePlans = pgTable(
	'maintenance_plans',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		unitId: integer('unit_id')
			.notNull()
			.references(() => units.id),
		intervalDays: integer('interval_days').notNull().default(15),
		nextDueOn: date('next_due_on').notNull(),
		/** Visits exist as tickets up to this day; the generator goes on from the day after. */
		generatedThrough: date('generated_through'),
		active: integer('active').notNull().default(1),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('maintenance_plans_unit_uq').on(t.unitId),
		index('maintenance_plans_due_idx').on(t.companyId, t.nextDueOn),
		check('maintenance_plans_interval_ck', sql`${t.intervalDays} between 1 and 366`)
	]
);
