import { sql } from 'drizzle-orm';
import {
	check,
	date,
	doublePrecision,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	jsonb
} from 'drizzle-orm/pg-core';
import { bytea, id, oneOf, timestamps, version } from './columns';
import { companies } from './org';
import { users } from './auth';
import { orders, units } from './orders';
import { sites } from './customers';
import { INSTALLATION_STAGES, INSTALLATION_STATUSES, PRIORITIES } from '../../../domain/statuses';

export const skills = pgTable(
	'skills',
	{
		id: id(),
		code: text('code').notNull(),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull()
	},
	(t) => [uniqueIndex('skills_code_uq').on(t.code)]
);

/** An installation or service crew with a home base. */
export const crews = pgTable(
	'crews',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		name: text('name').notNull(),
		leaderId: integer('leader_id').references(() => users.id),
		baseCity: text('base_city').notNull(),
		baseLat: doublePrecision('base_lat').notNull(),
		baseLng: doublePrecision('base_lng').notNull(),
		active: integer('active').notNull().default(1),
		/** Sites the crew can run at once (a team of several gangs runs several); a booking beyond it is a double booking. */
		capacity: integer('capacity').notNull().default(1),
		version: version(),
		...timestamps
	},
	(t) => [
		index('crews_company_idx').on(t.companyId),
		check('crews_lat_ck', sql`${t.baseLat} between -90 and 90 and ${t.baseLng} between -180 and 180`),
		check('crews_capacity_ck', sql`${t.capacity} between 1 and 100`)
	]
);

/** Technicians are users; a technician belongs to at most one crew. */
export const crewMembers = pgTable(
	'crew_members',
	{
		crewId: integer('crew_id')
			.notNull()
			.references(() => crews.id, { onDelete: 'cascade' }),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' })
	},
	(t) => [primaryKey({ columns: [t.crewId, t.userId] }), uniqueIndex('crew_members_user_uq').on(t.userId)]
);

/** A technician's skill, with the certificate that proves it and its expiry. */
export const technicianSkills = pgTable(
	'technician_skills',
	{
		userId: integer('user_id')
			.notNull()
			.references(() => users.id, { onDelete: 'cascade' }),
		skillId: integer('skill_id')
			.notNull()
			.references(() => skills.id),
		certificateNo: text('certificate_no'),
		certificateExpiresOn: date('certificate_expires_on')
	},
	(t) => [primaryKey({ columns: [t.userId, t.skillId] })]
);

export const installationJobs = pgTable(
	'installation_jobs',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		number: text('number').notNull(),
		orderId: integer('order_id')
			.notNull()
			.references(() => orders.id),
		siteId: integer('site_id')
			.notNull()
			.references(() => sites.id),
		crewId: integer('crew_id').references(() => crews.id),
		status: text('status').$type<(typeof INSTALLATION_STATUSES)[number]>().notNull().default('unassigned'),
		priority: text('priority').$type<(typeof PRIORITIES)[number]>().notNull().default('normal'),
		currentStage: text('current_stage').$type<(typeof INSTALLATION_STAGES)[number]>(),
		plannedStart: date('planned_start'),
		plannedEnd: date('planned_end'),
		lat: doublePrecision('lat'),
		lng: doublePrecision('lng'),
		/** Set when an approved change or cancellation of the order touches this job; the dispatcher clears it. */
		changeFlag: text('change_flag'),
		/** Why this crew: the dispatcher's choice or the suggestion's reasons, as shown when assigned. */
		assignmentReason: text('assignment_reason'),
		assignedBy: integer('assigned_by').references(() => users.id),
		assignedAt: timestamp('assigned_at', { withTimezone: true }),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('installation_jobs_number_uq').on(t.number),
		index('installation_jobs_company_status_idx').on(t.companyId, t.status, t.plannedStart),
		index('installation_jobs_crew_idx').on(t.crewId, t.plannedStart),
		check(
			'installation_jobs_coords_ck',
			sql`(${t.lat} is null or ${t.lat} between -90 and 90) and (${t.lng} is null or ${t.lng} between -180 and 180)`
		),
		check('installation_jobs_status_ck', sql.raw(`status in (${oneOf(INSTALLATION_STATUSES)})`)),
		check('installation_jobs_priority_ck', sql.raw(`priority in (${oneOf(PRIORITIES)})`)),
		check(
			'installation_jobs_stage_ck',
			sql.raw(`current_stage is null or current_stage in (${oneOf(INSTALLATION_STAGES)})`)
		),
		check(
			'installation_jobs_dates_ck',
			sql`${t.plannedEnd} is null or ${t.plannedStart} is null or ${t.plannedEnd} >= ${t.plannedStart}`
		)
	]
);

export const installationJobUnits = pgTable(
	'installation_job_units',
	{
		jobId: integer('job_id')
			.notNull()
			.references(() => installationJobs.id, { onDelete: 'cascade' }),
		unitId: integer('unit_id')
			.notNull()
			.references(() => units.id)
	},
	(t) => [
		primaryKey({ columns: [t.jobId, t.unitId] }),
		uniqueIndex('installation_job_units_unit_uq').on(t.unitId)
	]
);

/** Stage progress reported from the installer's phone. */
export const installationProgress = pgTable(
	'installation_progress',
	{
		id: id(),
		jobId: integer('job_id')
			.notNull()
			.references(() => installationJobs.id, { onDelete: 'cascade' }),
		stage: text('stage').$type<(typeof INSTALLATION_STAGES)[number]>().notNull(),
		percent: integer('percent').notNull(),
		note: text('note'),
		problem: text('problem'),
		reporterId: integer('reporter_id').references(() => users.id),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('installation_progress_job_idx').on(t.jobId, t.at),
		check('installation_progress_stage_ck', sql.raw(`stage in (${oneOf(INSTALLATION_STAGES)})`)),
		check('installation_progress_percent_ck', sql`${t.percent} between 0 and 100`)
	]
);

/** A photo taken on site with a progress report; kept in the database so every node serves it. */
export const installationPhotos = pgTable(
	'installation_photos',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		jobId: integer('job_id')
			.notNull()
			.references(() => installationJobs.id, { onDelete: 'cascade' }),
		progressId: integer('progress_id').references(() => installationProgress.id, { onDelete: 'set null' }),
		stage: text('stage').$type<(typeof INSTALLATION_STAGES)[number]>().notNull(),
		mime: text('mime').notNull(),
		size: integer('size').notNull(),
		data: bytea('data').notNull(),
		uploadedBy: integer('uploaded_by').references(() => users.id),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('installation_photos_job_idx').on(t.jobId, t.at),
		check('installation_photos_mime_ck', sql`${t.mime} in ('image/jpeg', 'image/png', 'image/webp')`)
	]
);

/**
 * An installer's phone command (stage report, problem), claimed by its idempotency key before it
 * is applied: a replay after a network drop gets the stored answer and changes nothing.
 */
export const fieldActions = pgTable(
	'field_actions',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		key: text('key').notNull(),
		action: text('action').notNull(),
		jobId: integer('job_id').references(() => installationJobs.id, { onDelete: 'cascade' }),
		occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
		outcome: text('outcome').$type<'applied' | 'refused'>().notNull(),
		result: jsonb('result').notNull()
	},
	(t) => [uniqueIndex('field_actions_user_key_uq').on(t.userId, t.key), index('field_actions_job_idx').on(t.jobId)]
);
