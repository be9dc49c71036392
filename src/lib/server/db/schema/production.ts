import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	index,
	integer,
	jsonb,
	numeric,
	pgTable,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { id, oneOf, timestamps, version } from './columns';
import { companies } from './org';
import { users } from './auth';
import { elevatorModels } from './catalog';
import { orders, units } from './orders';
import {
	ALERT_KINDS,
	ALERT_STATUSES,
	ANDON_REASONS,
	DEVICE_KINDS,
	PRIORITIES,
	STEP_STATUSES,
	TERMINAL_ACTIONS,
	WORK_ORDER_STATUSES
} from '../../../domain/statuses';

/** A work centre does one kind of stage with a daily capacity in hours. */
export const workCentres = pgTable(
	'work_centres',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		code: text('code').notNull(),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
		/** Hours of work the centre can do per working day (shifts × stations × hours). */
		dailyCapacityHours: numeric('daily_capacity_hours', { precision: 6, scale: 2 }).notNull(),
		shifts: integer('shifts').notNull().default(1),
		/** ISO weekdays it works, 1 = Monday. */
		workDays: integer('work_days')
			.array()
			.notNull()
			.default(sql`'{1,2,3,4,5}'::integer[]`),
		holidays: date('holidays')
			.array()
			.notNull()
			.default(sql`'{}'::date[]`),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('work_centres_company_code_uq').on(t.companyId, t.code),
		check('work_centres_capacity_ck', sql`${t.dailyCapacityHours} > 0`),
		check('work_centres_shifts_ck', sql`${t.shifts} between 1 and 3`)
	]
);

/** The routing of a model: its stages in order, each at a work centre with standard hours. */
export const routings = pgTable(
	'routings',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		modelId: integer('model_id')
			.notNull()
			.references(() => elevatorModels.id),
		name: text('name').notNull(),
		active: boolean('active').notNull().default(true),
		version: version(),
		...timestamps
	},
	(t) => [index('routings_company_model_idx').on(t.companyId, t.modelId)]
);

export const routingStages = pgTable(
	'routing_stages',
	{
		id: id(),
		routingId: integer('routing_id')
			.notNull()
			.references(() => routings.id, { onDelete: 'cascade' }),
		seq: integer('seq').notNull(),
		stage: text('stage').notNull(),
		workCentreId: integer('work_centre_id')
			.notNull()
			.references(() => workCentres.id),
		standardHours: numeric('standard_hours', { precision: 6, scale: 2 }).notNull()
	},
	(t) => [
		uniqueIndex('routing_stages_seq_uq').on(t.routingId, t.seq),
		check('routing_stages_hours_ck', sql`${t.standardHours} > 0`)
	]
);

/** One work order per unit, following its model's routing. */
export const workOrders = pgTable(
	'work_orders',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		number: text('number').notNull(),
		orderId: integer('order_id')
			.notNull()
			.references(() => orders.id),
		unitId: integer('unit_id')
			.notNull()
			.references(() => units.id),
		routingId: integer('routing_id').references(() => routings.id),
		status: text('status').$type<(typeof WORK_ORDER_STATUSES)[number]>().notNull().default('planned'),
		priority: text('priority').$type<(typeof PRIORITIES)[number]>().notNull().default('normal'),
		dueDate: date('due_date').notNull(),
		plannedStart: date('planned_start'),
		projectedFinish: date('projected_finish'),
		/** Set when an order change touches this unit; the planner accepts and re-plans. */
		changeFlag: text('change_flag'),
		locked: boolean('locked').notNull().default(false),
		/** The planner's manual position in the sequence (lower first); null: by priority and due date. */
		planRank: integer('plan_rank'),
		/** The planner moved the job: it starts no earlier than this day. */
		notBefore: date('not_before'),
		/** Parts of its bill of materials are missing: the day they are expected, or null with `shortage` when unknown. */
		materialReadyOn: date('material_ready_on'),
		shortage: boolean('shortage').notNull().default(false),
		/** When the scheduler last placed it; null for a new work order not yet scheduled. */
		scheduledAt: timestamp('scheduled_at', { withTimezone: true }),
		startedAt: timestamp('started_at', { withTimezone: true }),
		finishedAt: timestamp('finished_at', { withTimezone: true }),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('work_orders_number_uq').on(t.number),
		uniqueIndex('work_orders_unit_uq').on(t.unitId),
		index('work_orders_company_status_due_idx').on(t.companyId, t.status, t.dueDate),
		index('work_orders_order_idx').on(t.orderId),
		check('work_orders_status_ck', sql.raw(`status in (${oneOf(WORK_ORDER_STATUSES)})`)),
		check('work_orders_priority_ck', sql.raw(`priority in (${oneOf(PRIORITIES)})`))
	]
);

