import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	index,
	integer,
	jsonb,
	pgTable,
	text,
	timestamp,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { id, money, oneOf, timestamps, version } from './columns';
import { companies } from './org';
import { roles, users } from './auth';
import { orderChanges, orders } from './orders';
import { APPROVAL_MODES, APPROVAL_STEP_STATUSES } from '../../../domain/statuses';

/**
 * An approval rule of the policy an admin edits: conditions on the order, and the chain of
 * steps (approval_rule_steps) it yields. The first matching rule by `priority` wins;
 * `autoApprove` rules approve routine orders with no step.
 */
export const approvalRules = pgTable(
	'approval_rules',
	{
		id: id(),
		/** Null: the rule applies to every company. */
		companyId: integer('company_id').references(() => companies.id),
		name: text('name').notNull(),
		priority: integer('priority').notNull().default(100),
		minAmount: money('min_amount'),
		maxAmount: money('max_amount'),
		minDiscountBp: integer('min_discount_bp'),
		customerKind: text('customer_kind').$type<'new' | 'returning' | null>(),
		maxDeliveryDays: integer('max_delivery_days'),
		nonStandardSpecs: boolean('non_standard_specs'),
		/** True: only orders that take the customer over their credit limit. */
		creditExceeded: boolean('credit_exceeded'),
		autoApprove: boolean('auto_approve').notNull().default(false),
		active: boolean('active').notNull().default(true),
		version: version(),
		...timestamps
	},
	(t) => [
		index('approval_rules_company_idx').on(t.companyId, t.priority),
		check(
			'approval_rules_amount_ck',
			sql`${t.minAmount} is null or ${t.maxAmount} is null or ${t.maxAmount} >= ${t.minAmount}`
		),
		check(
			'approval_rules_customer_ck',
			sql`${t.customerKind} is null or ${t.customerKind} in ('new', 'returning')`
		)
	]
);

export const approvalRuleSteps = pgTable(
	'approval_rule_steps',
	{
		id: id(),
		ruleId: integer('rule_id')
			.notNull()
			.references(() => approvalRules.id, { onDelete: 'cascade' }),
		stepNo: integer('step_no').notNull(),
		/** One or more roles; 'any' one of them, 'all' of them, or a quorum of k approvers. */
		roleIds: integer('role_ids').array().notNull(),
		mode: text('mode').$type<(typeof APPROVAL_MODES)[number]>().notNull().default('any'),
		quorum: integer('quorum'),
		responseHours: integer('response_hours').notNull().default(24),
		/** Who the step escalates to when it waits twice its response time; null: nobody. */
		escalateRoleId: integer('escalate_role_id').references(() => roles.id)
	},
	(t) => [
		uniqueIndex('approval_rule_steps_uq').on(t.ruleId, t.stepNo),
		check('approval_rule_steps_mode_ck', sql.raw(`mode in (${oneOf(APPROVAL_MODES)})`)),
		check('approval_rule_steps_quorum_ck', sql`${t.mode} <> 'quorum' or ${t.quorum} >= 1`),
		check('approval_rule_steps_hours_ck', sql`${t.responseHours} > 0`)
	]
);

