import type { ApprovalMode } from '$lib/domain/statuses';
import type { RuleView } from '$lib/server/services/approval-policy-admin';

/**
 * The rule form's state: text fields stay strings (what the user typed), yes/no conditions are
 * '' (any), 'yes' or 'no'. The server parses and explains; this only converts both ways.
 */
export type YesNo = '' | 'yes' | 'no';

export interface StepDraft {
	/** Stable key for the {#each}: steps are added and removed in the middle. */
	key: number;
	roleIds: number[];
	mode: ApprovalMode;
	quorum: string;
	responseHours: string;
	escalateRoleId: number | null;
}

export interface RuleDraft {
	id: number | null;
	version: number | null;
	name: string;
	companyId: number | null;
	priority: string;
	minAmountYuan: string;
	maxAmountYuan: string;
	minDiscountPct: string;
	customerKind: '' | 'new' | 'returning';
	creditExceeded: YesNo;
	maxDeliveryDays: string;
	nonStandardSpecs: YesNo;
	autoApprove: boolean;
	active: boolean;
	steps: StepDraft[];
}

let keys = 0;

export function newStep(roleId?: number): StepDraft {
	return {
		key: ++keys,
		roleIds: roleId ? [roleId] : [],
		mode: 'any',
		quorum: '',
		responseHours: '24',
		escalateRoleId: null
	};
}

export function emptyDraft(firstRoleId?: number): RuleDraft {
	return {
		id: null,
		version: null,
		name: '',
		companyId: null,
		priority: '',
		minAmountYuan: '',
		maxAmountYuan: '',
		minDiscountPct: '',
		customerKind: '',
		creditExceeded: '',
		maxDeliveryDays: '',
		nonStandardSpecs: '',
		autoApprove: false,
		active: true,
		steps: [newStep(firstRoleId)]
	};
}

const str = (n: number | null, div = 1) => (n === null ? '' : String(n / div));
const yesNo = (b: boolean | null): YesNo => (b === null ? '' : b ? 'yes' : 'no');

export function draftOf(r: RuleView): RuleDraft {
	return {
		id: r.id,
		version: r.version,
		name: r.name,
		companyId: r.companyId,
		priority: String(r.priority),
		minAmountYuan: str(r.minAmount, 100),
		maxAmountYuan: str(r.maxAmount, 100),
		minDiscountPct: str(r.minDiscountBp, 100),
		customerKind: r.customerKind ?? '',
		creditExceeded: yesNo(r.creditExceeded),
		maxDeliveryDays: str(r.maxDeliveryDays),
		nonStandardSpecs: yesNo(r.nonStandardSpecs),
		autoApprove: r.autoApprove,
		active: r.active,
		steps: r.steps.map((s) => ({
			key: ++keys,
			roleIds: [...s.roleIds],
			mode: s.mode,
			quorum: str(s.quorum),
			responseHours: String(s.responseHours),
			escalateRoleId: s.escalateRoleId
		}))
	};
}

const text = (s: string) => (s.trim() === '' ? null : s.trim());
const bool = (v: YesNo) => (v === '' ? null : v === 'yes');

/** The JSON the API takes (amounts in yuan, discount in %); the version only when editing. */
export function inputOf(d: RuleDraft) {
	return {
		name: d.name,
		companyId: d.companyId,
		priority: text(d.priority),
		minAmountYuan: text(d.minAmountYuan),
		maxAmountYuan: text(d.maxAmountYuan),
		minDiscountPct: text(d.minDiscountPct),
		customerKind: d.customerKind || null,
		creditExceeded: bool(d.creditExceeded),
		maxDeliveryDays: text(d.maxDeliveryDays),
		nonStandardSpecs: bool(d.nonStandardSpecs),
		autoApprove: d.autoApprove,
		active: d.active,
		steps: d.autoApprove
			? []
			: d.steps.map((s) => ({
					roleIds: s.roleIds,
					mode: s.mode,
					quorum: s.mode === 'quorum' ? text(s.quorum) : null,
					responseHours: text(s.responseHours),
					escalateRoleId: s.escalateRoleId
				})),
		...(d.version === null ? {} : { version: d.version })
	};
}
