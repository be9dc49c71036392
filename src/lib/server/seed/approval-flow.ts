import { schema } from '../db';
import type { RuleRef, SeedCtx } from './context';
import type { BuiltOrder } from './orders';
import type { Rng } from './random';
import { matchRule } from './rules';
import { plusHours } from './time';

type StepRow = typeof schema.approvalSteps.$inferInsert;
type DecisionRow = Omit<typeof schema.approvalDecisions.$inferInsert, 'stepId'>;

const REJECT_REASONS = [
	'折扣超出授权范围，请重新报价',
	'交货期无法满足，请与计划部确认后再提交',
	'客户信用额度不足，需先收回前期欠款',
	'井道土建资料不完整，请补充图纸',
	'付款条件不符合公司政策'
];

const COMMENTS = [
	'客户催促尽快审批，下周需签合同',
	'折扣已与客户总经理确认，报价单见附件',
	'请补充井道土建图纸后再审',
	'交期偏紧，已与生产计划部初步沟通',
	'同意，注意预付款到账后再排产'
];

/** Who decides a step: a user holding one of the step's roles in that company. */
function decider(ctx: SeedCtx, rng: Rng, roleIds: number[], companyCode: string): number {
	const role = rng.pick(roleIds);
	const u = ctx.users;
	if (role === ctx.roles.finance) return u.finance1;
	if (role === ctx.roles.manager) return companyCode === 'SZ' && rng.chance(0.5) ? u.scoped1 : u.manager1;
	return rng.chance(0.6) ? u.approver1 : u.approver2;
}

/**
 * The approval history of each order: pending steps for the queue (some overdue, some claimed),
 * decided steps with decisions for the orders that went through.
 */
export function seedApprovalFlow(ctx: SeedCtx, rng: Rng, orders: BuiltOrder[]): void {
	const { clock } = ctx;
	const steps: StepRow[] = [];
	const decisions: (DecisionRow | null)[] = [];
	const comments: (typeof schema.orderComments.$inferInsert)[] = [];
	for (const o of orders) {
		const { sk, t } = o;
		if (!t.submittedAt) continue;
		const status = sk.status;
		const open = status === 'submitted' || status === 'in_approval' || status === 'rejected';
		const rule: RuleRef = matchRule(
			ctx.rules,
			{
				companyId: sk.company.id,
				totalAmount: o.totalAmount,
				discountBp: o.discountBp,
				returning: o.returning,
				deliveryDays: Math.round((Date.parse(o.deliveryDate) - Date.parse(sk.orderDate)) / 86_400_000)
			},
			!open
		);
		if (rule.autoApprove) continue;
		const n = rule.steps.length;
		// How far the chain got: decided steps before `current`, `current` in the given state.
		let current = n;
		let currentState: 'pending' | 'rejected' | null = null;
		if (status === 'submitted') [current, currentState] = [0, 'pending'];
		else if (status === 'in_approval') [current, currentState] = [n > 1 ? rng.int(1, n - 1) : 0, 'pending'];
		else if (status === 'rejected') [current, currentState] = [rng.int(0, n - 1), 'rejected'];
		const end =
			currentState === 'pending'
				? clock.past(plusHours(t.submittedAt, rng.float(1, 40)), 30)
				: (t.approvedAt ?? t.rejectedAt!);
		// Decisions spread between submission and the end, in order.
		const span = Math.max(0, end.getTime() - t.submittedAt.getTime());
		let at = t.submittedAt;
		const snapshot =
			o.detail || currentState === 'pending'
				? {
						number: sk.number,
						totalAmount: o.totalAmount,
						discountBp: o.discountBp,
						unitCount: o.units.length,
						deliveryDate: o.deliveryDate
					}
				: null;
		rule.steps.forEach((s, i) => {
			const base = {
				companyId: sk.company.id,
				orderId: o.id!,
				round: 1,
				ruleId: rule.id,
				stepNo: s.stepNo,
				roleIds: s.roleIds,
				mode: s.mode,
				quorum: s.quorum,
				snapshot
			};
			const activatedAt = at;
			if (i < current || (i === current && currentState === 'rejected')) {
				const decidedAt = new Date(
					t.submittedAt!.getTime() + (span * (i + 1)) / (currentState ? current + 1 : n)
				);
				const rejected = i === current;
				const who = decider(ctx, rng, s.roleIds, sk.company.code);
				o.decidedById = who;
				steps.push({
					...base,
					status: rejected ? 'rejected' : 'approved',
					claimedById: who,
					claimedAt: activatedAt,
					activatedAt,
					dueAt: plusHours(activatedAt, s.responseHours),
					decidedAt,
					createdAt: activatedAt,
					updatedAt: decidedAt
				});
				decisions.push({
					deciderId: who,
					decision: rejected ? 'reject' : 'approve',
					reason: rejected ? rng.pick(REJECT_REASONS) : rng.chance(0.2) ? '同意' : null,
					at: decidedAt
				});
				at = decidedAt;
			} else if (i === current && currentState === 'pending') {
				// The open step: activated when the previous one was decided (or at submission).
				const activated = i === 0 ? t.submittedAt! : at;
				const claimed = status === 'in_approval' && rng.chance(0.5);
				const claimedAt = claimed ? clock.past(plusHours(activated, rng.float(0.2, 3)), 10) : null;
				steps.push({
					...base,
					status: 'pending',
					claimedById: claimed ? decider(ctx, rng, s.roleIds, sk.company.code) : null,
					claimedAt,
					activatedAt: activated,
					dueAt: plusHours(activated, s.responseHours),
					decidedAt: null,
					createdAt: t.submittedAt!,
					updatedAt: claimedAt ?? activated
				});
				decisions.push(null);
				if (o.detail && rng.chance(0.5))
					comments.push({
						companyId: sk.company.id,
						orderId: o.id!,
						authorId: o.salesRepId,
						body: rng.pick(COMMENTS.slice(0, 4)),
						at: clock.past(plusHours(activated, rng.float(0.5, 6)), 5)
					});
			} else {
				const status = currentState === 'rejected' ? 'skipped' : 'waiting';
				steps.push({
					...base,
					status,
					claimedById: null,
					claimedAt: null,
					activatedAt: null,
					dueAt: null,
					decidedAt: null,
					createdAt: t.submittedAt!,
					updatedAt: t.submittedAt!
				});
				decisions.push(null);
			}
		});
	}
	// Pending steps submitted a while ago are now overdue; recent ones are not yet.
	const ids = ctx.load.insert(schema.approvalSteps, steps);
	const decisionRows = decisions.flatMap((d, i) => (d ? [{ ...d, stepId: ids[i] }] : []));
	ctx.load.add(schema.approvalDecisions, decisionRows);
	ctx.load.add(schema.orderComments, comments);
	ctx.counts.approvalSteps += steps.length;
}
