import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar } from './db';
import {
	createWorkCentre,
	listWorkCentres,
	updateWorkCentre,
	type WorkCentreView
} from '../../src/lib/server/services/work-centres';
import { createRouting, listRoutings, updateRouting, type RoutingView } from '../../src/lib/server/services/routings';
import { createOrder, loadCatalog } from '../../src/lib/server/services/order-entry';
import { submitOrder } from '../../src/lib/server/services/approval-actions';
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/server/errors';
import type { Actor } from '../../src/lib/server/authz';
import type { Db } from '../../src/lib/server/db';

/**
 * The planner's editors on a real database: validation on the exact field in both languages,
 * stale versions, the routing copied into new work orders only, one active routing per model,
 * company scope, and an event for every save.
 */
describe.each(drivers)('work centres and routings (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let planner: Actor;
	let shopfloor: Actor;
	/** scoped1 (company SZ only), given the planner's right so scope is what stops them. */
	let scopedPlanner: Actor;
	let companySH: number;
	let companySZ: number;
	const ctx = (actor: Actor) => ({ db, actor });

	beforeAll(async () => {
		db = t.db;
		planner = await actorOf(db, 'planner1', { locale: 'en' });
		shopfloor = await actorOf(db, 'shopfloor1');
		const scoped = await actorOf(db, 'scoped1');
		scopedPlanner = { ...scoped, permissions: new Set([...scoped.permissions, 'production.plan']) };
		companySH = await scalar(db, sql`select id from companies where code = 'SH'`);
		companySZ = await scalar(db, sql`select id from companies where code = 'SZ'`);
	});

	const centre = (over: Record<string, unknown> = {}) => ({
		companyId: companySH,
		code: 'qa1',
		name: '质检工位',
		nameEn: 'QA station',
		dailyCapacityHours: '16',
		shifts: 2,
		workDays: [1, 2, 3, 4, 5, 6],
		holidays: ['2026-10-01', '2026-05-01'],
		...over
	});
	const issues = (e: unknown) => Object.fromEntries((e as ValidationError).issues.map((i) => [i.path, i.message]));

	it('creates a work centre: code upper-cased, days and holidays sorted, with its event', async () => {
		const c = await createWorkCentre(ctx(planner), centre());
		expect(c).toMatchObject({
			code: 'QA1',
			dailyCapacityHours: 16,
			shifts: 2,
			workDays: [1, 2, 3, 4, 5, 6],
			holidays: ['2026-05-01', '2026-10-01'],
			version: 1
		});
		const [ev] = await query<{ topic: string; type: string; payload: WorkCentreView }>(
			db,
			sql`select topic, type, payload from events where entity = 'work_centre' and entity_id = ${c.id}`
		);
		expect(ev).toMatchObject({ topic: 'production', type: 'work_centre.created' });
		expect(ev.payload.code).toBe('QA1');
		const listed = await listWorkCentres(ctx(planner), { companyId: String(companySH) });
		expect(listed.rows.find((r) => r.id === c.id)).toBeTruthy();
		expect(listed.rows.every((r) => r.companyId === companySH)).toBe(true);
	});

	it('names each bad field of a work centre, in Chinese and in English', async () => {
		const bad = centre({
			code: 'bad code!',
			dailyCapacityHours: 500,
			shifts: 1,
			workDays: [],
			holidays: ['2026-13-01', '2026-05-01', '2026-05-01']
		});
		const en = await createWorkCentre(ctx(planner), bad).catch((e) => e);
		expect(en).toBeInstanceOf(ValidationError);
		const e1 = issues(en);
		expect(Object.keys(e1)).toEqual(expect.arrayContaining(['code', 'workDays', 'holidays.0', 'holidays.2']));
		expect(e1.code).toMatch(/capital letters/);
		expect(e1.workDays).toBe('Choose at least one work day');
		const zh = await createWorkCentre(ctx({ ...planner, locale: 'zh-CN' }), bad).catch((e) => e);
		expect(issues(zh).workDays).toBe('至少选择一个工作日');
		// Capacity against shifts is checked once both fields parse.
		const cap = await createWorkCentre(
			ctx({ ...planner, locale: 'zh-CN' }),
			centre({ code: 'QA2', dailyCapacityHours: 500, shifts: 1, holidays: ['2026-05-01', '2026-05-01'] })
		).catch((e) => e);
		expect(issues(cap).dailyCapacityHours).toContain('480');
		expect(issues(cap).dailyCapacityHours).toMatch(/[\u4e00-\u9fff]/);
		expect(issues(cap)['holidays.1']).toContain('2026-05-01');
		const taken = await createWorkCentre(ctx(planner), centre({ code: 'cf' })).catch((e) => e);
		expect(issues(taken).code).toBe('This company already has a work centre with code CF');
		const zero = await createWorkCentre(ctx(planner), centre({ code: 'QA3', dailyCapacityHours: 0, shifts: 4 })).catch(
			(e) => e
		);
		expect(Object.keys(issues(zero))).toEqual(expect.arrayContaining(['dailyCapacityHours', 'shifts']));
	});

	it('saves an edit on the version read; a stale one is a conflict carrying the centre as it is now', async () => {
		const [c] = (await listWorkCentres(ctx(planner), { companyId: String(companySH) })).rows.filter((r) => r.code === 'QA1');
		const input = { ...centre(), version: c.version, dailyCapacityHours: 24, holidays: [] };
		const saved = await updateWorkCentre(ctx(planner), c.id, input);
		expect(saved).toMatchObject({ version: c.version + 1, dailyCapacityHours: 24, holidays: [] });
		const stale = await updateWorkCentre(ctx(planner), c.id, { ...input, name: '别的' }).catch((e) => e);
		expect(stale).toBeInstanceOf(ConflictError);
		expect((stale as ConflictError).current).toMatchObject({ id: c.id, version: saved.version, name: '质检工位' });
		expect(await scalar(db, sql`select count(*) from events where entity = 'work_centre' and entity_id = ${c.id}`)).toBe(2);
	});

	it('leaves schedules already made as they are: the planner re-plans', async () => {
		const [cf] = (await listWorkCentres(ctx(planner), { companyId: String(companySH) })).rows.filter((r) => r.code === 'CF');
		const plan = () =>
			query<{ id: number; planned_date: string | null; planned_hours: unknown; scheduled_at: unknown }>(
				db,
				sql`select s.id, s.planned_date::text, s.planned_hours, w.scheduled_at::text from work_order_steps s
					join work_orders w on w.id = s.work_order_id where s.work_centre_id = ${cf.id} order by s.id`
			);
		const before = await plan();
		expect(before.length).toBeGreaterThan(0);
		await updateWorkCentre(ctx(planner), cf.id, {
			code: cf.code,
			name: cf.name,
			nameEn: cf.nameEn,
			dailyCapacityHours: cf.dailyCapacityHours / 2,
			shifts: cf.shifts,
			workDays: [1, 2, 3],
			holidays: [...cf.holidays, '2099-01-01'],
			version: cf.version
		});
		expect(await plan()).toEqual(before);
	});

	it('keeps other companies and readers out', async () => {
		const [sh] = (await listWorkCentres(ctx(planner), { companyId: String(companySH) })).rows;
		const e = await updateWorkCentre(ctx(scopedPlanner), sh.id, { ...centre(), code: sh.code, version: sh.version }).catch((x) => x);
		expect(e).toBeInstanceOf(NotFoundError);
		const created = await createWorkCentre(ctx(scopedPlanner), centre({ code: 'QA9' })).catch((x) => x);
		expect(issues(created).companyId).toBeTruthy();
		await expect(createWorkCentre(ctx(shopfloor), centre({ code: 'QA8' }))).rejects.toBeInstanceOf(ForbiddenError);
		const seen = await listWorkCentres(ctx(scopedPlanner));
		expect(seen.rows.length).toBeGreaterThan(0);
		expect(seen.rows.every((r) => r.companyId === companySZ)).toBe(true);
		expect(seen.canEdit).toBe(true);
		expect((await listWorkCentres(ctx(shopfloor))).canEdit).toBe(false);
	});

	describe('routings', () => {
		let p10: { id: number };
		let shRouting: RoutingView;
		let szCentre: number;

		beforeAll(async () => {
			const catalog = await loadCatalog(db);
			p10 = catalog.find((c) => c.code === 'HT-P10')!;
			const list = await listRoutings(ctx(planner), { companyId: companySH, modelId: p10.id });
			shRouting = list.rows.find((r) => r.active)!;
			szCentre = list.centres.find((c) => c.companyId !== companySH)?.id ?? 0;
			if (!szCentre) szCentre = await scalar(db, sql`select id from work_centres where company_id = ${companySZ} limit 1`);
		});

		const stagesOf = (r: RoutingView) =>
			r.stages.map((s) => ({ seq: s.seq, stage: s.stage, workCentreId: s.workCentreId, standardHours: s.standardHours }));

		it('lists the active routing of a model with its stages, models and centres', async () => {
			expect(shRouting.stages.map((s) => s.stage)).toEqual([
				'car_frame',
				'car_doors',
				'traction_machine',
				'control_cabinet',
				'guide_rails',
				'wiring',
				'final_test',
				'packing'
			]);
			expect(shRouting.totalHours).toBeGreaterThan(0);
			expect(shRouting.workOrders).toBeGreaterThanOrEqual(0);
		});

		it('names each bad stage field, in both languages', async () => {
			const stages = stagesOf(shRouting);
			stages[1] = { ...stages[1], seq: stages[0].seq };
			stages[2] = { ...stages[2], standardHours: 0 };
			stages[3] = { ...stages[3], standardHours: 600 };
			stages[4] = { ...stages[4], stage: 'painting' as never };
			const input = { version: shRouting.version, stages };
			const en = issues(await updateRouting(ctx(planner), shRouting.id, input).catch((e) => e));
			expect(Object.keys(en)).toEqual(
				expect.arrayContaining(['stages.1.seq', 'stages.2.standardHours', 'stages.3.standardHours', 'stages.4.stage'])
			);
			expect(en['stages.1.seq']).toBe(`Sequence number ${stages[0].seq} is used twice`);
			const zh = issues(await updateRouting(ctx({ ...planner, locale: 'zh-CN' }), shRouting.id, input).catch((e) => e));
			expect(zh['stages.1.seq']).toBe(`工序号 ${stages[0].seq} 重复`);
			expect(zh['stages.2.standardHours']).toMatch(/[\u4e00-\u9fff]/);
			const none = issues(await updateRouting(ctx(planner), shRouting.id, { version: shRouting.version, stages: [] }).catch((e) => e));
			expect(none.stages).toBe('Add at least one stage');
			// A centre of another company is refused on its field, and nothing is written.
			const foreign = stagesOf(shRouting);
			foreign[5] = { ...foreign[5], workCentreId: szCentre };
			const f = issues(await updateRouting(ctx(planner), shRouting.id, { version: shRouting.version, stages: foreign }).catch((e) => e));
			expect(f['stages.5.workCentreId']).toBe('The work centre must belong to the routing’s company');
			const now = (await listRoutings(ctx(planner), { modelId: p10.id, companyId: companySH })).rows.find((r) => r.id === shRouting.id)!;
			expect(now.version).toBe(shRouting.version);
		});

		it("an approved order's new work orders follow the edited routing; older ones keep their steps", async () => {
			const sales1 = await actorOf(db, 'sales1', { locale: 'zh-CN' });
			const customerId = await scalar(
				db,
				sql`select id from customers where owner_id = ${sales1.id} and company_id = ${companySH} order by id limit 1`
			);
			const approvedOrder = async () => {
				const { id } = await createOrder(ctx(sales1), {
					companyId: companySH,
					customerId,
					deliveryDate: new Date(Date.now() + 200 * 86_400_000).toISOString().slice(0, 10),
					discountBp: 0,
					lines: [
						{
							modelId: p10.id,
							qty: 1,
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
					]
				});
				const [{ version }] = await query<{ version: number }>(db, sql`select version from orders where id = ${id}`);
				await submitOrder(ctx(sales1), id, { version });
				const [wo] = await query<{ id: number; routing_id: number }>(
					db,
					sql`select id, routing_id from work_orders where order_id = ${id}`
				);
				expect(wo, 'the routine order is approved at once and gets a work order').toBeTruthy();
				return wo;
			};
			const steps = (woId: number) =>
				query<{ stage: string; standard_hours: string }>(
					db,
					sql`select stage, standard_hours from work_order_steps where work_order_id = ${woId} order by seq`
				);
			const before = await approvedOrder();
			expect(Number(before.routing_id)).toBe(shRouting.id);
			const old = await steps(before.id);
			expect(old).toHaveLength(8);

			// Drop packing, make final test longer.
			const edited = stagesOf(shRouting)
				.filter((s) => s.stage !== 'packing')
				.map((s) => (s.stage === 'final_test' ? { ...s, standardHours: 9.5 } : s));
			const saved = await updateRouting(ctx(planner), shRouting.id, {
				version: shRouting.version,
				name: 'HT-P10 新工艺',
				stages: edited
			});
			expect(saved).toMatchObject({ version: shRouting.version + 1, name: 'HT-P10 新工艺' });
			expect(saved.stages).toHaveLength(7);
			const stale = await updateRouting(ctx(planner), shRouting.id, { version: shRouting.version, active: false }).catch((e) => e);
			expect(stale).toBeInstanceOf(ConflictError);
			expect((stale as ConflictError).current).toMatchObject({ version: saved.version, stages: expect.any(Array) });

			const after = await approvedOrder();
			const fresh = await steps(after.id);
			expect(fresh.map((s) => s.stage)).not.toContain('packing');
			expect(Number(fresh.find((s) => s.stage === 'final_test')!.standard_hours)).toBe(9.5);
			expect(await steps(before.id)).toEqual(old);
			shRouting = saved;
		});

		it('keeps one active routing per model and company', async () => {
			const created = await createRouting(ctx(planner), {
				companyId: companySH,
				modelId: p10.id,
				name: 'HT-P10 试制路线',
				stages: [{ seq: 10, stage: 'car_frame', workCentreId: shRouting.stages[0].workCentreId, standardHours: '3.25' }]
			});
			expect(created).toMatchObject({ active: true, totalHours: 3.25 });
			const rows = (await listRoutings(ctx(planner), { companyId: companySH, modelId: p10.id })).rows;
			expect(rows.filter((r) => r.active).map((r) => r.id)).toEqual([created.id]);
			const old = rows.find((r) => r.id === shRouting.id)!;
			expect(old.version).toBe(shRouting.version + 1);
			expect(
				await scalar(db, sql`select count(*) from events where entity = 'routing' and entity_id = ${old.id} and type = 'routing.deactivated'`)
			).toBe(1);
			// Switching the old one back on switches the trial off.
			await updateRouting(ctx(planner), old.id, { version: old.version, active: true });
			const again = (await listRoutings(ctx(planner), { companyId: companySH, modelId: p10.id })).rows;
			expect(again.filter((r) => r.active).map((r) => r.id)).toEqual([old.id]);
		});

		it("refuses another company's routing, and a model that does not exist", async () => {
			const e = await updateRouting(ctx(scopedPlanner), shRouting.id, { version: 99, name: 'x' }).catch((x) => x);
			expect(e).toBeInstanceOf(NotFoundError);
			const c = await createRouting(ctx(scopedPlanner), {
				companyId: companySH,
				modelId: p10.id,
				name: 'x',
				stages: [{ seq: 1, stage: 'car_frame', workCentreId: shRouting.stages[0].workCentreId, standardHours: 1 }]
			}).catch((x) => x);
			expect(issues(c).companyId).toBeTruthy();
			const model = await createRouting(ctx(planner), {
				companyId: companySH,
				modelId: 999_999,
				name: 'x',
				stages: [{ seq: 1, stage: 'car_frame', workCentreId: shRouting.stages[0].workCentreId, standardHours: 1 }]
			}).catch((x) => x);
			expect(issues(model).modelId).toBe('No such model');
			const seen = await listRoutings(ctx(scopedPlanner));
			expect(seen.rows.every((r) => r.companyId === companySZ)).toBe(true);
			expect(seen.centres.every((r) => r.companyId === companySZ)).toBe(true);
		});
	});
});
