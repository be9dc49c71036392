import type { ApprovalMode } from './statuses';

/**
 * The approval policy as pure rules: which rule an order matches, the chain of steps it yields,
 * who may act on a step (roles and delegations), and what a step's decisions add up to. The
 * services load rows and call these; the policy itself never touches the database.
 */

export interface PolicyStep {
	stepNo: number;
	/** One role, or several in parallel ('all' of them, or a quorum of k approvers). */
	roleIds: number[];
	mode: ApprovalMode;
	quorum: number | null;
	responseHours: number;
	/** Who the step escalates to when it waits too long; null: no escalation. */
	escalateRoleId: number | null;
}

export interface PolicyRule {
	id: number;
	/** Null: the rule applies to every company. */
	companyId: number | null;
	name: string;
	priority: number;
	minAmount: number | null;
	maxAmount: number | null;
	minDiscountBp: number | null;
	customerKind: 'new' | 'returning' | null;
	/** True: only when the order takes the customer over their credit limit. */
	creditExceeded: boolean | null;
	maxDeliveryDays: number | null;
	/** True: only non-standard orders; false: only standard ones; null: either. */
	nonStandardSpecs: boolean | null;
	autoApprove: boolean;
	active: boolean;
	steps: PolicyStep[];
}

/** What the policy looks at, computed by the service from the order and its customer. */
export interface OrderFacts {
	companyId: number;
	totalAmount: number;
	discountBp: number;
	returning: boolean;
	overCredit: boolean;
	deliveryDays: number;
	nonStandard: boolean;
}

export type Condition =
	| 'company'
	| 'minAmount'
	| 'maxAmount'
	| 'minDiscountBp'
	| 'customerKind'
	| 'creditExceeded'
	| 'maxDeliveryDays'
	| 'nonStandardSpecs';

/** The conditions of a rule that the order fails; empty means the rule matches. */
export function failedConditions(rule: PolicyRule, f: OrderFacts): Condition[] {
	const failed: Condition[] = [];
	if (rule.companyId !== null && rule.companyId !== f.companyId) failed.push('company');
	if (rule.minAmount !== null && f.totalAmount < rule.minAmount) failed.push('minAmount');
	if (rule.maxAmount !== null && f.totalAmount > rule.maxAmount) failed.push('maxAmount');
	if (rule.minDiscountBp !== null && f.discountBp < rule.minDiscountBp) failed.push('minDiscountBp');
	if (rule.customerKind !== null && (rule.customerKind === 'returning') !== f.returning)
		failed.push('customerKind');
	if (rule.creditExceeded !== null && rule.creditExceeded !== f.overCredit) failed.push('creditExceeded');
	if (rule.maxDeliveryDays !== null && f.deliveryDays > rule.maxDeliveryDays) failed.push('maxDeliveryDays');
	if (rule.nonStandardSpecs !== null && rule.nonStandardSpecs !== f.nonStandard)
		failed.push('nonStandardSpecs');
	return failed;
}

export interface Route {
	rule: PolicyRule;
	/** True when the rule approves the order with no step (recorded with the rule's name). */
	auto: boolean;
	steps: PolicyStep[];
}

/**
 * The route an order takes: the first active rule by priority (then id) whose conditions all
 * hold. An auto-approval rule is never taken for an order that is over its credit or
 * non-standard, whatever the rule says: routine means routine. Null when no rule matches (the
 * policy should end with a catch-all; the service refuses to submit without one).
 */
export function routeFor(rules: readonly PolicyRule[], f: OrderFacts): Route | null {
	const ordered = [...rules].filter((r) => r.active).sort((a, b) => a.priority - b.priority || a.id - b.id);
	for (const rule of ordered) {
		if (failedConditions(rule, f).length > 0) continue;
		if (rule.autoApprove && (f.overCredit || f.nonStandard)) continue;
		if (!rule.autoApprove && rule.steps.length === 0) continue;
		const steps = [...rule.steps].sort((a, b) => a.stepNo - b.stepNo);
		return { rule, auto: rule.autoApprove, steps: rule.autoApprove ? [] : steps };
	}
	return null;
}

