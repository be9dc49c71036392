import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	doublePrecision,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { id, money, oneOf, timestamps, version } from './columns';
import { companies } from './org';
import { users } from './auth';
import { customers, sites } from './customers';
import { elevatorModels } from './catalog';
import { ORDER_STATUSES, UNIT_STATUSES, PRIORITIES } from '../../../domain/statuses';

export const orders = pgTable(
	'orders',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		number: text('number').notNull(),
		customerId: integer('customer_id')
			.notNull()
			.references(() => customers.id),
		siteId: integer('site_id').references(() => sites.id),
		salesRepId: integer('sales_rep_id')
			.notNull()
			.references(() => users.id),
		status: text('status').$type<(typeof ORDER_STATUSES)[number]>().notNull().default('draft'),
		priority: text('priority').$type<(typeof PRIORITIES)[number]>().notNull().default('normal'),
		orderDate: date('order_date').notNull(),
		deliveryDate: date('delivery_date'),
		paymentTerms: text('payment_terms'),
		/** Discount in basis points (1250 = 12.5 %). */
		discountBp: integer('discount_bp').notNull().default(0),
		/** VAT rate in basis points (1300 = 13 %). */
		taxRateBp: integer('tax_rate_bp').notNull().default(1300),
		subtotal: money('subtotal').notNull().default(0),
		discountAmount: money('discount_amount').notNull().default(0),
		taxAmount: money('tax_amount').notNull().default(0),
		totalAmount: money('total_amount').notNull().default(0),
		currency: text('currency').notNull().default('CNY'),
		unitCount: integer('unit_count').notNull().default(0),
		/** A spreadsheet import's external reference, so a re-upload creates nothing twice. */
		externalRef: text('external_ref'),
		notes: text('notes'),
		/** The current approval round (0 before the first submission) and the rule that routed it. */
		approvalRound: integer('approval_round').notNull().default(0),
		approvalRuleId: integer('approval_rule_id'),
		/** Number, customer name and city, lower-cased: one trigram index serves the search box. */
		searchText: text('search_text').notNull().default(''),
		submittedAt: timestamp('submitted_at', { withTimezone: true }),
		approvedAt: timestamp('approved_at', { withTimezone: true }),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('orders_number_uq').on(t.number),
		uniqueIndex('orders_company_external_ref_uq')
			.on(t.companyId, t.externalRef)
			.where(sql`${t.externalRef} is not null`),
		// Ascending on purpose: PostgreSQL walks a btree backwards for ORDER BY … DESC, and only a
		// plain index matches both asc() (NULLS LAST) and desc() (NULLS FIRST) of Drizzle's orderBy.
		index('orders_company_created_idx').on(t.companyId, t.createdAt, t.id),
		index('orders_company_status_created_idx').on(t.companyId, t.status, t.createdAt, t.id),
		index('orders_company_order_date_idx').on(t.companyId, t.orderDate, t.id),
		index('orders_company_delivery_idx').on(t.companyId, t.deliveryDate, t.id),
		index('orders_company_total_idx').on(t.companyId, t.totalAmount, t.id),
		index('orders_company_number_idx').on(t.companyId, t.number),
		// Without the company prefix: `company_id in (1, 2, 3)` (a user of several companies) cannot
		// read a company-first index in sort order, so it would sort every visible order.
		index('orders_created_idx').on(t.createdAt, t.id),
		index('orders_order_date_idx').on(t.orderDate, t.id),
		index('orders_delivery_idx').on(t.deliveryDate, t.id),
		index('orders_total_idx').on(t.totalAmount, t.id),
		index('orders_status_idx').on(t.status, t.id),
		index('orders_customer_idx').on(t.customerId),
		index('orders_sales_rep_idx').on(t.salesRepId, t.createdAt, t.id),
		index('orders_search_trgm_idx').using('gin', sql`${t.searchText} gin_trgm_ops`),
		check('orders_status_ck', sql.raw(`status in (${oneOf(ORDER_STATUSES)})`)),
		check('orders_priority_ck', sql.raw(`priority in (${oneOf(PRIORITIES)})`)),
		check('orders_discount_ck', sql`${t.discountBp} between 0 and 10000`),
		check('orders_tax_ck', sql`${t.taxRateBp} between 0 and 10000`),
		check(
			'orders_amounts_ck',
			sql`${t.subtotal} >= 0 and ${t.discountAmount} >= 0 and ${t.taxAmount} >= 0 and ${t.totalAmount} >= 0`
		),
		check('orders_dates_ck', sql`${t.deliveryDate} is null or ${t.deliveryDate} >= ${t.orderDate}`)
	]
);

