import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar } from './db';
import {
	createRule,
	listRules,
	moveRule,
	removeRule,
	setRuleActive,
	tryOrder,
	updateRule
} from '../../src/lib/server/services/approval-policy-admin';
import { loadPolicy } from '../../src/lib/server/services/approval-route';
import { routeFor, type OrderFacts } from '../../src/lib/domain/approval-policy';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/server/errors';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';

/**
 * The policy editor's service on a real database: saving rules with every validation rule and
 * its message (in the user's language, on its field), optimistic versions, delete versus
 * deactivate, moving, the audit events, and the "try an order" tester.
 */
describe.each(drivers)('approval policy admin (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let admin: Actor;
	let adminEn: Actor;
	let approver1: Actor;
	let role: Record<string, number>;
	let companySH: number;
	let companySZ: number;

	beforeAll(async () => {
		db = t.db;
		admin = await actorOf(db, 'admin', { locale: 'zh-CN' });
		adminEn = { ...admin, locale: 'en' };
		approver1 = await actorOf(db, 'approver1');
		const roles = await query<{ id: number; code: string }>(db, sql`select id, code from roles`);
		role = Object.fromEntries(roles.map((r) => [r.code, Number(r.id)]));
		companySH = await scalar(db, sql`select id from companies where code = 'SH'`);
		companySZ = await scalar(db, sql`select id from companies where code = 'SZ'`);
	});

	const ctx = (actor: Actor) => ({ db, actor });
	const step = (over: Record<string, unknown> = {}) => ({
		roleIds: [role.approver],
		mode: 'any',
		quorum: null,
		responseHours: 24,
		escalateRoleId: null,
		...over
	});
	const rule = (over: Record<string, unknown> = {}) => ({
		name: '测试规则',
		companyId: null,
		priority: null,
		minAmountYuan: null,
		maxAmountYuan: null,
		minDiscountPct: null,
		customerKind: null,
		creditExceeded: null,
		maxDeliveryDays: null,
		nonStandardSpecs: null,
		autoApprove: false,
		active: true,
		steps: [step()],
		...over
	});
	const facts = (over: Partial<OrderFacts> = {}): OrderFacts => ({
		companyId: companySH,
		totalAmount: 50_000_000,
		discountBp: 0,
		returning: false,
		overCredit: false,
		deliveryDays: 200,
		nonStandard: false,
		...over
	});
	/** The issues of a ValidationError, keyed by field path. */
	const issuesOf = async (p: Promise<unknown>, actor = adminEn) => {
		try {
			await p;
		} catch (e) {
			expect(e).toBeInstanceOf(ValidationError);
			void actor;
			return Object.fromEntries((e as ValidationError).issues.map((i) => [i.path, i.message]));
		}
		throw new Error('expected a validation error');
	};
	const events = (ruleId: number) =>
		query<{
			type: string;
			company_id: number;
			topic: string;
			payload: Record<string, unknown>;
			entity_version: number;
		}>(
			db,
			sql`select type, company_id, topic, payload, entity_version from events where entity = 'approval_rule' and entity_id = ${ruleId} order by id`
		);

	it('creates a rule with its steps, in yuan and percent, and records it as an event', async () => {
		const saved = await createRule(
			ctx(admin),
			rule({
				name: '  特大订单  ',
				minAmountYuan: 8_000_000,
				minDiscountPct: 12.5,
				priority: 1,
				steps: [
					step(),
					step({
						roleIds: [role.finance, role.manager],
						mode: 'quorum',
						quorum: 1,
						responseHours: 48,
						escalateRoleId: role.manager
					})
				]
			})
		);
		expect(saved).toMatchObject({
			name: '特大订单',
			minAmount: 800_000_000,
			minDiscountBp: 1250,
			priority: 1,
			version: 1,
			usedBy: 0
		});
		expect(saved.steps).toEqual([
			{
				stepNo: 1,
				roleIds: [role.approver],
				mode: 'any',
				quorum: null,
				responseHours: 24,
				escalateRoleId: null
			},
			{
				stepNo: 2,
				roleIds: [role.finance, role.manager],
				mode: 'quorum',
				quorum: 1,
				responseHours: 48,
				escalateRoleId: role.manager
			}
		]);
		const ev = await events(saved.id);
		const companyCount = await scalar(db, sql`select count(*) from companies`);
		// A group-wide rule is told to every company's admin room; each payload is the rule as saved.
		expect(ev).toHaveLength(companyCount);
		expect(ev.every((e) => e.type === 'approval_rule.created' && e.topic === 'admin')).toBe(true);
		expect(ev[0].payload).toMatchObject({
			id: saved.id,
			name: '特大订单',
			minAmount: 800_000_000,
			version: 1
		});
		expect((ev[0].payload.steps as unknown[]).length).toBe(2);

		const list = await listRules(ctx(admin));
		expect(list.rules.map((r) => r.id)).toContain(saved.id);
		expect(list.rules[0].id).toBe(saved.id); // priority 1 comes first
		expect(list.roles.find((r) => r.id === role.finance)).toMatchObject({ decides: true });
		expect(list.roles.find((r) => r.id === role.planner)).toMatchObject({ decides: false });
	});

	it('a new rule without a priority goes last', async () => {
		const saved = await createRule(ctx(admin), rule({ name: '最后' }));
		const max = await scalar(db, sql`select max(priority) from approval_rules where id <> ${saved.id}`);
		expect(saved.priority).toBe(max + 10);
		await removeRule(ctx(admin), saved.id, { version: saved.version });
	});

	it('a saved rule changes the route routeFor(loadPolicy(…)) gives', async () => {
		const order = facts({ totalAmount: 12_000_000_00, discountBp: 1300 });
		const before = routeFor(await loadPolicy(db, companySH), order);
		expect(before?.rule.name).not.toBe('十二百万');
		const saved = await createRule(
			ctx(admin),
			rule({
				name: '十二百万',
				companyId: companySH,
				minAmountYuan: 11_000_000,
				priority: 0,
				steps: [step({ roleIds: [role.manager] })]
			})
		);
		const after = routeFor(await loadPolicy(db, companySH), order);
		expect(after?.rule.id).toBe(saved.id);
		expect(after?.steps.map((s) => s.roleIds)).toEqual([[role.manager]]);
		// Other companies do not see a company's rule.
		expect(routeFor(await loadPolicy(db, companySZ), { ...order, companyId: companySZ })?.rule.id).not.toBe(
			saved.id
		);
		// An automatic rule approves with no step, and the route names it.
		const updated = await updateRule(ctx(admin), saved.id, {
			...rule({
				name: '十二百万',
				companyId: companySH,
				minAmountYuan: 11_000_000,
				priority: 0,
				autoApprove: true,
				steps: []
			}),
			version: saved.version
		});
		const auto = routeFor(await loadPolicy(db, companySH), order);
		expect(auto).toMatchObject({ auto: true, steps: [] });
		expect(auto?.rule.name).toBe('十二百万');
		await removeRule(ctx(admin), saved.id, { version: updated.version });
		expect(routeFor(await loadPolicy(db, companySH), order)?.rule.id).toBe(before?.rule.id);
	});

	it('updates with the version read; a stale save is a conflict carrying the current rule', async () => {
		const saved = await createRule(ctx(admin), rule({ name: '版本测试', maxDeliveryDays: 30 }));
		const v2 = await updateRule(ctx(admin), saved.id, {
			...rule({ name: '版本测试 2', maxDeliveryDays: 20 }),
			version: 1
		});
		expect(v2).toMatchObject({ version: 2, name: '版本测试 2', maxDeliveryDays: 20 });
		let caught: unknown;
		try {
			await updateRule(ctx(admin), saved.id, { ...rule({ name: '旧的' }), version: 1 });
		} catch (e) {
			caught = e;
		}
		expect(caught).toBeInstanceOf(ConflictError);
		expect((caught as ConflictError).current).toMatchObject({ id: saved.id, version: 2, name: '版本测试 2' });
		// The stale save changed nothing.
		const [row] = await query<{ name: string; version: number }>(
			db,
			sql`select name, version from approval_rules where id = ${saved.id}`
		);
		expect(row).toEqual({ name: '版本测试 2', version: 2 });
		const ev = await events(saved.id);
		expect(ev.at(-1)).toMatchObject({ type: 'approval_rule.updated', entity_version: 2 });
		expect(ev.at(-1)!.payload).toMatchObject({ name: '版本测试 2', maxDeliveryDays: 20, version: 2 });
		await expect(removeRule(ctx(admin), saved.id, { version: 1 })).rejects.toBeInstanceOf(ConflictError);
		await expect(updateRule(ctx(admin), 999_999, { ...rule(), version: 1 })).rejects.toBeInstanceOf(
			NotFoundError
		);
	});

	it('deletes an unused rule and deactivates a used one', async () => {
		const fresh = await createRule(ctx(admin), rule({ name: '待删除' }));
		const del = await removeRule(ctx(admin), fresh.id, { version: 1 });
		expect(del.outcome).toBe('deleted');
		expect(await scalar(db, sql`select count(*) from approval_rules where id = ${fresh.id}`)).toBe(0);
		expect(await scalar(db, sql`select count(*) from approval_rule_steps where rule_id = ${fresh.id}`)).toBe(
			0
		);
		expect((await events(fresh.id)).at(-1)).toMatchObject({ type: 'approval_rule.deleted' });

		// A used rule other than the catch-all, so orders still have a route meanwhile.
		const [used] = (await listRules(ctx(admin))).rules.filter(
			(r) => r.usedBy > 0 && r.minDiscountBp !== null
		);
		expect(used.usedBy).toBeGreaterThan(0);
		const res = await removeRule(ctx(admin), used.id, { version: used.version });
		expect(res.outcome).toBe('deactivated');
		expect(res.rule).toMatchObject({ id: used.id, active: false, version: used.version + 1 });
		expect(routeFor(await loadPolicy(db, companySH), facts({ discountBp: 1500 }))?.rule.id).not.toBe(used.id);
		const back = await setRuleActive(ctx(admin), used.id, { version: res.rule.version, active: true });
		expect(back).toMatchObject({ active: true, version: used.version + 2 });
	});

	it('moves a rule up and down the priority order', async () => {
		const a = await createRule(ctx(admin), rule({ name: 'A', priority: 5000 }));
		const b = await createRule(ctx(admin), rule({ name: 'B', priority: 5010 }));
		const order = async () =>
			(await listRules(ctx(admin))).rules.map((r) => r.id).filter((id) => id === a.id || id === b.id);
		expect(await order()).toEqual([a.id, b.id]);
		const moved = await moveRule(ctx(admin), b.id, { version: b.version, direction: 'up' });
		expect(moved.map((r) => r.id).sort()).toEqual([a.id, b.id].sort());
		expect(await order()).toEqual([b.id, a.id]);
		const b2 = moved.find((r) => r.id === b.id)!;
		await moveRule(ctx(admin), b.id, { version: b2.version, direction: 'down' });
		expect(await order()).toEqual([a.id, b.id]);
		await expect(moveRule(ctx(admin), b.id, { version: b.version, direction: 'up' })).rejects.toBeInstanceOf(
			ConflictError
		);
		// Equal priorities: the rules are renumbered so the move still happens.
		const c = await createRule(ctx(admin), rule({ name: 'C', priority: 5010 }));
		const ids = async () =>
			(await listRules(ctx(admin))).rules.map((r) => r.id).filter((id) => [a.id, b.id, c.id].includes(id));
		expect(await ids()).toEqual([a.id, b.id, c.id]);
		await moveRule(ctx(admin), c.id, { version: c.version, direction: 'up' });
		expect(await ids()).toEqual([a.id, c.id, b.id]);
		for (const r of (await listRules(ctx(admin))).rules.filter((r) => [a.id, b.id, c.id].includes(r.id)))
			await removeRule(ctx(admin), r.id, { version: r.version });
	});

	it('refuses a user without approvals.policy', async () => {
		await expect(listRules(ctx(approver1))).rejects.toBeInstanceOf(ForbiddenError);
		await expect(createRule(ctx(approver1), rule())).rejects.toBeInstanceOf(ForbiddenError);
		await expect(updateRule(ctx(approver1), 1, { ...rule(), version: 1 })).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(removeRule(ctx(approver1), 1, { version: 1 })).rejects.toBeInstanceOf(ForbiddenError);
		await expect(moveRule(ctx(approver1), 1, { version: 1, direction: 'up' })).rejects.toBeInstanceOf(
			ForbiddenError
		);
		await expect(tryOrder(ctx(approver1), {})).rejects.toBeInstanceOf(ForbiddenError);
	});

	describe('validation, each with its message on its field', () => {
		const zhAdmin = () => admin;
		it('name 1–80 characters', async () => {
			expect((await issuesOf(createRule(ctx(adminEn), rule({ name: '   ' }))))['name']).toMatch(
				/>=1 characters/
			);
			expect((await issuesOf(createRule(ctx(adminEn), rule({ name: 'x'.repeat(81) }))))['name']).toMatch(
				/<=80 characters/
			);
			// The user's language: zod's own messages in Chinese too.
			expect((await issuesOf(createRule(ctx(zhAdmin()), rule({ name: '' }))))['name']).toMatch(/字符/);
		});

		it('amounts ≥ 0, two decimals, and max ≥ min', async () => {
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ minAmountYuan: -1 }))))['minAmountYuan']
			).toMatch(/>=0/);
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ maxAmountYuan: 1.234 }))))['maxAmountYuan']
			).toBe('At most two decimals');
			const i = await issuesOf(createRule(ctx(adminEn), rule({ minAmountYuan: 100, maxAmountYuan: 99.99 })));
			expect(i['maxAmountYuan']).toBe('The maximum amount cannot be below the minimum');
			const zh = await issuesOf(createRule(ctx(zhAdmin()), rule({ minAmountYuan: 100, maxAmountYuan: 99 })));
			expect(zh['maxAmountYuan']).toBe('最高金额不能低于最低金额');
			// Equal is fine; blank means "any".
			const ok = await createRule(
				ctx(admin),
				rule({ name: '区间', minAmountYuan: '100', maxAmountYuan: 100, minDiscountPct: '' })
			);
			expect(ok).toMatchObject({ minAmount: 10_000, maxAmount: 10_000, minDiscountBp: null });
			await removeRule(ctx(admin), ok.id, { version: ok.version });
		});

		it('discount 0–100 %, stored as basis points', async () => {
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ minDiscountPct: 101 }))))['minDiscountPct']
			).toMatch(/<=100/);
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ minDiscountPct: -0.5 }))))['minDiscountPct']
			).toMatch(/>=0/);
		});

		it('delivery days 1–3650, customer kind and yes/no conditions', async () => {
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ maxDeliveryDays: 0 }))))['maxDeliveryDays']
			).toMatch(/>=1/);
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ maxDeliveryDays: 3651 }))))['maxDeliveryDays']
			).toMatch(/<=3650/);
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ maxDeliveryDays: 1.5 }))))['maxDeliveryDays']
			).toMatch(/int/);
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ customerKind: 'vip' }))))['customerKind']
			).toMatch(/new|returning/);
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ creditExceeded: 'yes' }))))['creditExceeded']
			).toMatch(/boolean/);
		});

		it('a rule that is not automatic needs 1–10 steps; an automatic one has none', async () => {
			const steps = 'A rule that is not automatic needs 1 to 10 approval steps';
			expect((await issuesOf(createRule(ctx(adminEn), rule({ steps: [] }))))['steps']).toBe(steps);
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ steps: Array.from({ length: 11 }, () => step()) }))))[
					'steps'
				]
			).toBe(steps);
			expect((await issuesOf(createRule(ctx(adminEn), rule({ autoApprove: true }))))['steps']).toBe(
				'An automatic rule has no approval steps'
			);
			expect((await issuesOf(createRule(ctx(zhAdmin()), rule({ autoApprove: true }))))['steps']).toBe(
				'自动审批规则不能有审批步骤'
			);
		});

		it('step roles: at least one, no repeats, existing and allowed to decide', async () => {
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ steps: [step({ roleIds: [] })] }))))[
					'steps.0.roleIds'
				]
			).toBe('Choose at least one approver role');
			expect(
				(
					await issuesOf(
						createRule(
							ctx(adminEn),
							rule({ steps: [step({ roleIds: [role.finance, role.finance], mode: 'all' })] })
						)
					)
				)['steps.0.roleIds']
			).toBe('A role is chosen twice');
			const notApprover = 'The role does not exist or may not decide approvals';
			expect(
				(
					await issuesOf(
						createRule(ctx(adminEn), rule({ steps: [step(), step({ roleIds: [role.planner] })] }))
					)
				)['steps.1.roleIds']
			).toBe(notApprover);
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ steps: [step({ roleIds: [99_999] })] }))))[
					'steps.0.roleIds'
				]
			).toBe(notApprover);
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ steps: [step({ escalateRoleId: role.sales })] }))))[
					'steps.0.escalateRoleId'
				]
			).toBe(notApprover);
			expect(
				(await issuesOf(createRule(ctx(zhAdmin()), rule({ steps: [step({ roleIds: [role.planner] })] }))))[
					'steps.0.roleIds'
				]
			).toBe('角色不存在或没有审批权限');
		});

		it("mode 'all' needs two roles; a quorum is 1..number of roles", async () => {
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ steps: [step({ mode: 'all' })] }))))[
					'steps.0.roleIds'
				]
			).toBe('“All of them” needs at least 2 roles');
			const two = [role.finance, role.manager];
			expect(
				(
					await issuesOf(
						createRule(ctx(adminEn), rule({ steps: [step({ roleIds: two, mode: 'quorum', quorum: 3 })] }))
					)
				)['steps.0.quorum']
			).toBe('The quorum must be between 1 and 2');
			expect(
				(
					await issuesOf(
						createRule(ctx(adminEn), rule({ steps: [step({ roleIds: two, mode: 'quorum', quorum: 0 })] }))
					)
				)['steps.0.quorum']
			).toBe('The quorum must be between 1 and 2');
			expect(
				(
					await issuesOf(
						createRule(ctx(adminEn), rule({ steps: [step({ roleIds: two, mode: 'quorum', quorum: null })] }))
					)
				)['steps.0.quorum']
			).toBe('The quorum must be between 1 and 2');
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ steps: [step({ mode: 'sometimes' })] }))))[
					'steps.0.mode'
				]
			).toBeTruthy();
		});

		it('response hours 1–720', async () => {
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ steps: [step({ responseHours: 0 })] }))))[
					'steps.0.responseHours'
				]
			).toMatch(/>=1/);
			expect(
				(await issuesOf(createRule(ctx(adminEn), rule({ steps: [step({ responseHours: 721 })] }))))[
					'steps.0.responseHours'
				]
			).toMatch(/<=720/);
		});

		it('a company must be one of the actor’s', async () => {
			expect((await issuesOf(createRule(ctx(adminEn), rule({ companyId: 99_999 }))))['companyId']).toBe(
				'Unknown company, or not one of yours'
			);
		});

		it('the version is required for an edit', async () => {
			expect((await issuesOf(updateRule(ctx(adminEn), 1, rule())))['version']).toBeTruthy();
		});
	});

	describe('the tester', () => {
		it('says which rule fires and why the earlier ones did not', async () => {
			const res = await tryOrder(ctx(adminEn), {
				companyId: companySH,
				amountYuan: 300_000,
				discountPct: 2,
				returning: false,
				overCredit: false,
				deliveryDays: 200,
				nonStandard: false
			});
			const expected = routeFor(await loadPolicy(db, companySH), res.facts);
			expect(res.fired?.ruleId).toBe(expected?.rule.id);
			expect(res.facts).toMatchObject({ totalAmount: 30_000_000, discountBp: 200 });
			// The seeded policy: high discount, non-standard, big amount, … then the standard rule.
			const byName = Object.fromEntries(res.skipped.map((s) => [s.name, s]));
			expect(byName['高折扣订单（折扣 ≥ 10%）']).toMatchObject({
				failed: ['minDiscountBp'],
				reasons: ['discount below 10%']
			});
			expect(byName['非标技术要求']).toMatchObject({
				failed: ['nonStandardSpecs'],
				reasons: ['specs are standard']
			});
			expect(byName['大额订单（≥ 500 万元）']).toMatchObject({
				failed: ['minAmount'],
				reasons: ['amount below ¥5,000,000']
			});
			expect(byName['老客户常规订单自动审批（< 100 万元）'].failed).toEqual(['customerKind']);
			expect(byName['紧急交期（≤ 75 天）']).toMatchObject({
				failed: ['maxDeliveryDays'],
				reasons: ['delivery later than 75 days']
			});
			expect(res.fired?.ruleName).toBe('标准审批');
			expect(res.fired?.steps[0].roles[0].id).toBe(role.approver);
		});

		it('explains a matching auto rule passed over for a non-routine order', async () => {
			const res = await tryOrder(ctx(admin), {
				companyId: companySH,
				amountYuan: '100000',
				discountPct: 0,
				returning: true,
				overCredit: true,
				deliveryDays: 200,
				nonStandard: false
			});
			const auto = res.skipped.find((s) => s.name.startsWith('老客户'));
			expect(auto).toMatchObject({ failed: [], reasons: ['自动审批不适用于超出信用额度或非标配置的订单'] });
			expect(res.fired?.auto).toBe(false);
		});

		it('tries an unsaved draft in place of the saved rule, and reports its issues under draft.', async () => {
			const order = {
				companyId: companySH,
				amountYuan: 300_000,
				discountPct: 0,
				returning: false,
				overCredit: false,
				deliveryDays: 200,
				nonStandard: false
			};
			const draft = rule({
				name: '草稿：小额',
				maxAmountYuan: 500_000,
				priority: 1,
				steps: [step({ roleIds: [role.finance] })]
			});
			const res = await tryOrder(ctx(admin), { ...order, draft });
			expect(res.fired).toMatchObject({ ruleName: '草稿：小额', draft: true });
			expect(await scalar(db, sql`select count(*) from approval_rules where name = '草稿：小额'`)).toBe(0);
			const issues = await issuesOf(
				tryOrder(ctx(adminEn), { ...order, draft: rule({ steps: [step({ roleIds: [role.planner] })] }) })
			);
			expect(issues['draft.steps.0.roleIds']).toBe('The role does not exist or may not decide approvals');
		});

		it('reports when no rule matches, and the list warns of a missing catch-all', async () => {
			const all = (await listRules(ctx(admin))).rules;
			expect((await listRules(ctx(admin))).missingCatchAll).toEqual([]);
			const standard = all.find((r) => r.name === '标准审批')!;
			const off = await setRuleActive(ctx(admin), standard.id, { version: standard.version, active: false });
			const list = await listRules(ctx(admin));
			expect(list.missingCatchAll.map((c) => c.id)).toContain(companySH);
			const res = await tryOrder(ctx(admin), {
				companyId: companySH,
				amountYuan: 300_000,
				discountPct: 0,
				returning: false,
				overCredit: false,
				deliveryDays: 200,
				nonStandard: false
			});
			expect(res.fired).toBeNull();
			expect(res.skipped.length).toBeGreaterThan(0);
			await setRuleActive(ctx(admin), standard.id, { version: off.version, active: true });
			expect((await listRules(ctx(admin))).missingCatchAll).toEqual([]);
		});
	});
});