/** A step of a work order at a work centre. Times are kept by the server. */
export const workOrderSteps = pgTable(
	'work_order_steps',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		workOrderId: integer('work_order_id')
			.notNull()
			.references(() => workOrders.id, { onDelete: 'cascade' }),
		seq: integer('seq').notNull(),
		stage: text('stage').notNull(),
		workCentreId: integer('work_centre_id')
			.notNull()
			.references(() => workCentres.id),
		standardHours: numeric('standard_hours', { precision: 6, scale: 2 }).notNull(),
		status: text('status').$type<(typeof STEP_STATUSES)[number]>().notNull().default('pending'),
		/** The scheduled start and finish days at its work centre, and the hours planned on each day. */
		plannedDate: date('planned_date'),
		plannedEnd: date('planned_end'),
		plannedHours: jsonb('planned_hours').$type<Record<string, number>>(),
		startedAt: timestamp('started_at', { withTimezone: true }),
		finishedAt: timestamp('finished_at', { withTimezone: true }),
		/** Seconds worked before the current run; a pause adds to it. */
		workedSeconds: integer('worked_seconds').notNull().default(0),
		/** When the current run began (null while not running); a pause adds the run to workedSeconds. */
		runStartedAt: timestamp('run_started_at', { withTimezone: true }),
		operatorId: integer('operator_id').references(() => users.id),
		problem: text('problem'),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('work_order_steps_seq_uq').on(t.workOrderId, t.seq),
		index('work_order_steps_centre_idx').on(t.workCentreId, t.status, t.plannedDate),
		check('work_order_steps_status_ck', sql.raw(`status in (${oneOf(STEP_STATUSES)})`)),
		check('work_order_steps_worked_ck', sql`${t.workedSeconds} >= 0`),
		check(
			'work_order_steps_times_ck',
			sql`${t.finishedAt} is null or (${t.startedAt} is not null and ${t.finishedAt} >= ${t.startedAt})`
		)
	]
);

/**
 * A registered shop-floor terminal (at one station, a work centre) or wall display. It signs in
 * with a long random token in an HttpOnly cookie (only its SHA-256 is kept) and acts as its own
 * read-only `users` row of kind 'device'; a worker signs in at a terminal with badge or PIN.
 */
export const devices = pgTable(
	'devices',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		kind: text('kind').$type<(typeof DEVICE_KINDS)[number]>().notNull(),
		name: text('name').notNull(),
		workCentreId: integer('work_centre_id').references(() => workCentres.id),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		/** SHA-256 of the device token; null until the device is enrolled with its one-time code. */
		tokenHash: text('token_hash'),
		/** SHA-256 of the short one-time enrolment code, and when it stops working. */
		enrolCodeHash: text('enrol_code_hash'),
		enrolExpiresAt: timestamp('enrol_expires_at', { withTimezone: true }),
		/** Wall display: which views it rotates through and how fast. */
		settings: jsonb('settings').$type<{ views?: string[]; rotateSeconds?: number }>().notNull().default({}),
		createdBy: integer('created_by').references(() => users.id),
		lastSeenAt: timestamp('last_seen_at', { withTimezone: true }),
		revokedAt: timestamp('revoked_at', { withTimezone: true }),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('devices_token_uq').on(t.tokenHash),
		uniqueIndex('devices_enrol_code_uq').on(t.enrolCodeHash),
		index('devices_company_idx').on(t.companyId),
		check('devices_kind_ck', sql.raw(`kind in (${oneOf(DEVICE_KINDS)})`)),
		check('devices_station_ck', sql`(${t.kind} = 'terminal') = (${t.workCentreId} is not null)`)
	]
);

