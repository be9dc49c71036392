import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { id, oneOf, timestamps, version } from './columns';
import { companies } from './org';

export const LOCALES = ['zh-CN', 'en'] as const;

export const users = pgTable(
	'users',
	{
		id: id(),
		username: text('username').notNull(),
		displayName: text('display_name').notNull(),
		email: text('email'),
		phone: text('phone'),
		passwordHash: text('password_hash').notNull(),
		locale: text('locale').$type<(typeof LOCALES)[number]>().notNull().default('zh-CN'),
		/** The company a new record defaults to; must be one of the user's grants. */
		homeCompanyId: integer('home_company_id').references(() => companies.id),
		active: boolean('active').notNull().default(true),
		/** 'device': the account a registered terminal or wall display acts as (no password sign-in). */
		kind: text('kind').$type<'person' | 'device'>().notNull().default('person'),
		/** What a shop-floor worker's badge scans as; signs them in at a terminal. */
		badgeCode: text('badge_code'),
		/** argon2id of the worker's terminal PIN (used with the badge number on the keypad). */
		pinHash: text('pin_hash'),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('users_username_uq').on(sql`lower(${t.username})`),
		uniqueIndex('users_badge_uq').on(t.badgeCode),
		check('users_kind_ck', sql`${t.kind} in ('person', 'device')`),
		check('users_locale_ck', sql.raw(`locale in (${oneOf(LOCALES)})`))
	]
);

/**
 * A role is a named set of permissions (see domain/permissions.ts) and a data-scope level:
 * 'company' sees every row of the granted companies, 'own' only the rows the user owns
 * (a sales rep's own customers and orders are protected from other reps).
 */
export const roles = pgTable(
	'roles',
	{
		id: id(),
		code: text('code').notNull(),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
		permissions: text('permissions')
			.array()
			.notNull()
			.default(sql`'{}'::text[]`),
		scope: text('scope').$type<'company' | 'own'>().notNull().default('company'),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('roles_code_uq').on(t.code),
		check('roles_scope_ck', sql`${t.scope} in ('company', 'own')`)
	]
);

export const userRoles = pgTable(
	'user_roles',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		roleId: integer('role_id')
			.notNull()
			.references(() => roles.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.userId, t.roleId] })]
);

/** Data scope: the companies a user may see. No grant, no rows. */
export const userCompanyGrants = pgTable(
	'user_company_grants',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.userId, t.companyId] })]
);

/** Lucia-style sessions: the id is the SHA-256 of the random token the cookie carries. */
export const sessions = pgTable(
	'sessions',
	{
		id: text('id').primaryKey(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
		/** Sliding: moved forward on activity, never past `absoluteExpiresAt`. */
		expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
		absoluteExpiresAt: timestamp('absolute_expires_at', { withTimezone: true }).notNull(),
		userAgent: text('user_agent'),
		ip: text('ip'),
		/** A worker's session at a shop-floor terminal: ends when the next worker signs in there. */
		deviceId: integer('device_id')
	},
	(t) => [index('sessions_user_idx').on(t.userId)]
);

/** Bearer tokens for scripts and integrations; only the SHA-256 of the token is stored. */
export const apiTokens = pgTable(
	'api_tokens',
	{
		id: id(),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		name: text('name').notNull(),
		tokenHash: text('token_hash').notNull(),
		lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
		expiresAt: timestamp('expires_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		...timestamps
	},
	(t) => [uniqueIndex('api_tokens_hash_uq').on(t.tokenHash)]
);

/** Failed sign-ins, per username and per IP, for throttling; shared by every app node. */
export const loginAttempts = pgTable(
	'login_attempts',
	{
		id: id(),
		key: text('key').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [index('login_attempts_key_at_idx').on(t.key, t.at)]
);
