import { bigint, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { companies } from './org';
import { users } from './auth';

/**
 * The outbox, audit trail and activity feed in one append-only table: every write that others
 * should see appends a row in the same transaction. A trigger (migration 0001) refuses UPDATE,
 * DELETE and TRUNCATE, so the app can only add to it.
 */
export const events = pgTable(
	'events',
	{
		id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
		companyId: integer('company_id').references(() => companies.id),
		topic: text('topic').notNull(),
		entity: text('entity').notNull(),
		entityId: integer('entity_id').notNull(),
		entityVersion: integer('entity_version').notNull(),
		type: text('type').notNull(),
		payload: jsonb('payload').notNull(),
		actorId: integer('actor_id').references(() => users.id),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('events_company_id_idx').on(t.companyId, t.id),
		index('events_entity_idx').on(t.entity, t.entityId, t.id)
	]
);