/**
 * Every action a terminal sent, under the idempotency key the browser gave it: a replay of the
 * same key answers the stored outcome and changes nothing.
 */
export const terminalActions = pgTable(
	'terminal_actions',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		key: text('key').notNull(),
		deviceId: integer('device_id')
			.notNull()
			.references(() => devices.id),
		userId: integer('user_id')
			.notNull()
			.references(() => users.id),
		stepId: integer('step_id').references(() => workOrderSteps.id),
		action: text('action').$type<(typeof TERMINAL_ACTIONS)[number]>().notNull(),
		/** When the worker pressed the button (server clock; corrected for a queued action). */
		occurredAt: timestamp('occurred_at', { withTimezone: true }).notNull(),
		receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
		outcome: text('outcome').$type<'applied' | 'refused'>().notNull(),
		/** The answer sent back, stored so a replay gets the same one. */
		result: jsonb('result').notNull()
	},
	(t) => [
		uniqueIndex('terminal_actions_key_uq').on(t.deviceId, t.key),
		index('terminal_actions_step_idx').on(t.stepId),
		check('terminal_actions_action_ck', sql.raw(`action in (${oneOf(TERMINAL_ACTIONS)})`)),
		check('terminal_actions_outcome_ck', sql`${t.outcome} in ('applied', 'refused')`)
	]
);

/**
 * Production alerts: an andon pulled at a terminal, a step late against the plan, missing
 * material. Acknowledged, then closed with a note; the notification centre keeps them all.
 */
export const alerts = pgTable(
	'alerts',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		kind: text('kind').$type<(typeof ALERT_KINDS)[number]>().notNull(),
		status: text('status').$type<(typeof ALERT_STATUSES)[number]>().notNull().default('open'),
		reason: text('reason').$type<(typeof ANDON_REASONS)[number]>(),
		/** What the worker or the system said. */
		message: text('message').notNull(),
		workOrderId: integer('work_order_id').references(() => workOrders.id),
		stepId: integer('step_id').references(() => workOrderSteps.id),
		workCentreId: integer('work_centre_id').references(() => workCentres.id),
		deviceId: integer('device_id').references(() => devices.id),
		raisedBy: integer('raised_by').references(() => users.id),
		raisedAt: timestamp('raised_at', { withTimezone: true }).notNull().defaultNow(),
		acknowledgedBy: integer('acknowledged_by').references(() => users.id),
		acknowledgedAt: timestamp('acknowledged_at', { withTimezone: true }),
		closedBy: integer('closed_by').references(() => users.id),
		closedAt: timestamp('closed_at', { withTimezone: true }),
		closeNote: text('close_note'),
		version: version(),
		...timestamps
	},
	(t) => [
		index('alerts_company_status_idx').on(t.companyId, t.status, t.raisedAt),
		index('alerts_step_idx').on(t.stepId),
		// One open late-step alert per step: the sweep may run on every node at once.
		uniqueIndex('alerts_open_late_uq')
			.on(t.stepId)
			.where(sql`${t.kind} = 'late_step' and ${t.status} <> 'closed'`),
		check('alerts_kind_ck', sql.raw(`kind in (${oneOf(ALERT_KINDS)})`)),
		check('alerts_status_ck', sql.raw(`status in (${oneOf(ALERT_STATUSES)})`)),
		check('alerts_reason_ck', sql.raw(`reason is null or reason in (${oneOf(ANDON_REASONS)})`)),
		check('alerts_closed_note_ck', sql`${t.status} <> 'closed' or ${t.closeNote} is not null`)
	]
);