/** How many approvals a step needs: one ('any'), one per role ('all'), or its quorum. */
export function approvalsNeeded(step: Pick<PolicyStep, 'mode' | 'quorum' | 'roleIds'>): number {
	if (step.mode === 'all') return step.roleIds.length;
	if (step.mode === 'quorum') return Math.max(1, step.quorum ?? 1);
	return 1;
}

export interface Decision {
	deciderId: number;
	roleId: number;
	decision: 'approve' | 'reject' | 'return';
}

export type StepOutcome = 'pending' | 'approved' | 'rejected' | 'returned';

/**
 * What a step's decisions add up to. A rejection or a return by anyone entitled ends the step
 * at once; approvals count per distinct approver, and for 'all' per distinct role.
 */
export function stepOutcome(
	step: Pick<PolicyStep, 'mode' | 'quorum' | 'roleIds'>,
	decisions: readonly Decision[]
): StepOutcome {
	if (decisions.some((d) => d.decision === 'reject')) return 'rejected';
	if (decisions.some((d) => d.decision === 'return')) return 'returned';
	const approvals = decisions.filter((d) => d.decision === 'approve');
	if (step.mode === 'all') {
		const roles = new Set(approvals.map((d) => d.roleId));
		return step.roleIds.every((r) => roles.has(r)) ? 'approved' : 'pending';
	}
	const approvers = new Set(approvals.map((d) => d.deciderId));
	return approvers.size >= approvalsNeeded(step) ? 'approved' : 'pending';
}

export interface Delegation {
	fromUserId: number;
	toUserId: number;
	/** Null: every role of the absent user. */
	roleId: number | null;
	startsAt: Date;
	endsAt: Date;
}

export interface Entitlement {
	roleId: number;
	/** Set when the user acts as a substitute for someone on leave. */
	onBehalfOfId: number | null;
}

/**
 * Whether a user may decide a step, and as which role: their own roles first, then roles
 * delegated to them for a window that includes `now`. `rolesOf` gives another user's roles.
 * For 'all' steps, a role that has already approved is not offered again.
 */
export function entitlementFor(
	step: Pick<PolicyStep, 'roleIds' | 'mode'>,
	user: { id: number; roleIds: readonly number[] },
	delegations: readonly Delegation[],
	rolesOf: (userId: number) => readonly number[],
	now: Date,
	doneRoleIds: readonly number[] = []
): Entitlement | null {
	const open = (roleId: number) =>
		step.roleIds.includes(roleId) && !(step.mode === 'all' && doneRoleIds.includes(roleId));
	for (const roleId of user.roleIds) if (open(roleId)) return { roleId, onBehalfOfId: null };
	for (const d of delegations) {
		if (d.toUserId !== user.id || now < d.startsAt || now >= d.endsAt) continue;
		for (const roleId of rolesOf(d.fromUserId))
			if ((d.roleId === null || d.roleId === roleId) && open(roleId))
				return { roleId, onBehalfOfId: d.fromUserId };
	}
	return null;
}

/** Hours after which a pending step is overdue, and after twice that it escalates. */
export type SlaState = 'on_time' | 'overdue' | 'escalate';

export function slaState(step: { dueAt: Date | null; activatedAt: Date | null }, now: Date): SlaState {
	if (!step.dueAt || now < step.dueAt) return 'on_time';
	const window = step.activatedAt ? step.dueAt.getTime() - step.activatedAt.getTime() : 0;
	return now.getTime() >= step.dueAt.getTime() + window ? 'escalate' : 'overdue';
}

/** The order fields whose change after submission restarts approval. */
export function approvalRelevantChange(
	before: { totalAmount: number; discountBp: number; lines: unknown },
	after: { totalAmount: number; discountBp: number; lines: unknown }
): boolean {
	return (
		before.totalAmount !== after.totalAmount ||
		before.discountBp !== after.discountBp ||
		JSON.stringify(before.lines) !== JSON.stringify(after.lines)
	);
}
