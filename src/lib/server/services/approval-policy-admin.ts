import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { schema, type Conn, type Tx } from '../db';
import { authorize, canSeeCompany, type Actor } from '../authz';
import { parseId, parseInput } from '../validate';
import { ConflictError, NotFoundError, ValidationError, type FieldIssue } from '../errors';
import { runCommand } from '../events/command';
import type { NewEvent } from '../events/append';
import { failedConditions, routeFor, type Condition, type PolicyRule } from '../../domain/approval-policy';
import { failedWords, hasNoConditions } from '../../policy-words';
import { describeRoute, loadPolicy, policyRule } from './approval-route';
import {
	activeInput,
	moveInput,
	ruleSchema,
	ruleUpdateSchema,
	toBp,
	toFen,
	tryInput,
	versionInput,
	type RuleData
} from './approval-policy-input';
import { m } from '../../paraglide/messages';
import type { Ctx } from './context';

/**
 * The approval policy as an admin edits it: rules (conditions and a chain of steps) listed in
 * priority order, created, edited with optimistic versions, deleted or (once used) deactivated,
 * moved up and down; and a tester that says which rule an example order meets and why the
 * earlier ones did not. Each save is one transaction with its event: the events are the audit
 * trail, so each payload is the rule as saved.
 */

const { approvalRules, approvalRuleSteps, approvalSteps, roles, companies } = schema;

export interface RuleView extends PolicyRule {
	version: number;
	updatedAt: Date;
	/** Approval steps of orders that came from this rule: a used rule is deactivated, never deleted. */
	usedBy: number;
}

/** Rules the actor may see and edit: group-wide ones and those of their companies. */
const visible = (a: Actor, r: { companyId: number | null }) =>
	r.companyId === null || canSeeCompany(a, r.companyId);

async function ruleViews(conn: Conn, ids?: number[]): Promise<RuleView[]> {
	const rows = await conn
		.select()
		.from(approvalRules)
		.where(ids ? inArray(approvalRules.id, ids.length ? ids : [-1]) : undefined)
		.orderBy(asc(approvalRules.priority), asc(approvalRules.id));
	if (rows.length === 0) return [];
	const ruleIds = rows.map((r) => r.id);
	const [steps, usage] = await Promise.all([
		conn
			.select()
			.from(approvalRuleSteps)
			.where(inArray(approvalRuleSteps.ruleId, ruleIds))
			.orderBy(asc(approvalRuleSteps.stepNo)),
		conn
			.select({ ruleId: approvalSteps.ruleId, n: sql<number>`count(*)::int` })
			.from(approvalSteps)
			.where(inArray(approvalSteps.ruleId, ruleIds))
			.groupBy(approvalSteps.ruleId)
	]);
	return rows.map((r) => ({
		...policyRule(r, steps),
		version: r.version,
		updatedAt: r.updatedAt,
		usedBy: Number(usage.find((u) => u.ruleId === r.id)?.n ?? 0)
	}));
}

async function ruleView(conn: Conn, id: number): Promise<RuleView> {
	const [r] = await ruleViews(conn, [id]);
	return r;
}

/** A catch-all: active, no condition, and a chain (an automatic rule skips non-routine orders). */
export function catchAllGaps(rules: readonly PolicyRule[], companyIds: readonly number[]): number[] {
	const catches = (r: PolicyRule, c: number) =>
		r.active &&
		!r.autoApprove &&
		r.steps.length > 0 &&
		(r.companyId === null || r.companyId === c) &&
		hasNoConditions(r);
	return companyIds.filter((c) => !rules.some((r) => catches(r, c)));
}

/** The policy page: rules in priority order, the roles that may approve, companies, and gaps. */
export async function listRules({ db, actor }: Ctx) {
	const a = authorize(actor, 'approvals.policy');
	const [all, roleRows, companyRows] = await Promise.all([
		ruleViews(db),
		db
			.select({
				id: roles.id,
				code: roles.code,
				name: roles.name,
				nameEn: roles.nameEn,
				permissions: roles.permissions
			})
			.from(roles)
			.orderBy(asc(roles.id)),
		db
			.select({ id: companies.id, code: companies.code, name: companies.name, nameEn: companies.nameEn })
			.from(companies)
			.where(inArray(companies.id, a.companyIds.length ? [...a.companyIds] : [-1]))
			.orderBy(asc(companies.id))
	]);
	const rules = all.filter((r) => visible(a, r));
	const gaps = catchAllGaps(
		rules,
		companyRows.map((c) => c.id)
	);
	return {
		rules,
		roles: roleRows.map(({ permissions, ...r }) => ({
			...r,
			decides: permissions.includes('approvals.decide')
		})),
		companies: companyRows,
		missingCatchAll: companyRows.filter((c) => gaps.includes(c.id))
	};
}

