import { m } from './paraglide/messages';
import type { Condition, PolicyRule, PolicyStep } from './domain/approval-policy';

/**
 * The approval policy in plain words, for the admin page and the tester's explanations (the
 * server uses the same functions, so the API's words and the page's agree):
 * "金额 ≥ ¥5,000,000 · 折扣 ≥ 10%", "审批人 → 财务 + 经理（2 选 1）".
 */
type Locale = 'zh-CN' | 'en';
type Conditions = Pick<
	PolicyRule,
	| 'companyId'
	| 'minAmount'
	| 'maxAmount'
	| 'minDiscountBp'
	| 'customerKind'
	| 'creditExceeded'
	| 'maxDeliveryDays'
	| 'nonStandardSpecs'
>;

/** Whole yuan without decimals ("¥5,000,000"), otherwise with fen. */
export function yuanWords(fen: number, locale: Locale): string {
	const whole = fen % 100 === 0;
	return new Intl.NumberFormat(locale, {
		style: 'currency',
		currency: 'CNY',
		currencyDisplay: 'narrowSymbol',
		minimumFractionDigits: whole ? 0 : 2,
		maximumFractionDigits: whole ? 0 : 2
	}).format(fen / 100);
}

export function pctWords(bp: number, locale: Locale): string {
	return new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 }).format(bp / 10_000);
}

/** A rule has no condition at all: it catches every order (of its company, if it names one). */
export function hasNoConditions(r: Omit<Conditions, 'companyId'>): boolean {
	return (
		r.minAmount === null &&
		r.maxAmount === null &&
		r.minDiscountBp === null &&
		r.customerKind === null &&
		r.creditExceeded === null &&
		r.maxDeliveryDays === null &&
		r.nonStandardSpecs === null
	);
}

/** Each condition of a rule as a phrase; `companyName` names a company by id. */
export function conditionWords(r: Conditions, locale: Locale, companyName: (id: number) => string): string[] {
	const o = { locale };
	const out: string[] = [];
	if (r.companyId !== null) out.push(m.policy_cond_company({ company: companyName(r.companyId) }, o));
	if (r.minAmount !== null) out.push(m.policy_cond_min_amount({ amount: yuanWords(r.minAmount, locale) }, o));
	if (r.maxAmount !== null) out.push(m.policy_cond_max_amount({ amount: yuanWords(r.maxAmount, locale) }, o));
	if (r.minDiscountBp !== null)
		out.push(m.policy_cond_discount({ pct: pctWords(r.minDiscountBp, locale) }, o));
	if (r.customerKind === 'new') out.push(m.policy_cond_new_customer({}, o));
	if (r.customerKind === 'returning') out.push(m.policy_cond_returning({}, o));
	if (r.creditExceeded === true) out.push(m.policy_cond_over_credit({}, o));
	if (r.creditExceeded === false) out.push(m.policy_cond_within_credit({}, o));
	if (r.maxDeliveryDays !== null) out.push(m.policy_cond_delivery({ days: r.maxDeliveryDays }, o));
	if (r.nonStandardSpecs === true) out.push(m.policy_cond_nonstandard({}, o));
	if (r.nonStandardSpecs === false) out.push(m.policy_cond_standard({}, o));
	return out;
}

/** One step's approvers: "财务", "财务 + 经理（全部）", "财务 + 经理（2 选 1）". */
export function stepWords(
	s: Pick<PolicyStep, 'roleIds' | 'mode' | 'quorum'>,
	locale: Locale,
	roleName: (id: number) => string
): string {
	const o = { locale };
	const names = s.roleIds.map(roleName);
	if (s.mode === 'quorum')
		return m.policy_chain_quorum({ roles: names.join(' + '), k: s.quorum ?? 1, n: names.length }, o);
	if (names.length === 1) return names[0];
	if (s.mode === 'all') return m.policy_chain_all({ roles: names.join(' + ') }, o);
	return m.policy_chain_any({ roles: names.join(' / ') }, o);
}

/** The chain as "审批人 → 财务 + 经理（2 选 1）", or "自动审批". */
export function chainWords(
	r: { autoApprove: boolean; steps: Pick<PolicyStep, 'roleIds' | 'mode' | 'quorum'>[] },
	locale: Locale,
	roleName: (id: number) => string
): string {
	if (r.autoApprove) return m.policy_auto({}, { locale });
	return r.steps.map((s) => stepWords(s, locale, roleName)).join(' → ');
}

/** Why an order fails a condition of the rule, in words. */
export function failedWords(r: Conditions, failed: readonly Condition[], locale: Locale): string[] {
	const o = { locale };
	return failed.map((c) => {
		switch (c) {
			case 'company':
				return m.policy_fail_company({}, o);
			case 'minAmount':
				return m.policy_fail_min_amount({ amount: yuanWords(r.minAmount ?? 0, locale) }, o);
			case 'maxAmount':
				return m.policy_fail_max_amount({ amount: yuanWords(r.maxAmount ?? 0, locale) }, o);
			case 'minDiscountBp':
				return m.policy_fail_discount({ pct: pctWords(r.minDiscountBp ?? 0, locale) }, o);
			case 'customerKind':
				return r.customerKind === 'new' ? m.policy_fail_not_new({}, o) : m.policy_fail_not_returning({}, o);
			case 'creditExceeded':
				return r.creditExceeded ? m.policy_fail_not_over_credit({}, o) : m.policy_fail_over_credit({}, o);
			case 'maxDeliveryDays':
				return m.policy_fail_delivery({ days: r.maxDeliveryDays ?? 0 }, o);
			case 'nonStandardSpecs':
				return r.nonStandardSpecs ? m.policy_fail_not_nonstandard({}, o) : m.policy_fail_nonstandard({}, o);
		}
	});
}
