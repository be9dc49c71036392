import { sql } from 'drizzle-orm';
import { bigint, bigserial, customType, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { bytea } from './columns';
import { companies } from './org';
import { users } from './auth';

/**
 * The outbox, audit trail and activity feed in one append-only table: every write that others
 * should see appends a row in the same transaction. A trigger (migration 0001) refuses UPDATE,
 * DELETE and TRUNCATE, so the app can only add to it.
 */
/** PostgreSQL's 64-bit transaction id, as text (it does not fit a JS number's safe range). */
const xid8 = customType<{ data: string; driverData: string }>({ dataType: () => 'xid8' });

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
		/** For 'own'-scoped readers (sales reps): whose record this is, e.g. the order's rep. */
		ownerId: integer('owner_id').references(() => users.id),
		/**
		 * The writing transaction. Ids from a sequence commit out of order; transaction ids below
		 * pg_snapshot_xmin are all finished, which is what makes a catch-up cursor safe.
		 */
		txId: xid8('tx_id')
			.notNull()
			.default(sql`pg_current_xact_id()`),
		/** When the event was written, the command's last statement: close to its commit. */
		at: timestamp('at', { withTimezone: true })
			.notNull()
			.default(sql`clock_timestamp()`)
	},
	(t) => [
		index('events_company_id_idx').on(t.companyId, t.id),
		index('events_entity_idx').on(t.entity, t.entityId, t.id),
		index('events_tx_idx').on(t.txId)
	]
);

/**
 * Where the Socket.IO PostgreSQL adapter parks messages too large for a NOTIFY (8,000 bytes);
 * it deletes them itself after 30 s. Its shape is the adapter's.
 */
export const socketIoAttachments = pgTable('socket_io_attachments', {
	id: bigserial('id', { mode: 'number' }).unique(),
	createdAt: timestamp('created_at', { withTimezone: true }).defaultNow(),
	payload: bytea('payload')
});
