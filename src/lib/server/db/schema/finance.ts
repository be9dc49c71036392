import { sql } from 'drizzle-orm';
import { check, date, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, money, oneOf, timestamps, version } from './columns';
import { companies } from './org';
import { customers } from './customers';
import { orders } from './orders';
import { INVOICE_STATUSES } from '../../../domain/statuses';

export const invoices = pgTable(
	'invoices',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		number: text('number').notNull(),
		orderId: integer('order_id')
			.notNull()
			.references(() => orders.id),
		customerId: integer('customer_id')
			.notNull()
			.references(() => customers.id),
		status: text('status').$type<(typeof INVOICE_STATUSES)[number]>().notNull().default('draft'),
		/** Instalment n of m; a single invoice is 1 of 1. */
		instalmentNo: integer('instalment_no').notNull().default(1),
		instalmentCount: integer('instalment_count').notNull().default(1),
		issuedOn: date('issued_on'),
		dueOn: date('due_on'),
		netAmount: money('net_amount').notNull(),
		taxAmount: money('tax_amount').notNull(),
		totalAmount: money('total_amount').notNull(),
		paidAmount: money('paid_amount').notNull().default(0),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('invoices_number_uq').on(t.number),
		index('invoices_company_status_due_idx').on(t.companyId, t.status, t.dueOn),
		index('invoices_order_idx').on(t.orderId),
		check('invoices_status_ck', sql.raw(`status in (${oneOf(INVOICE_STATUSES)})`)),
		check(
			'invoices_amounts_ck',
			sql`${t.netAmount} >= 0 and ${t.taxAmount} >= 0 and ${t.totalAmount} = ${t.netAmount} + ${t.taxAmount} and ${t.paidAmount} between 0 and ${t.totalAmount}`
		),
		check('invoices_instalment_ck', sql`${t.instalmentNo} between 1 and ${t.instalmentCount}`)
	]
);

export const PAYMENT_METHODS = ['bank_transfer', 'acceptance_bill', 'cash', 'other'] as const;

export const payments = pgTable(
	'payments',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		invoiceId: integer('invoice_id')
			.notNull()
			.references(() => invoices.id),
		amount: money('amount').notNull(),
		method: text('method').$type<(typeof PAYMENT_METHODS)[number]>().notNull(),
		receivedOn: date('received_on').notNull(),
		reference: text('reference'),
		...timestamps
	},
	(t) => [
		index('payments_invoice_idx').on(t.invoiceId),
		check('payments_amount_ck', sql`${t.amount} > 0`),
		check('payments_method_ck', sql.raw(`method in (${oneOf(PAYMENT_METHODS)})`))
	]
);
