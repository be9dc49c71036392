import { beforeAll, describe, expect, it } from 'vitest';
import { drivers, useDatabase } from './db';
import { makePlant, TODAY } from './analytics-fixture';
import { productionAnalytics } from '../../src/lib/server/services/production-analytics';
import { ForbiddenError, ValidationError } from '../../src/lib/server/errors';
import { addDays } from '../../src/lib/domain/days';
import type { Actor } from '../../src/lib/server/authz';
import type { Permission } from '../../src/lib/domain/permissions';

/**
 * Production analytics against a small plant with known numbers (analytics-fixture.ts) in a
 * fresh database: every figure is worked out by hand beside its assertion.
 */
describe.each(drivers)('production analytics (%s)', (driver) => {
	const t = useDatabase(driver, { seed: false });
	let ids: { a: number; b: number };
	const actor = (companyIds: number[], locale: 'zh-CN' | 'en' = 'en', perms: Permission[] = ['production.read']): Actor => ({
		id: 1,
		username: 'viewer',
		displayName: 'Viewer',
		locale,
		permissions: new Set(perms),
		scope: 'company',
		roles: [],
		companyIds,
		homeCompanyId: companyIds[0] ?? null
	});
	const run = (a: Actor, input: Record<string, string> = {}) => productionAnalytics({ db: t.db, actor: a }, input);

	beforeAll(async () => {
		ids = await makePlant(t.db);
	});

	it('sums the last 30 days of company A: throughput, on-time rate, lead time, WIP, andons', async () => {
		const r = await run(actor([ids.a]));
		expect(r.filter).toEqual({ from: addDays(TODAY, -29), to: TODAY, companyId: null });
		expect(r.summary).toEqual({
			workOrdersDone: 2, // WO1, WO2 (WO6 finished 60 days ago)
			stepsDone: 5, // WO1 ×2, WO2 ×2, WO3's car frame
			perDay: 0.1, // 2 / 30
			onTimeRate: 0.5, // WO1 on time, WO2 late
			avgCycleDays: 2.7, // (50 h + 79 h) / 2 = 64.5 h
			avgStepHours: 13.6, // (4 + 2 + 6 + 26 + 30) / 5
			wip: { inProgress: 1, paused: 0, blocked: 1, ready: 1 },
			andons: 3 // two quality, one material; the late-step alert and the old andon do not count
		});
		const day = r.throughput.days.find((d) => d.day === addDays(TODAY, -6))!;
		expect(day).toEqual({ day: addDays(TODAY, -6), workOrders: 2, onTime: 1 });
		expect(r.throughput.days).toHaveLength(30);
		expect(r.throughput.days.reduce((s, d) => s + d.workOrders, 0)).toBe(2);
		expect(r.throughput.steps).toEqual(
			expect.arrayContaining([
				{ day: addDays(TODAY, -6), stage: 'wiring', n: 2 },
				{ day: addDays(TODAY, -8), stage: 'car_frame', n: 1 },
				{ day: addDays(TODAY, -2), stage: 'car_frame', n: 1 }
			])
		);
		expect(r.onTime).toHaveLength(1);
		expect(r.onTime[0]).toMatchObject({ done: 2, onTime: 1, rate: 0.5 });
	});

	it('works out cycle times by stage and by model, with medians and worked hours', async () => {
		const r = await run(actor([ids.a]));
		const stage = (s: string) => r.cycle.stages.find((x) => x.stage === s);
		// Car frame: 4 h, 2 h, 6 h; worked 3.5, 2, 6; standard 4, 3, 4.
		expect(stage('car_frame')).toEqual({ stage: 'car_frame', n: 3, avg_hours: 4, median_hours: 4, worked_hours: 3.83, standard_hours: 3.67 });
		// Wiring: 26 h and 30 h (overnight), worked 6 and 5.
		expect(stage('wiring')).toEqual({ stage: 'wiring', n: 2, avg_hours: 28, median_hours: 28, worked_hours: 5.5, standard_hours: 6 });
		const cell = (s: string, model: string) => r.cycle.byModel.find((x) => x.stage === s && x.model === model);
		expect(cell('car_frame', 'M1')).toMatchObject({ n: 2, avg_hours: 5, median_hours: 5 });
		expect(cell('car_frame', 'M2')).toMatchObject({ n: 1, avg_hours: 2 });
		expect(cell('wiring', 'M2')).toMatchObject({ n: 1, avg_hours: 30, worked_hours: 5 });
		expect(r.cycle.byModel).toHaveLength(4);
	});

	it('counts work in progress per work centre now, and andons by reason', async () => {
		const r = await run(actor([ids.a]));
		expect(r.wip.map((w) => [w.code, w.in_progress, w.paused, w.blocked, w.ready, w.hours])).toEqual([
			['CF', 0, 0, 1, 1, 7], // WO4 ready (4 h), WO5 blocked (3 h)
			['WR', 1, 0, 0, 0, 6] // WO3's wiring
		]);
		expect(r.problems).toEqual([
			{ reason: 'quality', n: 2, open: 1, avg_close_hours: 2 },
			{ reason: 'material', n: 1, open: 1, avg_close_hours: null }
		]);
	});

	it('keeps to the granted companies and filters by one of them', async () => {
		const both = await run(actor([ids.a, ids.b]));
		expect(both.summary.workOrdersDone).toBe(3);
		expect(both.summary.onTimeRate).toBe(0.667);
		expect(both.summary.wip).toEqual({ inProgress: 1, paused: 1, blocked: 1, ready: 1 });
		expect(both.summary.andons).toBe(4);
		const onlyB = await run(actor([ids.a, ids.b]), { companyId: String(ids.b) });
		expect(onlyB.summary).toMatchObject({ workOrdersDone: 1, stepsDone: 1, onTimeRate: 1, andons: 1 });
		expect(onlyB.wip.map((w) => w.company_code)).toEqual(['TB']);
		const bOnly = await run(actor([ids.b]));
		expect(bOnly.summary.workOrdersDone).toBe(1);
		expect(bOnly.problems.map((p) => p.reason)).toEqual(['equipment']);
		// Asking for a company not granted is refused on its field, not answered with its data.
		const e = await run(actor([ids.b]), { companyId: String(ids.a) }).catch((x) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect((e as ValidationError).issues[0].path).toBe('companyId');
		const none = await run(actor([]));
		expect(none.summary.workOrdersDone).toBe(0);
		expect(none.wip).toEqual([]);
		await expect(run(actor([ids.a], 'en', ['orders.read']))).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('takes a date range, and refuses a reversed or too long one in the user’s language', async () => {
		const old = await run(actor([ids.a]), { from: addDays(TODAY, -70), to: addDays(TODAY, -50) });
		expect(old.summary).toMatchObject({ workOrdersDone: 1, stepsDone: 1, onTimeRate: 1, andons: 0 });
		expect(old.throughput.days).toHaveLength(21);
		// Only a start: the default span from there.
		const from = await run(actor([ids.a]), { from: addDays(TODAY, -100) });
		expect(from.filter.to).toBe(addDays(TODAY, -71));
		const reversed = await run(actor([ids.a], 'zh-CN'), { from: TODAY, to: addDays(TODAY, -1) }).catch((x) => x);
		expect((reversed as ValidationError).issues).toEqual([{ path: 'to', message: '结束日期不能早于开始日期' }]);
		const long = await run(actor([ids.a]), { from: addDays(TODAY, -400), to: TODAY }).catch((x) => x);
		expect((long as ValidationError).issues).toEqual([{ path: 'from', message: 'The date range can be at most 366 days' }]);
		const full = await run(actor([ids.a]), { from: addDays(TODAY, -365), to: TODAY });
		expect(full.throughput.days).toHaveLength(366);
		const bad = await run(actor([ids.a]), { from: '2026-02-30' }).catch((x) => x);
		expect((bad as ValidationError).issues[0].path).toBe('from');
	});
});
