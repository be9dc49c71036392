import { schema } from '../db';
import { yuan } from './catalog';
import type { RuleRef, SeedCtx } from './context';

type StepDef = RuleRef['steps'][number];

/** The approval policy an admin starts from: first match by priority wins. */
export function seedApprovalRules(ctx: SeedCtx): void {
	const { load, roles } = ctx;
	const sz = ctx.companies.find((c) => c.code === 'SZ')!.id;
	const step = (stepNo: number, role: string, responseHours = 24): StepDef => ({
		stepNo,
		roleIds: [roles[role]],
		mode: 'any',
		quorum: null,
		responseHours
	});
	const defs: (Omit<RuleRef, 'id'> & { name: string })[] = [
		{
			name: '高折扣订单（折扣 ≥ 10%）',
			companyId: null,
			priority: 10,
			minAmount: null,
			maxAmount: null,
			minDiscountBp: 1000,
			customerKind: null,
			maxDeliveryDays: null,
			nonStandardSpecs: null,
			autoApprove: false,
			steps: [step(1, 'approver'), step(2, 'manager', 48)]
		},
		{
			name: '非标技术要求',
			companyId: null,
			priority: 15,
			minAmount: null,
			maxAmount: null,
			minDiscountBp: null,
			customerKind: null,
			maxDeliveryDays: null,
			nonStandardSpecs: true,
			autoApprove: false,
			steps: [step(1, 'approver'), step(2, 'manager', 48)]
		},
		{
			name: '大额订单（≥ 500 万元）',
			companyId: null,
			priority: 20,
			minAmount: yuan(5_000_000),
			maxAmount: null,
			minDiscountBp: null,
			customerKind: null,
			maxDeliveryDays: null,
			nonStandardSpecs: null,
			autoApprove: false,
			steps: [step(1, 'approver'), step(2, 'finance'), step(3, 'manager', 48)]
		},
		{
			name: '苏州公司中额订单（100–500 万元）',
			companyId: sz,
			priority: 25,
			minAmount: yuan(1_000_000),
			maxAmount: yuan(4_999_999.99),
			minDiscountBp: null,
			customerKind: null,
			maxDeliveryDays: null,
			nonStandardSpecs: null,
			autoApprove: false,
			steps: [
				step(1, 'approver'),
				{ stepNo: 2, roleIds: [roles.finance, roles.manager], mode: 'quorum', quorum: 1, responseHours: 24 }
			]
		},
		{
			name: '老客户常规订单自动审批（< 100 万元）',
			companyId: null,
			priority: 30,
			minAmount: null,
			maxAmount: yuan(999_999.99),
			minDiscountBp: null,
			customerKind: 'returning',
			maxDeliveryDays: null,
			nonStandardSpecs: false,
			autoApprove: true,
			steps: []
		},
		{
			name: '紧急交期（≤ 75 天）',
			companyId: null,
			priority: 40,
			minAmount: null,
			maxAmount: null,
			minDiscountBp: null,
			customerKind: null,
			maxDeliveryDays: 75,
			nonStandardSpecs: null,
			autoApprove: false,
			steps: [step(1, 'approver', 8), step(2, 'manager', 24)]
		},
		{
			name: '标准审批',
			companyId: null,
			priority: 100,
			minAmount: null,
			maxAmount: null,
			minDiscountBp: null,
			customerKind: null,
			maxDeliveryDays: null,
			nonStandardSpecs: null,
			autoApprove: false,
			steps: [step(1, 'approver')]
		}
	];
	const ids = load.insert(
		schema.approvalRules,
		defs.map(({ steps: _steps, ...r }) => r)
	);
	ctx.rules = defs.map(({ name: _n, ...r }, i) => ({ ...r, id: ids[i] }));
	load.add(
		schema.approvalRuleSteps,
		ctx.rules.flatMap((r) => r.steps.map((s) => ({ ruleId: r.id, ...s })))
	);
	// approver1 hands over to approver2 for a week of leave next month.
	load.add(schema.approvalDelegations, [
		{
			fromUserId: ctx.users.approver1,
			toUserId: ctx.users.approver2,
			roleId: roles.approver,
			startsAt: ctx.clock.at(ctx.clock.day(20), 0),
			endsAt: ctx.clock.at(ctx.clock.day(27), 0)
		}
	]);
}

export interface RuleInput {
	companyId: number;
	totalAmount: number;
	discountBp: number;
	returning: boolean;
	deliveryDays: number;
}

/** The rule that applies to an order, as the approval service would pick it (standard specs only). */
export function matchRule(rules: RuleRef[], o: RuleInput, allowAuto: boolean): RuleRef {
	const fallback = rules[rules.length - 1];
	for (const r of rules) {
		if (r.companyId !== null && r.companyId !== o.companyId) continue;
		if (r.minAmount !== null && o.totalAmount < r.minAmount) continue;
		if (r.maxAmount !== null && o.totalAmount > r.maxAmount) continue;
		if (r.minDiscountBp !== null && o.discountBp < r.minDiscountBp) continue;
		if (r.customerKind !== null && (r.customerKind === 'returning') !== o.returning) continue;
		if (r.maxDeliveryDays !== null && o.deliveryDays > r.maxDeliveryDays) continue;
		// Seeded lines are all catalog specs, never non-standard.
		if (r.nonStandardSpecs === true) continue;
		if (r.autoApprove && !allowAuto) continue;
		return r;
	}
	return fallback;
}