/** The steps one submission of an order goes through, copied from the rule that matched. */
export const approvalSteps = pgTable(
	'approval_steps',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		orderId: integer('order_id')
			.notNull()
			.references(() => orders.id, { onDelete: 'cascade' }),
		/** Which submission of the order; a change after submission starts a new round. */
		round: integer('round').notNull().default(1),
		ruleId: integer('rule_id').references(() => approvalRules.id),
		/** The rule's name when it fired, kept for the history even if the rule is edited later. */
		ruleName: text('rule_name'),
		/** Set when the round approves a change or cancellation rather than the order itself. */
		changeId: integer('change_id').references(() => orderChanges.id),
		stepNo: integer('step_no').notNull(),
		roleIds: integer('role_ids').array().notNull(),
		mode: text('mode').$type<(typeof APPROVAL_MODES)[number]>().notNull().default('any'),
		quorum: integer('quorum'),
		status: text('status').$type<(typeof APPROVAL_STEP_STATUSES)[number]>().notNull().default('waiting'),
		claimedById: integer('claimed_by_id').references(() => users.id),
		claimedAt: timestamp('claimed_at', { withTimezone: true }),
		activatedAt: timestamp('activated_at', { withTimezone: true }),
		dueAt: timestamp('due_at', { withTimezone: true }),
		decidedAt: timestamp('decided_at', { withTimezone: true }),
		responseHours: integer('response_hours').notNull().default(24),
		escalateRoleId: integer('escalate_role_id').references(() => roles.id),
		/** When the overdue reminder went out, and when the step escalated: each happens once. */
		remindedAt: timestamp('reminded_at', { withTimezone: true }),
		escalatedAt: timestamp('escalated_at', { withTimezone: true }),
		/** The order as submitted; a later change of price, discount or specs restarts approval. */
		snapshot: jsonb('snapshot'),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('approval_steps_order_round_step_uq').on(t.orderId, t.round, t.stepNo),
		index('approval_steps_queue_idx').on(t.companyId, t.status, t.dueAt),
		// The shared queue's default view: pending steps by due time, across the user's companies.
		index('approval_steps_pending_due_idx')
			.on(t.dueAt, t.id)
			.where(sql`${t.status} = 'pending'`),
		check('approval_steps_status_ck', sql.raw(`status in (${oneOf(APPROVAL_STEP_STATUSES)})`)),
		check('approval_steps_mode_ck', sql.raw(`mode in (${oneOf(APPROVAL_MODES)})`))
	]
);

export const DECISIONS = ['approve', 'reject', 'return'] as const;

export const approvalDecisions = pgTable(
	'approval_decisions',
	{
		id: id(),
		stepId: integer('step_id')
			.notNull()
			.references(() => approvalSteps.id, { onDelete: 'cascade' }),
		deciderId: integer('decider_id')
			.notNull()
			.references(() => users.id),
		/** Set when the decider acted as a delegate for someone else. */
		onBehalfOfId: integer('on_behalf_of_id').references(() => users.id),
		/** The role the decider acted in: an 'all' step needs one approval per role. */
		roleId: integer('role_id').references(() => roles.id),
		decision: text('decision').$type<(typeof DECISIONS)[number]>().notNull(),
		reason: text('reason'),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		uniqueIndex('approval_decisions_step_decider_uq').on(t.stepId, t.deciderId),
		check('approval_decisions_decision_ck', sql.raw(`decision in (${oneOf(DECISIONS)})`)),
		check(
			'approval_decisions_reason_ck',
			sql`${t.decision} = 'approve' or length(coalesce(${t.reason}, '')) > 0`
		)
	]
);

/** Delegation of an approver's role to a substitute for a date window. */
export const approvalDelegations = pgTable(
	'approval_delegations',
	{
		id: id(),
		fromUserId: integer('from_user_id')
			.notNull()
			.references(() => users.id),
		toUserId: integer('to_user_id')
			.notNull()
			.references(() => users.id),
		roleId: integer('role_id').references(() => roles.id),
		startsAt: timestamp('starts_at', { withTimezone: true }).notNull(),
		endsAt: timestamp('ends_at', { withTimezone: true }).notNull(),
		...timestamps
	},
	(t) => [
		index('approval_delegations_to_idx').on(t.toUserId, t.endsAt),
		check('approval_delegations_window_ck', sql`${t.endsAt} > ${t.startsAt}`),
		check('approval_delegations_self_ck', sql`${t.fromUserId} <> ${t.toUserId}`)
	]
);

/** The live comment thread of an order. */
export const orderComments = pgTable(
	'order_comments',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		orderId: integer('order_id')
			.notNull()
			.references(() => orders.id, { onDelete: 'cascade' }),
		authorId: integer('author_id')
			.notNull()
			.references(() => users.id),
		body: text('body').notNull(),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('order_comments_order_idx').on(t.orderId, t.at),
		check('order_comments_body_ck', sql`length(${t.body}) between 1 and 4000`)
	]
);
