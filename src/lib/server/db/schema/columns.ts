import { bigint, customType, integer, timestamp } from 'drizzle-orm/pg-core';

/** Shared column helpers: every business row has an identity id, timestamps and a version. */
export const id = () => integer('id').primaryKey().generatedAlwaysAsIdentity();

export const timestamps = {
	createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
	updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
};

/** Optimistic concurrency: an update names the version it read and bumps it. */
export const version = () => integer('version').notNull().default(1);

/** Money in integer minor units (fen); never a float. */
export const money = (name: string) => bigint(name, { mode: 'number' });

/** SQL text of a check that a text column is one of `values`. */
export const oneOf = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

/** Binary data (photos, adapter attachments); postgres.js gives a Buffer, PGlite a Uint8Array. */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({ dataType: () => 'bytea' });