const issue = (path: string, message: string): FieldIssue => ({ path, message });

/** What only the database can say: the company is one of the actor's, the roles may decide. */
async function referenceIssues(conn: Conn, a: Actor, r: RuleData): Promise<FieldIssue[]> {
	const o = { locale: a.locale };
	const issues: FieldIssue[] = [];
	if (r.companyId !== null && !canSeeCompany(a, r.companyId))
		issues.push(issue('companyId', m.policy_err_company_unknown({}, o)));
	const steps = r.autoApprove ? [] : r.steps;
	const wanted = [
		...new Set(steps.flatMap((s) => [...s.roleIds, ...(s.escalateRoleId ? [s.escalateRoleId] : [])]))
	];
	const deciders = new Set(
		wanted.length
			? (
					await conn
						.select({ id: roles.id })
						.from(roles)
						.where(and(inArray(roles.id, wanted), sql`'approvals.decide' = any(${roles.permissions})`))
				).map((x) => x.id)
			: []
	);
	const notApprover = m.policy_err_role_not_approver({}, o);
	steps.forEach((s, i) => {
		if (s.roleIds.some((id) => !deciders.has(id))) issues.push(issue(`steps.${i}.roleIds`, notApprover));
		if (s.escalateRoleId !== null && !deciders.has(s.escalateRoleId))
			issues.push(issue(`steps.${i}.escalateRoleId`, notApprover));
	});
	return issues;
}

async function checkReferences(conn: Conn, a: Actor, r: RuleData): Promise<void> {
	const issues = await referenceIssues(conn, a, r);
	if (issues.length)
		throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

function ruleValues(r: RuleData) {
	return {
		name: r.name,
		companyId: r.companyId,
		minAmount: toFen(r.minAmountYuan),
		maxAmount: toFen(r.maxAmountYuan),
		minDiscountBp: toBp(r.minDiscountPct),
		customerKind: r.customerKind,
		creditExceeded: r.creditExceeded,
		maxDeliveryDays: r.maxDeliveryDays,
		nonStandardSpecs: r.nonStandardSpecs,
		autoApprove: r.autoApprove,
		active: r.active
	};
}

function stepValues(r: RuleData) {
	if (r.autoApprove) return [];
	return r.steps.map((s, i) => ({
		stepNo: i + 1,
		roleIds: s.roleIds,
		mode: s.mode,
		quorum: s.mode === 'quorum' ? s.quorum : null,
		responseHours: s.responseHours,
		escalateRoleId: s.escalateRoleId
	}));
}

async function writeSteps(tx: Tx, ruleId: number, r: RuleData) {
	await tx.delete(approvalRuleSteps).where(eq(approvalRuleSteps.ruleId, ruleId));
	const steps = stepValues(r);
	if (steps.length) await tx.insert(approvalRuleSteps).values(steps.map((s) => ({ ruleId, ...s })));
}

type Emit = (event: NewEvent) => Promise<number>;

/**
 * The rule as saved, to the 'admin' topic. Rooms are per company, so a group-wide rule's event
 * is written once per company (and a rule moved between companies tells both).
 */
async function emitRule(
	tx: Tx,
	emit: Emit,
	a: Actor,
	type: string,
	rule: RuleView & { deleted?: boolean },
	alsoCompany?: number | null
) {
	const ids =
		rule.companyId === null || alsoCompany === null
			? (await tx.select({ id: companies.id }).from(companies).orderBy(asc(companies.id))).map((c) => c.id)
			: [...new Set([rule.companyId, ...(alsoCompany === undefined ? [] : [alsoCompany])])];
	for (const companyId of ids)
		await emit({
			companyId,
			topic: 'admin',
			entity: 'approval_rule',
			entityId: rule.id,
			entityVersion: rule.version,
			type,
			payload: { ...rule },
			actorId: a.id
		});
}

/** Locks the rule, checks the actor may edit it and the version they read. */
async function lockRule(tx: Tx, a: Actor, id: number, version: number) {
	const [row] = await tx.select().from(approvalRules).where(eq(approvalRules.id, id)).for('update');
	if (!row || !visible(a, row)) throw new NotFoundError();
	if (row.version !== version) throw new ConflictError('stale version', await ruleView(tx, id));
	return row;
}

export async function createRule({ db, actor }: Ctx, input: unknown): Promise<RuleView> {
	const a = authorize(actor, 'approvals.policy');
	const r = parseInput(ruleSchema(a.locale), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		await checkReferences(tx, a, r);
		const [{ last }] = await tx
			.select({ last: sql<number | null>`max(${approvalRules.priority})` })
			.from(approvalRules);
		const priority = r.priority ?? (last === null ? 10 : Number(last) + 10);
		const [row] = await tx
			.insert(approvalRules)
			.values({ ...ruleValues(r), priority })
			.returning({ id: approvalRules.id });
		await writeSteps(tx, row.id, r);
		const saved = await ruleView(tx, row.id);
		await emitRule(tx, emit, a, 'approval_rule.created', saved);
		return saved;
	});
}

