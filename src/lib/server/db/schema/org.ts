import { sql } from 'drizzle-orm';
import { check, doublePrecision, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, timestamps, version } from './columns';

/** A company group owns companies (subsidiaries); every business row belongs to one company. */
export const companyGroups = pgTable('company_groups', {
	id: id(),
	name: text('name').notNull(),
	...timestamps
});

export const companies = pgTable(
	'companies',
	{
		id: id(),
		groupId: integer('group_id')
			.notNull()
			.references(() => companyGroups.id),
		code: text('code').notNull(),
		name: text('name').notNull(),
		nameEn: text('name_en'),
		city: text('city'),
		address: text('address'),
		taxNo: text('tax_no'),
		phone: text('phone'),
		version: version(),
		...timestamps
	},
	(t) => [uniqueIndex('companies_code_uq').on(t.code)]
);

export const branches = pgTable(
	'branches',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		code: text('code').notNull(),
		name: text('name').notNull(),
		city: text('city'),
		lat: doublePrecision('lat'),
		lng: doublePrecision('lng'),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('branches_company_code_uq').on(t.companyId, t.code),
		check('branches_code_nonempty', sql`length(${t.code}) > 0`)
	]
);
