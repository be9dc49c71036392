import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	date,
	index,
	integer,
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
import { PRIORITIES, STEP_STATUSES, WORK_ORDER_STATUSES } from '../../../domain/statuses';

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
		plannedDate: date('planned_date'),
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
