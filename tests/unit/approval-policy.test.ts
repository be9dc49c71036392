import { describe, expect, it } from 'vitest';
import {
	entitlementFor,
	failedConditions,
	routeFor,
	slaState,
	stepOutcome,
	approvalRelevantChange,
	type OrderFacts,
	type PolicyRule,
	type PolicyStep
} from '../../src/lib/domain/approval-policy';

const step = (
	stepNo: number,
	roleIds: number[],
	mode: PolicyStep['mode'] = 'any',
	quorum: number | null = null
): PolicyStep => ({
	stepNo,
	roleIds,
	mode,
	quorum,
	responseHours: 24,
	escalateRoleId: null
});

const rule = (id: number, over: Partial<PolicyRule>): PolicyRule => ({
	id,
	companyId: null,
	name: `rule ${id}`,
	priority: 100,
	minAmount: null,
	maxAmount: null,
	minDiscountBp: null,
	customerKind: null,
	creditExceeded: null,
	maxDeliveryDays: null,
	nonStandardSpecs: null,
	autoApprove: false,
	active: true,
	steps: [step(1, [1])],
	...over
});

const facts = (over: Partial<OrderFacts> = {}): OrderFacts => ({
	companyId: 1,
	totalAmount: 500_000_00,
	discountBp: 0,
	returning: false,
	overCredit: false,
	deliveryDays: 120,
	nonStandard: false,
	...over
});

describe('rule conditions, one kind at a time', () => {
	const cases: [string, Partial<PolicyRule>, Partial<OrderFacts>, boolean][] = [
		['amount band: inside', { minAmount: 100, maxAmount: 1000 }, { totalAmount: 500 }, true],
		['amount band: below', { minAmount: 100, maxAmount: 1000 }, { totalAmount: 99 }, false],
		['amount band: above', { minAmount: 100, maxAmount: 1000 }, { totalAmount: 1001 }, false],
		['amount band: edges included', { minAmount: 100, maxAmount: 1000 }, { totalAmount: 1000 }, true],
		['discount at the threshold', { minDiscountBp: 1000 }, { discountBp: 1000 }, true],
		['discount under the threshold', { minDiscountBp: 1000 }, { discountBp: 999 }, false],
		['returning customer', { customerKind: 'returning' }, { returning: true }, true],
		['new customer on a returning rule', { customerKind: 'returning' }, { returning: false }, false],
		['new customer', { customerKind: 'new' }, { returning: false }, true],
		['over credit', { creditExceeded: true }, { overCredit: true }, true],
		['within credit on an over-credit rule', { creditExceeded: true }, { overCredit: false }, false],
		['delivery soon enough', { maxDeliveryDays: 75 }, { deliveryDays: 75 }, true],
		['delivery later than the urgent window', { maxDeliveryDays: 75 }, { deliveryDays: 76 }, false],
		['non-standard specs', { nonStandardSpecs: true }, { nonStandard: true }, true],
		['standard specs on a non-standard rule', { nonStandardSpecs: true }, { nonStandard: false }, false],
		['standard-only rule, standard order', { nonStandardSpecs: false }, { nonStandard: false }, true],
		['company-specific rule, same company', { companyId: 2 }, { companyId: 2 }, true],
		['company-specific rule, other company', { companyId: 2 }, { companyId: 1 }, false]
	];
	it.each(cases)('%s', (_name, over, f, matches) => {
		expect(failedConditions(rule(1, over), facts(f)).length === 0).toBe(matches);
	});
});

describe('routeFor', () => {
	const policy = [
		rule(1, { priority: 10, minDiscountBp: 1000, steps: [step(1, [1]), step(2, [3])] }),
		rule(2, {
			priority: 20,
			customerKind: 'returning',
			maxAmount: 1_000_000_00,
			autoApprove: true,
			steps: []
		}),
		rule(3, { priority: 30, companyId: 2, steps: [step(1, [1]), step(2, [4, 3], 'quorum', 1)] }),
		rule(4, { priority: 100 }),
		rule(5, { priority: 5, active: false, steps: [step(1, [9])] })
	];

	it('takes the first matching active rule by priority', () => {
		expect(routeFor(policy, facts({ discountBp: 1500 }))!.rule.id).toBe(1);
		expect(routeFor(policy, facts({ companyId: 2 }))!.rule.id).toBe(3);
		expect(routeFor(policy, facts())!.rule.id).toBe(4);
	});

	it('auto-approves a routine order and names the rule that fired', () => {
		const r = routeFor(policy, facts({ returning: true }))!;
		expect(r).toMatchObject({ auto: true, steps: [] });
		expect(r.rule.name).toBe('rule 2');
	});

	it('never auto-approves an order over credit or with non-standard specs', () => {
		expect(routeFor(policy, facts({ returning: true, overCredit: true }))!.rule.id).toBe(4);
		expect(routeFor(policy, facts({ returning: true, nonStandard: true }))!.rule.id).toBe(4);
	});

	it('orders steps by number and keeps parallel and quorum steps', () => {
		const r = routeFor(policy, facts({ companyId: 2 }))!;
		expect(r.steps.map((s) => [s.stepNo, s.mode, s.quorum])).toEqual([
			[1, 'any', null],
			[2, 'quorum', 1]
		]);
	});

	it('has no route when nothing matches', () => {
		expect(routeFor([rule(1, { minAmount: 10 ** 12 })], facts())).toBeNull();
	});
});

