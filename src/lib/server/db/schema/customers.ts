import { sql } from 'drizzle-orm';
import {
	check,
	date,
	doublePrecision,
	index,
	integer,
	pgTable,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { CUSTOMER_KINDS } from '../../../domain/statuses';
import { id, money, oneOf, timestamps, version } from './columns';
import { companies } from './org';
import { users } from './auth';

export const customers = pgTable(
	'customers',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		code: text('code').notNull(),
		name: text('name').notNull(),
		kind: text('kind').$type<(typeof CUSTOMER_KINDS)[number]>().notNull(),
		/** The sales rep who owns the relationship; 'own'-scoped users see only their own. */
		ownerId: integer('owner_id').references(() => users.id),
		city: text('city'),
		phone: text('phone'),
		taxNo: text('tax_no'),
		creditLimit: money('credit_limit').notNull().default(0),
		paymentTermsDays: integer('payment_terms_days').notNull().default(30),
		nextFollowUpOn: date('next_follow_up_on'),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('customers_company_code_uq').on(t.companyId, t.code),
		index('customers_company_name_idx').on(t.companyId, t.name),
		index('customers_owner_idx').on(t.ownerId),
		index('customers_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
		check('customers_kind_ck', sql.raw(`kind in (${oneOf(CUSTOMER_KINDS)})`)),
		check('customers_credit_ck', sql`${t.creditLimit} >= 0`),
		check('customers_terms_ck', sql`${t.paymentTermsDays} between 0 and 365`)
	]
);

export const contacts = pgTable(
	'contacts',
	{
		id: id(),
		customerId: integer('customer_id')
			.notNull()
			.references(() => customers.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		title: text('title'),
		phone: text('phone'),
		email: text('email'),
		version: version(),
		...timestamps
	},
	(t) => [index('contacts_customer_idx').on(t.customerId)]
);

/** A site is where elevators are installed: an address with coordinates. */
export const sites = pgTable(
	'sites',
	{
		id: id(),
		customerId: integer('customer_id')
			.notNull()
			.references(() => customers.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		province: text('province').notNull(),
		city: text('city').notNull(),
		district: text('district'),
		address: text('address').notNull(),
		lat: doublePrecision('lat'),
		lng: doublePrecision('lng'),
		version: version(),
		...timestamps
	},
	(t) => [
		index('sites_customer_idx').on(t.customerId),
		check('sites_lat_ck', sql`${t.lat} is null or ${t.lat} between -90 and 90`),
		check('sites_lng_ck', sql`${t.lng} is null or ${t.lng} between -180 and 180`)
	]
);

export const FOLLOW_UP_KINDS = ['visit', 'call', 'complaint', 'note'] as const;

/** Follow-ups and complaints on a customer record. */
export const customerFollowUps = pgTable(
	'customer_follow_ups',
	{
		id: id(),
		customerId: integer('customer_id')
			.notNull()
			.references(() => customers.id, { onDelete: 'cascade' }),
		kind: text('kind').$type<(typeof FOLLOW_UP_KINDS)[number]>().notNull(),
		note: text('note').notNull(),
		authorId: integer('author_id').references(() => users.id),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('customer_follow_ups_customer_idx').on(t.customerId, t.at),
		check('customer_follow_ups_kind_ck', sql.raw(`kind in (${oneOf(FOLLOW_UP_KINDS)})`))
	]
);