/** Saves an edit; a stale version is a ConflictError carrying the rule as it is now. */
export async function updateRule({ db, actor }: Ctx, rawId: unknown, input: unknown): Promise<RuleView> {
	const a = authorize(actor, 'approvals.policy');
	const id = parseId(rawId, a.locale);
	const r = parseInput(ruleUpdateSchema(a.locale), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const before = await lockRule(tx, a, id, r.version);
		await checkReferences(tx, a, r);
		await tx
			.update(approvalRules)
			.set({
				...ruleValues(r),
				priority: r.priority ?? before.priority,
				version: sql`${approvalRules.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(approvalRules.id, id));
		await writeSteps(tx, id, r);
		const saved = await ruleView(tx, id);
		await emitRule(tx, emit, a, 'approval_rule.updated', saved, before.companyId);
		return saved;
	});
}

/** Switches a rule on or off without touching the rest of it. */
export async function setRuleActive({ db, actor }: Ctx, rawId: unknown, input: unknown): Promise<RuleView> {
	const a = authorize(actor, 'approvals.policy');
	const id = parseId(rawId, a.locale);
	const { version, active } = parseInput(activeInput, input, a.locale);
	return runCommand(db, async (tx, emit) => {
		await lockRule(tx, a, id, version);
		await tx
			.update(approvalRules)
			.set({ active, version: sql`${approvalRules.version} + 1`, updatedAt: sql`now()` })
			.where(eq(approvalRules.id, id));
		const saved = await ruleView(tx, id);
		await emitRule(tx, emit, a, active ? 'approval_rule.activated' : 'approval_rule.deactivated', saved);
		return saved;
	});
}

/**
 * Deletes a rule, or deactivates it when orders' approval steps came from it (they keep
 * pointing at it for their history).
 */
export async function removeRule({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'approvals.policy');
	const id = parseId(rawId, a.locale);
	const { version } = parseInput(versionInput, input, a.locale);
	return runCommand(db, async (tx, emit) => {
		await lockRule(tx, a, id, version);
		const rule = await ruleView(tx, id);
		if (rule.usedBy > 0) {
			await tx
				.update(approvalRules)
				.set({ active: false, version: sql`${approvalRules.version} + 1`, updatedAt: sql`now()` })
				.where(eq(approvalRules.id, id));
			const saved = await ruleView(tx, id);
			await emitRule(tx, emit, a, 'approval_rule.deactivated', saved);
			return { outcome: 'deactivated' as const, rule: saved };
		}
		await tx.delete(approvalRules).where(eq(approvalRules.id, id));
		const gone = { ...rule, version: rule.version + 1, active: false, deleted: true };
		await emitRule(tx, emit, a, 'approval_rule.deleted', gone);
		return { outcome: 'deleted' as const, rule: gone };
	});
}

/**
 * Moves a rule one place up or down the priority order. Usually the two swap priorities; when
 * that would not give the wanted order (equal priorities), the visible rules are renumbered
 * 10, 20, 30…. Every rule whose priority changes gets a new version and an event.
 */
export async function moveRule({ db, actor }: Ctx, rawId: unknown, input: unknown): Promise<RuleView[]> {
	const a = authorize(actor, 'approvals.policy');
	const id = parseId(rawId, a.locale);
	const { version, direction } = parseInput(moveInput, input, a.locale);
	return runCommand(db, async (tx, emit) => {
		await lockRule(tx, a, id, version);
		const rows = (
			await tx
				.select({
					id: approvalRules.id,
					priority: approvalRules.priority,
					companyId: approvalRules.companyId
				})
				.from(approvalRules)
				.orderBy(asc(approvalRules.priority), asc(approvalRules.id))
				.for('update')
		).filter((r) => visible(a, r));
		const i = rows.findIndex((r) => r.id === id);
		const j = direction === 'up' ? i - 1 : i + 1;
		if (j < 0 || j >= rows.length) return ruleViews(tx, [id]);
		const wanted = rows.map((r) => r.id);
		[wanted[i], wanted[j]] = [wanted[j], wanted[i]];
		const next = new Map(rows.map((r) => [r.id, r.priority]));
		next.set(rows[i].id, rows[j].priority);
		next.set(rows[j].id, rows[i].priority);
		const order = [...rows].sort((x, y) => next.get(x.id)! - next.get(y.id)! || x.id - y.id).map((r) => r.id);
		if (order.join() !== wanted.join()) wanted.forEach((rid, k) => next.set(rid, (k + 1) * 10));
		const changed = rows.filter((r) => next.get(r.id) !== r.priority).map((r) => r.id);
		for (const rid of changed)
			await tx
				.update(approvalRules)
				.set({ priority: next.get(rid)!, version: sql`${approvalRules.version} + 1`, updatedAt: sql`now()` })
				.where(eq(approvalRules.id, rid));
		const saved = await ruleViews(tx, changed);
		for (const rule of saved) await emitRule(tx, emit, a, 'approval_rule.moved', rule);
		return saved;
	});
}

/** A failed draft's issues under `draft.`, so the form can put them beside its fields. */
function underDraft(e: unknown): never {
	if (!(e instanceof ValidationError)) throw e;
	const issues = e.issues.map((i) => ({ path: i.path ? `draft.${i.path}` : 'draft', message: i.message }));
	throw new ValidationError(issues.map((i) => `${i.path}: ${i.message}`).join('; '), issues);
}

export interface TriedRule {
	ruleId: number;
	name: string;
	priority: number;
	draft: boolean;
	failed: Condition[];
	/** The failed conditions in words; or why a matching rule was passed over. */
	reasons: string[];
}

/**
 * "Try an order": which rule an example order meets, with its chain, and for each earlier
 * active rule why it did not apply. A draft (the rule being edited) stands in for its saved
 * version, so the admin can check a change before saving it.
 */
export async function tryOrder({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'approvals.policy');
	const t = parseInput(tryInput, input, a.locale);
	const o = { locale: a.locale };
	if (!canSeeCompany(a, t.companyId))
		throw new ValidationError(`companyId: ${m.policy_err_company_unknown({}, o)}`, [
			issue('companyId', m.policy_err_company_unknown({}, o))
		]);
	const facts = {
		companyId: t.companyId,
		totalAmount: Math.round(t.amountYuan * 100),
		discountBp: Math.round(t.discountPct * 100),
		returning: t.returning,
		overCredit: t.overCredit,
		deliveryDays: t.deliveryDays,
		nonStandard: t.nonStandard
	};
	const policy = await loadPolicy(db, t.companyId);
	const draftId = t.draftId ?? null;
	let draftRule: PolicyRule | null = null;
	if (t.draft !== undefined && t.draft !== null) {
		let d: RuleData;
		try {
			d = parseInput(ruleSchema(a.locale), t.draft, a.locale);
			await checkReferences(db, a, d);
		} catch (e) {
			underDraft(e);
		}
		const saved = policy.find((r) => r.id === draftId);
		const last = Math.max(0, ...policy.map((r) => r.priority));
		draftRule = {
			...ruleValues(d),
			// A new draft sorts after saved rules of the same priority, as it would once saved.
			id: draftId ?? Number.MAX_SAFE_INTEGER,
			priority: d.priority ?? saved?.priority ?? last + 10,
			steps: stepValues(d)
		};
	}
	const rules = draftRule ? [...policy.filter((r) => r.id !== draftId), draftRule] : policy;
	const route = routeFor(rules, facts);
	const ordered = rules.filter((r) => r.active).sort((x, y) => x.priority - y.priority || x.id - y.id);
	const skipped: TriedRule[] = [];
	for (const r of ordered) {
		if (route && r === route.rule) break;
		const failed = failedConditions(r, facts);
		const reasons = failed.length
			? failedWords(r, failed, a.locale)
			: [r.autoApprove ? m.policy_t_auto_not_routine({}, o) : m.policy_t_no_steps({}, o)];
		skipped.push({
			ruleId: r.id,
			name: r.name,
			priority: r.priority,
			draft: r === draftRule,
			failed,
			reasons
		});
	}
	const described = await describeRoute(db, route);
	return {
		facts,
		fired: described && { ...described, priority: route!.rule.priority, draft: route!.rule === draftRule },
		skipped
	};
}
