import { index, integer, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core';
import { id, timestamps } from './columns';
import { users } from './auth';

/** A user's named filters for a list page (e.g. "my overdue approvals"), reapplied in one click. */
export const savedFilters = pgTable(
	'saved_filters',
	{
		id: id(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		/** Which list: 'orders', 'approvals', … */
		list: text('list').notNull(),
		name: text('name').notNull(),
		/** The list's query parameters as the page's URL carries them. */
		query: jsonb('query').$type<Record<string, string>>().notNull(),
		...timestamps
	},
	(t) => [
		uniqueIndex('saved_filters_user_list_name_uq').on(t.userId, t.list, t.name),
		index('saved_filters_user_idx').on(t.userId, t.list)
	]
);
