import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar, userId } from './db';
import { createOrder, updateOrder, loadCatalog } from '../../src/lib/server/services/order-entry';
import {
	submitOrder,
	claimStep,
	decideStep,
	releaseStep,
	addComment
} from '../../src/lib/server/services/approval-actions';
import { previewRoute } from '../../src/lib/server/services/approval-route';
import { listApprovals } from '../../src/lib/server/services/approvals';
import { requestChange } from '../../src/lib/server/services/order-changes';
import { sweepApprovalDeadlines } from '../../src/lib/server/services/approval-sla';
import { priceOrder, type CatalogModel, type OrderInput } from '../../src/lib/domain/order-entry';
import { ConflictError, ForbiddenError, ValidationError } from '../../src/lib/server/errors';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';

/**
 * Order entry through approval on a real database: the one schema's reasons, the policy's
 * route, the claim race, decisions by mode, no self-approval, delegation, re-approval after a
 * change, and the response-time sweep.
 */
describe.each(drivers)('orders and approvals (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let catalog: CatalogModel[];
	let sales1: Actor;
	let approver1: Actor;
	let approver2: Actor;
	let manager1: Actor;
	let companySH: number;
	let customerId: number;
	let role: Record<string, number>;

	beforeAll(async () => {
		db = t.db;
		catalog = await loadCatalog(db);
		sales1 = await actorOf(db, 'sales1', { locale: 'zh-CN' });
		approver1 = await actorOf(db, 'approver1', { locale: 'en' });
		approver2 = await actorOf(db, 'approver2', { locale: 'en' });
		manager1 = await actorOf(db, 'manager1');
		companySH = await scalar(db, sql`select id from companies where code = 'SH'`);
		customerId = await scalar(
			db,
			sql`select id from customers where owner_id = ${sales1.id} and company_id = ${companySH} order by id limit 1`
		);
		const roles = await query<{ id: number; code: string }>(db, sql`select id, code from roles`);
		role = Object.fromEntries(roles.map((r) => [r.code, Number(r.id)]));
	});

	const p10 = () => catalog.find((c) => c.code === 'HT-P10')!;
	const delivery = () => new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10);
	const order = (over: Partial<OrderInput> = {}): OrderInput => ({
		companyId: companySH,
		customerId,
		deliveryDate: delivery(),
		discountBp: 0,
		lines: [
			{
				modelId: p10().id,
				qty: 2,
				loadKg: 1000,
				speed: 1.75,
				stops: 12,
				travelM: 34.5,
				doorType: 'center',
				doorWidthMm: 900,
				machineRoom: false,
				finish: null,
				optionCodes: []
			}
		],
		...over
	});
	const orderRow = async (id: number) =>
		(
			await query<{ status: string; version: number; approval_round: number; total_amount: number }>(
				db,
				sql`select status, version, approval_round, total_amount from orders where id = ${id}`
			)
		)[0];
	const pendingStep = async (orderId: number) =>
		(
			await query<{ id: number; version: number; role_ids: number[]; step_no: number; round: number }>(
				db,
				sql`select id, version, role_ids, step_no, round from approval_steps where order_id = ${orderId} and status = 'pending'`
			)
		)[0];
	const ctx = (actor: Actor) => ({ db, actor });
	const submitted = async (over: Partial<OrderInput>) => {
		const { id } = await createOrder(ctx(sales1), order(over));
		const r = await orderRow(id);
		await submitOrder(ctx(sales1), id, { version: r.version });
		return id;
	};

	it('saves a draft with the catalog price and a yearly number', async () => {
		const { id, number } = await createOrder(ctx(sales1), order());
		expect(number).toMatch(/^SO-SH-\d{4}-\d{6}$/);
		const expected = priceOrder({ discountBp: 0, taxRateBp: 1300, lines: order().lines as never }, catalog);
		const r = await orderRow(id);
		expect(r.status).toBe('draft');
		expect(Number(r.total_amount)).toBe(expected.totalAmount);
		expect(
			await scalar(
				db,
				sql`select count(*) from events where entity = 'order' and entity_id = ${id} and type = 'order.created'`
			)
		).toBe(1);
	});

	it("names each spec that breaks the model's rules, in the user's language", async () => {
		const bad = order({
			lines: [{ ...order().lines[0], loadKg: 700, doorWidthMm: 1500, machineRoom: true }]
		});
		for (const [actor, words] of [
			[sales1, '额定载重'],
			[{ ...sales1, locale: 'en' as const }, 'Rated load']
		] as const) {
			const e = await createOrder(ctx(actor), bad).catch((x) => x);
			expect(e).toBeInstanceOf(ValidationError);
			const paths = (e as ValidationError).issues.map((i) => i.path);
			expect(paths).toEqual(
				expect.arrayContaining(['lines.0.loadKg', 'lines.0.doorWidthMm', 'lines.0.machineRoom'])
			);
			expect((e as ValidationError).issues.find((i) => i.path === 'lines.0.loadKg')!.message).toContain(
				words
			);
		}
		const orders = await scalar(
			db,
			sql`select count(*) from orders where sales_rep_id = ${sales1.id} and created_at > now() - interval '1 minute' and discount_bp = 0 and status = 'draft'`
		);
		expect(orders).toBe(1); // only the valid draft of the test above
	});

	it('a rep cannot order for a customer they do not own', async () => {
		const other = await scalar(
			db,
			sql`select id from customers where company_id = ${companySH} and owner_id <> ${sales1.id} limit 1`
		);
		const e = await createOrder(ctx(sales1), order({ customerId: other })).catch((x) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect((e as ValidationError).issues[0].path).toBe('customerId');
	});

	it('auto-approves a routine order of a returning customer and records the rule', async () => {
		const id = await submitted({});
		const r = await orderRow(id);
		expect(r.status).toBe('approved');
		const [ev] = await query<{ payload: { auto: boolean; ruleName: string } }>(
			db,
			sql`select payload from events where entity_id = ${id} and type = 'order.approved'`
		);
		expect(ev.payload.auto).toBe(true);
		expect(ev.payload.ruleName).toContain('自动审批');
		expect(await scalar(db, sql`select count(*) from units where order_id = ${id}`)).toBe(2);
	});

	it('shows the route before submitting', async () => {
		const { id } = await createOrder(ctx(sales1), order({ discountBp: 1500 }));
		const { route } = await previewRoute(ctx(sales1), id);
		expect(route!.auto).toBe(false);
		expect(route!.steps.map((s) => s.roles.map((x) => x.id))).toEqual([[role.approver], [role.manager]]);
	});

	it('of two claims at the same moment exactly one wins; the loser sees who has it', async () => {
		const id = await submitted({ discountBp: 1500 });
		const s = await pendingStep(id);
		const results = await Promise.allSettled([
			claimStep(ctx(approver1), s.id, { version: s.version }),
			claimStep(ctx(approver2), s.id, { version: s.version })
		]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
		expect(lost.reason).toBeInstanceOf(ConflictError);
		expect((lost.reason as ConflictError).current).toMatchObject({ claimedByName: expect.any(String) });
	});

	it('walks a two-step chain: claim, approve, next role, approved with units', async () => {
		const id = await submitted({ discountBp: 1500 });
		let s = await pendingStep(id);
		const claimed = (await claimStep(ctx(approver1), s.id, { version: s.version })) as { version: number };
		// Someone else cannot decide an item approver1 holds.
		await expect(
			decideStep(ctx(approver2), s.id, { decision: 'approve', version: claimed.version })
		).rejects.toBeInstanceOf(ConflictError);
		expect(await decideStep(ctx(approver1), s.id, { decision: 'approve', version: claimed.version })).toEqual(
			{ outcome: 'approved' }
		);
		s = await pendingStep(id);
		expect(s.step_no).toBe(2);
		expect(s.role_ids.map(Number)).toEqual([role.manager]);
		await expect(
			decideStep(ctx(approver1), s.id, { decision: 'approve', version: s.version })
		).rejects.toBeInstanceOf(ForbiddenError);
		await decideStep(ctx(manager1), s.id, { decision: 'approve', version: s.version });
		expect((await orderRow(id)).status).toBe('approved');
		expect(await scalar(db, sql`select count(*) from units where order_id = ${id}`)).toBe(2);
		// Each unit gets a work order with its model's routing copied into steps, the first one ready.
		const wos = await query<{ id: number; steps: number; ready: number; routed: number; due_ok: boolean }>(
			db,
			sql`select w.id,
				(select count(*)::int from work_order_steps s where s.work_order_id = w.id) as steps,
				(select count(*)::int from work_order_steps s where s.work_order_id = w.id and s.status = 'ready' and s.seq = 1) as ready,
				(select count(*)::int from routing_stages rs where rs.routing_id = w.routing_id) as routed,
				w.due_date = o.delivery_date - 14 as due_ok
			from work_orders w join orders o on o.id = w.order_id where w.order_id = ${id} and w.scheduled_at is null`
		);
		expect(wos).toHaveLength(2);
		for (const w of wos) expect(w).toMatchObject({ steps: w.routed, ready: 1, due_ok: true });
		expect(wos[0].steps).toBeGreaterThan(0);
		expect(
			await scalar(db, sql`select count(*) from events where type = 'work_order.created' and entity_id in ${wos.map((w) => w.id)}`)
		).toBe(2);
	});

	it('a rejection needs a reason, and ends the round', async () => {
		const id = await submitted({ discountBp: 1500 });
		const s = await pendingStep(id);
		const e = await decideStep(ctx(approver1), s.id, {
			decision: 'reject',
			reason: '  ',
			version: s.version
		}).catch((x) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect((e as ValidationError).issues[0]).toMatchObject({
			path: 'reason',
			message: 'A reason is required to reject or return'
		});
		await decideStep(ctx(approver1), s.id, {
			decision: 'reject',
			reason: 'price too low',
			version: s.version
		});
		expect((await orderRow(id)).status).toBe('rejected');
		expect(
			await scalar(
				db,
				sql`select count(*) from approval_steps where order_id = ${id} and status in ('pending', 'waiting')`
			)
		).toBe(0);
	});

	it('returned for changes, edited and resubmitted: a new round', async () => {
		const id = await submitted({ discountBp: 1500 });
		const s = await pendingStep(id);
		await decideStep(ctx(approver1), s.id, {
			decision: 'return',
			reason: 'add the finish',
			version: s.version
		});
		let r = await orderRow(id);
		expect(r.status).toBe('draft');
		await updateOrder(ctx(sales1), id, { ...order({ discountBp: 1200 }), version: r.version });
		r = await orderRow(id);
		await submitOrder(ctx(sales1), id, { version: r.version });
		r = await orderRow(id);
		expect(r).toMatchObject({ status: 'in_approval', approval_round: 2 });
	});

	it('a change of discount while in approval restarts it; a stale edit is refused', async () => {
		const id = await submitted({ discountBp: 1500 });
		const before = await orderRow(id);
		const first = await pendingStep(id);
		await updateOrder(ctx(sales1), id, { ...order({ discountBp: 1800 }), version: before.version });
		const after = await orderRow(id);
		expect(after.approval_round).toBe(before.approval_round + 1);
		expect((await pendingStep(id)).id).not.toBe(first.id);
		expect(
			await scalar(db, sql`select count(*) from approval_steps where id = ${first.id} and status = 'skipped'`)
		).toBe(1);
		await expect(
			updateOrder(ctx(sales1), id, { ...order({ discountBp: 1900 }), version: before.version })
		).rejects.toBeInstanceOf(ConflictError);
	});

	it('nobody approves their own order', async () => {
		// approver1 also sells for a while: their own order waits for the approver role.
		await db.execute(
			sql`insert into user_roles (user_id, role_id) values (${approver1.id}, ${role.sales}) on conflict do nothing`
		);
		const seller = await actorOf(db, 'approver1', { locale: 'en' });
		const cust = await scalar(
			db,
			sql`select id from customers where company_id = ${companySH} order by id limit 1`
		);
		const { id } = await createOrder(ctx(seller), order({ customerId: cust, discountBp: 1500 }));
		await submitOrder(ctx(seller), id, { version: (await orderRow(id)).version });
		const s = await pendingStep(id);
		const e = await claimStep(ctx(seller), s.id, { version: s.version }).catch((x) => x);
		expect(e).toBeInstanceOf(ForbiddenError);
		expect(e.message).toBe('You cannot approve your own order');
		await db.execute(sql`delete from user_roles where user_id = ${approver1.id} and role_id = ${role.sales}`);
	});

	it("a substitute decides for an approver on leave, recorded on the approver's behalf", async () => {
		const finance1 = await actorOf(db, 'finance1');
		await db.execute(
			sql`insert into approval_delegations (from_user_id, to_user_id, role_id, starts_at, ends_at) values (${approver1.id}, ${finance1.id}, ${role.approver}, now() - interval '1 day', now() + interval '1 day')`
		);
		const id = await submitted({ discountBp: 1500 });
		const s = await pendingStep(id);
		await decideStep(ctx(finance1), s.id, { decision: 'approve', version: s.version });
		const [d] = await query<{ on_behalf_of_id: number; role_id: number }>(
			db,
			sql`select on_behalf_of_id, role_id from approval_decisions where step_id = ${s.id}`
		);
		expect(Number(d.on_behalf_of_id)).toBe(approver1.id);
		expect(Number(d.role_id)).toBe(role.approver);
		await db.execute(sql`delete from approval_delegations where to_user_id = ${finance1.id}`);
	});

	it('reminds once when overdue and escalates after twice the response time', async () => {
		const id = await submitted({ discountBp: 1500 });
		const s = await pendingStep(id);
		await claimStep(ctx(approver1), s.id, { version: s.version });
		await db.execute(
			sql`update approval_steps set activated_at = now() - interval '30 hours', due_at = now() - interval '6 hours', escalate_role_id = ${role.manager} where id = ${s.id}`
		);
		expect((await sweepApprovalDeadlines(db)).reminded).toBeGreaterThanOrEqual(1);
		const again = await sweepApprovalDeadlines(db);
		expect(
			await scalar(
				db,
				sql`select count(*) from events where entity_id = ${s.id} and type = 'approval_step.overdue'`
			)
		).toBe(1);
		expect(again.escalated).toBe(0);
		await db.execute(
			sql`update approval_steps set activated_at = now() - interval '50 hours', due_at = now() - interval '26 hours' where id = ${s.id}`
		);
		await sweepApprovalDeadlines(db);
		const [row] = await query<{
			role_ids: number[];
			claimed_by_id: number | null;
			escalated_at: Date | null;
		}>(db, sql`select role_ids, claimed_by_id, escalated_at from approval_steps where id = ${s.id}`);
		expect(row.role_ids.map(Number)).toEqual([role.approver, role.manager]);
		expect(row.claimed_by_id).toBeNull();
		expect(row.escalated_at).not.toBeNull();
		// The manager may now decide it.
		const now = await pendingStep(id);
		await decideStep(ctx(manager1), now.id, { decision: 'approve', version: now.version });
	});

	it("the queue shows a pending step under 'mine' for its role and for a substitute, and shows who claimed it", async () => {
		const id = await submitted({ discountBp: 1500 });
		const s = await pendingStep(id);
		const finance1 = await actorOf(db, 'finance1');
		const mine = async (actor: Actor) =>
			(
				await listApprovals(ctx(actor), { mine: 'true', pageSize: 200, sort: 'activatedAt', dir: 'desc' })
			).rows.map((r) => r.id);
		expect(await mine(approver1)).toContain(s.id);
		expect(await mine(finance1)).not.toContain(s.id);
		await db.execute(
			sql`insert into approval_delegations (from_user_id, to_user_id, role_id, starts_at, ends_at) values (${approver1.id}, ${finance1.id}, null, now() - interval '1 hour', now() + interval '1 hour')`
		);
		expect(await mine(finance1)).toContain(s.id);
		await db.execute(sql`delete from approval_delegations where to_user_id = ${finance1.id}`);
		await claimStep(ctx(approver2), s.id, { version: s.version });
		const page = await listApprovals(ctx(manager1), {
			q: (await query<{ number: string }>(db, sql`select number from orders where id = ${id}`))[0].number
		});
		expect(page.rows.find((r) => r.id === s.id)?.claimedByName).toBeTruthy();
	});

	/** Approves every pending step of the order with a user of the step's role. */
	async function approveAll(orderId: number) {
		const byRole: Record<number, Actor> = {
			[role.approver]: approver1,
			[role.manager]: manager1,
			[role.finance]: await actorOf(db, 'finance1')
		};
		for (let s = await pendingStep(orderId); s; s = await pendingStep(orderId))
			await decideStep(ctx(byRole[s.role_ids.map(Number).find((r) => byRole[r])!]), s.id, {
				decision: 'approve',
				version: s.version
			});
	}

	it('an approved change is applied in place after approval: more units, new total, before and after kept', async () => {
		const id = await submitted({});
		let r = await orderRow(id);
		expect(r.status).toBe('approved');
		const base = order();
		const more = { ...base, lines: [{ ...base.lines[0], qty: 3, doorWidthMm: 1000 }] };
		// Lowering a quantity or removing a line is a cancellation, not a change.
		const lower = await requestChange(ctx(sales1), id, {
			kind: 'change',
			reason: '少一台',
			version: r.version,
			order: { ...base, lines: [{ ...base.lines[0], qty: 1 }] }
		}).catch((e) => e);
		expect(lower).toBeInstanceOf(ValidationError);
		expect((lower as ValidationError).issues[0].path).toBe('lines.0.qty');
		const res = await requestChange(ctx(sales1), id, {
			kind: 'change',
			reason: '业主加一台，门宽改 1000',
			version: r.version,
			order: more
		});
		// Over the auto-approval amount now: it waits for approval and nothing changes meanwhile.
		expect(res).toMatchObject({ status: 'pending', auto: false });
		expect(await scalar(db, sql`select count(*) from units where order_id = ${id}`)).toBe(2);
		await approveAll(id);
		r = await orderRow(id);
		expect(r.status).toBe('approved');
		expect(Number(r.total_amount)).toBe(
			priceOrder({ discountBp: 0, taxRateBp: 1300, lines: more.lines as never }, catalog).totalAmount
		);
		expect(await scalar(db, sql`select count(*) from units where order_id = ${id}`)).toBe(3);
		const [c] = await query<{
			before: { lines: { qty: number }[] };
			after: { lines: { qty: number; doorWidthMm: number }[] };
			status: string;
		}>(db, sql`select before, after, status from order_changes where order_id = ${id}`);
		expect(c).toMatchObject({
			status: 'approved',
			before: { lines: [{ qty: 2 }] },
			after: { lines: [{ qty: 3, doorWidthMm: 1000 }] }
		});
	});

	it('a change not approved leaves the order as it was', async () => {
		const id = await submitted({});
		const before = await orderRow(id);
		await requestChange(ctx(sales1), id, {
			kind: 'change',
			reason: '客户要求更高折扣',
			version: before.version,
			order: order({ discountBp: 1500 })
		});
		await expect(
			requestChange(ctx(sales1), id, {
				kind: 'cancel',
				reason: '再申请一次',
				version: (await orderRow(id)).version
			})
		).rejects.toBeInstanceOf(ConflictError); // one open request at a time
		const s = await pendingStep(id);
		await decideStep(ctx(approver1), s.id, { decision: 'reject', reason: '折扣过高', version: s.version });
		const after = await orderRow(id);
		expect(after.status).toBe('approved');
		expect(Number(after.total_amount)).toBe(Number(before.total_amount));
		expect(
			await scalar(db, sql`select count(*) from order_changes where order_id = ${id} and status = 'rejected'`)
		).toBe(1);
	});

	it('an approved cancellation of an order in production cancels it and flags its work orders and jobs', async () => {
		const [o] = await query<{ id: number; version: number }>(
			db,
			sql`select o.id, o.version from orders o where o.sales_rep_id = ${sales1.id} and o.status = 'in_production'
				and exists (select 1 from work_orders w where w.order_id = o.id and w.status not in ('done', 'cancelled')) limit 1`
		);
		await requestChange(ctx(sales1), o.id, { kind: 'cancel', reason: '项目停建', version: o.version });
		expect((await orderRow(o.id)).status).toBe('in_production'); // nothing changes before approval
		await approveAll(o.id);
		expect((await orderRow(o.id)).status).toBe('cancelled');
		expect(
			await scalar(
				db,
				sql`select count(*) from work_orders where order_id = ${o.id} and status not in ('done', 'cancelled') and change_flag is null`
			)
		).toBe(0);
		expect(
			await scalar(
				db,
				sql`select count(*) from events where type = 'work_order.change_flagged' and (payload->>'orderId')::int = ${o.id}`
			)
		).toBeGreaterThan(0);
	});

	it('comments reach the thread and the stream; a release puts the item back', async () => {
		const id = await submitted({ discountBp: 1500 });
		const c = await addComment(ctx(approver1), id, { body: '请确认轿厢装潢' });
		expect(c.authorName).toBeTruthy();
		expect(
			await scalar(db, sql`select count(*) from events where type = 'order.comment' and entity_id = ${c.id}`)
		).toBe(1);
		await expect(addComment(ctx(approver1), id, { body: '' })).rejects.toBeInstanceOf(ValidationError);
		const s = await pendingStep(id);
		const claimed = (await claimStep(ctx(approver1), s.id, { version: s.version })) as { version: number };
		const released = (await releaseStep(ctx(approver1), s.id, { version: claimed.version })) as {
			claimedById: number | null;
		};
		expect(released.claimedById).toBeNull();
		expect(await userId(db, 'approver1')).toBe(approver1.id);
	});
});