describe('stepOutcome', () => {
	const d = (deciderId: number, roleId: number, decision: 'approve' | 'reject' | 'return' = 'approve') => ({
		deciderId,
		roleId,
		decision
	});
	const cases: [string, PolicyStep, ReturnType<typeof d>[], string][] = [
		['any: one approval', step(1, [1, 2]), [d(10, 1)], 'approved'],
		['any: nothing yet', step(1, [1]), [], 'pending'],
		['all: one role of two', step(1, [1, 2], 'all'), [d(10, 1)], 'pending'],
		[
			'all: two approvers of the same role are one role',
			step(1, [1, 2], 'all'),
			[d(10, 1), d(11, 1)],
			'pending'
		],
		['all: every role', step(1, [1, 2], 'all'), [d(10, 1), d(11, 2)], 'approved'],
		['quorum 2 of 3: one', step(1, [1, 2, 3], 'quorum', 2), [d(10, 1)], 'pending'],
		['quorum 2 of 3: two', step(1, [1, 2, 3], 'quorum', 2), [d(10, 1), d(11, 3)], 'approved'],
		['a rejection ends it', step(1, [1, 2, 3], 'quorum', 2), [d(10, 1), d(11, 2, 'reject')], 'rejected'],
		['a return ends it', step(1, [1], 'any'), [d(10, 1, 'return')], 'returned']
	];
	it.each(cases)('%s', (_n, s, decisions, outcome) => {
		expect(stepOutcome(s, decisions)).toBe(outcome);
	});
});

describe('entitlementFor (roles and delegation)', () => {
	const now = new Date('2026-11-23T08:00:00Z');
	const leave = {
		fromUserId: 7,
		toUserId: 8,
		roleId: 1,
		startsAt: new Date('2026-11-20T00:00:00Z'),
		endsAt: new Date('2026-11-27T00:00:00Z')
	};
	const rolesOf = (id: number) => (id === 7 ? [1] : []);

	it('an approver decides in their own role', () => {
		expect(entitlementFor(step(1, [1]), { id: 7, roleIds: [1] }, [], rolesOf, now)).toEqual({
			roleId: 1,
			onBehalfOfId: null
		});
	});
	it('a substitute decides on behalf of the absent approver inside the window', () => {
		expect(entitlementFor(step(1, [1]), { id: 8, roleIds: [] }, [leave], rolesOf, now)).toEqual({
			roleId: 1,
			onBehalfOfId: 7
		});
	});
	it('not before or after the window', () => {
		expect(
			entitlementFor(step(1, [1]), { id: 8, roleIds: [] }, [leave], rolesOf, new Date('2026-11-27T00:00:00Z'))
		).toBeNull();
		expect(
			entitlementFor(step(1, [1]), { id: 8, roleIds: [] }, [leave], rolesOf, new Date('2026-11-19T23:59:59Z'))
		).toBeNull();
	});
	it('nobody else', () => {
		expect(entitlementFor(step(1, [1]), { id: 9, roleIds: [2] }, [leave], rolesOf, now)).toBeNull();
	});
	it("an 'all' step does not take the same role twice", () => {
		expect(entitlementFor(step(1, [1, 2], 'all'), { id: 7, roleIds: [1] }, [], rolesOf, now, [1])).toBeNull();
	});
});

describe('slaState and re-approval', () => {
	const activatedAt = new Date('2026-11-23T00:00:00Z');
	const dueAt = new Date('2026-11-24T00:00:00Z');
	it('on time, overdue, then escalation after twice the window', () => {
		expect(slaState({ activatedAt, dueAt }, new Date('2026-11-23T23:59:00Z'))).toBe('on_time');
		expect(slaState({ activatedAt, dueAt }, new Date('2026-11-24T00:00:00Z'))).toBe('overdue');
		expect(slaState({ activatedAt, dueAt }, new Date('2026-11-25T00:00:00Z'))).toBe('escalate');
	});
	it('a change of price, discount or specs needs approval again; nothing else does', () => {
		const base = { totalAmount: 100, discountBp: 0, lines: [{ loadKg: 1000 }] };
		expect(approvalRelevantChange(base, { ...base })).toBe(false);
		expect(approvalRelevantChange(base, { ...base, totalAmount: 101 })).toBe(true);
		expect(approvalRelevantChange(base, { ...base, discountBp: 100 })).toBe(true);
		expect(approvalRelevantChange(base, { ...base, lines: [{ loadKg: 1050 }] })).toBe(true);
	});
});
