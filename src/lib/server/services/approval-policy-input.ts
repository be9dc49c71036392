import { z } from 'zod';
import { APPROVAL_MODES } from '../../domain/statuses';
import { m } from '../../paraglide/messages';
import { trimmed, type Locale } from '../validate';

/**
 * The input of an approval rule as the admin's form sends it: amounts in yuan and the discount
 * in percent (stored as fen and basis points), blank conditions as null. Built per locale so the
 * rule-specific messages are in the user's language, like zod's own.
 */
const INT = 2_147_483_647;
/** ¥1,000 billion: far above any order, and its fen still an exact double. */
const MAX_YUAN = 1_000_000_000_000;

const blank = (v: unknown) => (v === '' || v === undefined ? null : v);
const numeric = (v: unknown) =>
	typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : v;
/** A condition: null (or blank) means "any". */
const cond = <T extends z.ZodType>(s: T) => z.preprocess((v) => numeric(blank(v)), s.nullable());
const twoDecimals = (x: number) => Math.abs(x * 100 - Math.round(x * 100)) < 1e-6;

export const toFen = (yuan: number | null) => (yuan === null ? null : Math.round(yuan * 100));
export const toBp = (pct: number | null) => (pct === null ? null : Math.round(pct * 100));

function stepSchema(locale: Locale) {
	const o = { locale };
	return z
		.object({
			roleIds: z.array(z.number().int().min(1).max(INT)).min(1, m.policy_err_roles_needed({}, o)).max(20),
			mode: z.enum(APPROVAL_MODES),
			quorum: cond(z.number().int().min(0).max(INT)),
			responseHours: z.preprocess(numeric, z.number().int().min(1).max(720)),
			escalateRoleId: cond(z.number().int().min(1).max(INT))
		})
		.superRefine((s, ctx) => {
			const n = s.roleIds.length;
			if (new Set(s.roleIds).size !== n)
				ctx.addIssue({ code: 'custom', path: ['roleIds'], message: m.policy_err_roles_twice({}, o) });
			if (s.mode === 'all' && n < 2)
				ctx.addIssue({ code: 'custom', path: ['roleIds'], message: m.policy_err_all_two_roles({}, o) });
			if (s.mode === 'quorum' && (s.quorum === null || s.quorum < 1 || s.quorum > n))
				ctx.addIssue({
					code: 'custom',
					path: ['quorum'],
					message: m.policy_err_quorum_range({ n: Math.max(1, n) }, o)
				});
		});
}

function ruleObject(locale: Locale) {
	const o = { locale };
	const decimals = { message: m.policy_err_two_decimals({}, o) };
	const yuan = z.number().min(0).max(MAX_YUAN).refine(twoDecimals, decimals);
	return z.object({
		name: trimmed(1, 80),
		/** Null: every company. */
		companyId: cond(z.number().int().min(1).max(INT)),
		/** Null: keep the rule's place (new rules go last). */
		priority: cond(z.number().int().min(0).max(1_000_000)),
		minAmountYuan: cond(yuan),
		maxAmountYuan: cond(yuan),
		minDiscountPct: cond(z.number().min(0).max(100).refine(twoDecimals, decimals)),
		customerKind: cond(z.enum(['new', 'returning'])),
		creditExceeded: cond(z.boolean()),
		maxDeliveryDays: cond(z.number().int().min(1).max(3650)),
		nonStandardSpecs: cond(z.boolean()),
		autoApprove: z.boolean().default(false),
		active: z.boolean().default(true),
		steps: z.array(stepSchema(locale)).max(50).default([])
	});
}

type RuleShape = z.output<ReturnType<typeof ruleObject>>;

function refineRule(locale: Locale) {
	const o = { locale };
	return (r: RuleShape, ctx: z.RefinementCtx) => {
		if (r.minAmountYuan !== null && r.maxAmountYuan !== null && r.maxAmountYuan < r.minAmountYuan)
			ctx.addIssue({ code: 'custom', path: ['maxAmountYuan'], message: m.policy_err_max_below_min({}, o) });
		if (r.autoApprove && r.steps.length > 0)
			ctx.addIssue({ code: 'custom', path: ['steps'], message: m.policy_err_auto_no_steps({}, o) });
		if (!r.autoApprove && (r.steps.length < 1 || r.steps.length > 10))
			ctx.addIssue({ code: 'custom', path: ['steps'], message: m.policy_err_steps_needed({}, o) });
	};
}

/** A new rule (or the tester's draft). */
export function ruleSchema(locale: Locale) {
	return ruleObject(locale).superRefine(refineRule(locale));
}

/** An edit: the same, with the version the admin read. */
export function ruleUpdateSchema(locale: Locale) {
	return ruleObject(locale)
		.extend({ version: z.number().int().min(1).max(INT) })
		.superRefine(refineRule(locale));
}

export type RuleData = z.output<ReturnType<typeof ruleSchema>>;

export const versionInput = z.object({ version: z.number().int().min(1).max(INT) });

export const moveInput = versionInput.extend({ direction: z.enum(['up', 'down']) });

export const activeInput = versionInput.extend({ active: z.boolean() });

/** The tester's example order, in the units people think in. */
export const tryInput = z.object({
	companyId: z.preprocess(numeric, z.number().int().min(1).max(INT)),
	amountYuan: z.preprocess(numeric, z.number().min(0).max(MAX_YUAN)),
	discountPct: z.preprocess(numeric, z.number().min(0).max(100)),
	returning: z.boolean(),
	overCredit: z.boolean(),
	deliveryDays: z.preprocess(numeric, z.number().int().min(-3650).max(36_500)),
	nonStandard: z.boolean(),
	/** The rule being edited, unsaved: it stands in for the saved one (`draftId`) or is added. */
	draft: z.unknown().optional(),
	draftId: cond(z.number().int().min(1).max(INT)).optional()
});