/** The specs one line orders; every unit of the line is built to them. */
export const orderLines = pgTable(
	'order_lines',
	{
		id: id(),
		orderId: integer('order_id')
			.notNull()
			.references(() => orders.id, { onDelete: 'cascade' }),
		lineNo: integer('line_no').notNull(),
		modelId: integer('model_id')
			.notNull()
			.references(() => elevatorModels.id),
		qty: integer('qty').notNull(),
		loadKg: integer('load_kg').notNull(),
		speed: doublePrecision('speed').notNull(),
		stops: integer('stops').notNull(),
		travelM: doublePrecision('travel_m').notNull(),
		doorType: text('door_type').notNull(),
		doorWidthMm: integer('door_width_mm').notNull(),
		machineRoom: boolean('machine_room').notNull(),
		finish: text('finish'),
		/** Special technical requirements: a line with any is non-standard for the approval policy. */
		specialRequirements: text('special_requirements'),
		optionCodes: text('option_codes')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		unitPrice: money('unit_price').notNull(),
		lineAmount: money('line_amount').notNull(),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('order_lines_order_line_uq').on(t.orderId, t.lineNo),
		check('order_lines_qty_ck', sql`${t.qty} between 1 and 200`),
		check('order_lines_amount_ck', sql`${t.unitPrice} >= 0 and ${t.lineAmount} >= 0`)
	]
);

/** One elevator: produced, shipped, installed, handed over and then serviced for years. */
export const units = pgTable(
	'units',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		orderId: integer('order_id')
			.notNull()
			.references(() => orders.id, { onDelete: 'cascade' }),
		lineId: integer('line_id')
			.notNull()
			.references(() => orderLines.id, { onDelete: 'cascade' }),
		siteId: integer('site_id').references(() => sites.id),
		serialNo: text('serial_no').notNull(),
		modelId: integer('model_id')
			.notNull()
			.references(() => elevatorModels.id),
		status: text('status').$type<(typeof UNIT_STATUSES)[number]>().notNull().default('planned'),
		handedOverOn: date('handed_over_on'),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('units_serial_uq').on(t.serialNo),
		index('units_order_idx').on(t.orderId),
		index('units_company_status_idx').on(t.companyId, t.status),
		check('units_status_ck', sql.raw(`status in (${oneOf(UNIT_STATUSES)})`))
	]
);

export const CHANGE_KINDS = ['change', 'cancel'] as const;
export const CHANGE_STATUSES = ['pending', 'approved', 'rejected', 'withdrawn'] as const;

/** A change or cancellation after approval, with the order as it was and as it would be. */
export const orderChanges = pgTable(
	'order_changes',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		orderId: integer('order_id')
			.notNull()
			.references(() => orders.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<(typeof CHANGE_KINDS)[number]>().notNull(),
		status: text('status').$type<(typeof CHANGE_STATUSES)[number]>().notNull().default('pending'),
		reason: text('reason').notNull(),
		before: jsonb('before').notNull(),
		after: jsonb('after'),
		requestedById: integer('requested_by_id')
			.notNull()
			.references(() => users.id),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		version: version(),
		...timestamps
	},
	(t) => [
		index('order_changes_order_idx').on(t.orderId),
		check('order_changes_kind_ck', sql.raw(`kind in (${oneOf(CHANGE_KINDS)})`)),
		check('order_changes_status_ck', sql.raw(`status in (${oneOf(CHANGE_STATUSES)})`))
	]
);

/**
 * The last number given out per prefix (e.g. SO-SH-2026): an upsert hands out the next one
 * atomically, so two reps saving at the same moment never get the same order number.
 */
export const numberCounters = pgTable('number_counters', {
	prefix: text('prefix').primaryKey(),
	last: integer('last').notNull()
});
