import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	compareWorkOrders,
	schedule,
	type CentreCalendar,
	type ScheduleResult,
	type StepInput,
	type WorkOrderInput
} from '../../src/lib/domain/scheduler';
import { addDays, dayNumber, isoWeekday } from '../../src/lib/domain/days';
import type { StepStatus } from '../../src/lib/domain/statuses';

// 2026-03-02 is a Monday.
const TODAY = '2026-03-02';
const ALL_WEEK = [1, 2, 3, 4, 5, 6, 7];

const centre = (
	id: number,
	dailyCapacityHours: number,
	over: Partial<CentreCalendar> = {}
): CentreCalendar => ({
	id,
	dailyCapacityHours,
	workDays: ALL_WEEK,
	holidays: [],
	...over
});

let stepId = 1000;
const step = (workCentreId: number, standardHours: number, over: Partial<StepInput> = {}): StepInput => ({
	id: stepId++,
	seq: 0,
	workCentreId,
	standardHours,
	status: 'pending',
	workedSeconds: 0,
	...over
});

const wo = (id: number, steps: StepInput[], over: Partial<WorkOrderInput> = {}): WorkOrderInput => ({
	id,
	priority: 'normal',
	dueDate: '2026-12-31',
	planRank: null,
	notBefore: null,
	locked: false,
	shortage: false,
	materialReadyOn: null,
	steps: steps.map((s, i) => ({ ...s, seq: s.seq || i + 1 })),
	...over
});

const planOf = (r: ScheduleResult, id: number) => r.workOrders.find((w) => w.id === id)!;

/** Hours per centre and day over every step plan of the result (days from today only). */
function usage(r: ScheduleResult, today = TODAY): Map<string, number> {
	const m = new Map<string, number>();
	for (const w of r.workOrders)
		for (const s of w.steps)
			for (const [day, h] of Object.entries(s.hours))
				if (day >= today) m.set(`${s.workCentreId}|${day}`, (m.get(`${s.workCentreId}|${day}`) ?? 0) + h);
	return m;
}

describe('schedule: placing steps', () => {
	it('chains the steps of a work order through their centres, spreading a long step over days', () => {
		const r = schedule({
			today: TODAY,
			centres: [centre(1, 8), centre(2, 8)],
			workOrders: [wo(1, [step(1, 12), step(2, 4)])]
		});
		const w = planOf(r, 1);
		expect(w.steps[0].hours).toEqual({ '2026-03-02': 8, '2026-03-03': 4 });
		// The next step may start the day its predecessor finishes, at its own centre.
		expect(w.steps[1].hours).toEqual({ '2026-03-03': 4 });
		expect(w.plannedStart).toBe('2026-03-02');
		expect(w.projectedFinish).toBe('2026-03-03');
		expect(w.late).toBe(false);
	});

	it('skips non-working days and holidays', () => {
		const r = schedule({
			today: '2026-03-06', // a Friday
			centres: [centre(1, 8, { workDays: [1, 2, 3, 4, 5], holidays: ['2026-03-09'] })],
			workOrders: [wo(1, [step(1, 20)])]
		});
		expect(planOf(r, 1).steps[0].hours).toEqual({ '2026-03-06': 8, '2026-03-10': 8, '2026-03-11': 4 });
	});

	it('gives the capacity to urgent, then earlier-due work first, and the manual rank before both', () => {
		const r = schedule({
			today: TODAY,
			centres: [centre(1, 8)],
			workOrders: [
				wo(1, [step(1, 8)], { dueDate: '2026-04-01' }),
				wo(2, [step(1, 8)], { dueDate: '2026-03-20' }),
				wo(3, [step(1, 8)], { dueDate: '2026-05-01', priority: 'urgent' }),
				wo(4, [step(1, 8)], { dueDate: '2026-06-01', planRank: 5 })
			]
		});
		expect(r.sequence).toEqual([4, 3, 2, 1]);
		expect([4, 3, 2, 1].map((id) => planOf(r, id).projectedFinish)).toEqual([
			'2026-03-02',
			'2026-03-03',
			'2026-03-04',
			'2026-03-05'
		]);
	});

	it('computes lateness from the projected finish against the due date', () => {
		const r = schedule({
			today: TODAY,
			centres: [centre(1, 8)],
			workOrders: [
				wo(1, [step(1, 16)], { dueDate: '2026-03-03' }),
				wo(2, [step(1, 16)], { dueDate: '2026-03-04' })
			]
		});
		expect(planOf(r, 1)).toMatchObject({ projectedFinish: '2026-03-03', late: false });
		expect(planOf(r, 2)).toMatchObject({ projectedFinish: '2026-03-05', late: true });
	});

	it('keeps a locked job exactly where it is and plans the others around it', () => {
		const locked = step(1, 8, { plannedHours: { '2026-03-02': 8 } });
		const r = schedule({
			today: TODAY,
			centres: [centre(1, 8)],
			workOrders: [
				wo(1, [step(1, 8)], { priority: 'urgent' }),
				wo(2, [locked], { locked: true, dueDate: '2027-01-01' })
			]
		});
		expect(planOf(r, 2).steps[0].hours).toEqual({ '2026-03-02': 8 });
		expect(planOf(r, 1).steps[0].hours).toEqual({ '2026-03-03': 8 });
	});

	it('places a locked step whose plan lies in the past again, from today', () => {
		const stale = step(1, 4, { plannedHours: { '2026-02-20': 4 } });
		const r = schedule({
			today: TODAY,
			centres: [centre(1, 8)],
			workOrders: [wo(1, [stale], { locked: true })]
		});
		expect(planOf(r, 1).steps[0].hours).toEqual({ '2026-03-02': 4 });
	});

	it('needs only the remaining hours of a running step, from today, before new work, keeping its past plan', () => {
		const running = step(1, 10, {
			status: 'in_progress',
			workedSeconds: 6 * 3600,
			plannedHours: { '2026-02-27': 8, '2026-03-02': 2 }
		});
		const r = schedule({
			today: TODAY,
			centres: [centre(1, 8)],
			workOrders: [wo(1, [step(1, 8)], { priority: 'urgent', planRank: 1 }), wo(2, [running])]
		});
		expect(planOf(r, 2).steps[0].hours).toEqual({ '2026-02-27': 8, '2026-03-02': 4 });
		expect(planOf(r, 1).steps[0].hours).toEqual({ '2026-03-02': 4, '2026-03-03': 4 });
		// Started before today: the planned start is the day it started, and it is not placed before it.
		expect(planOf(r, 2).steps[0].start).toBe('2026-02-27');
	});

	it('gives a step past its standard hours a little time yet, and takes nothing for done steps', () => {
		const r = schedule({
			today: TODAY,
			centres: [centre(1, 8), centre(2, 8)],
			workOrders: [
				wo(1, [
					step(1, 4, { status: 'done', workedSeconds: 4 * 3600 }),
					step(2, 2, { status: 'paused', workedSeconds: 5 * 3600 })
				])
			]
		});
		const w = planOf(r, 1);
		expect(w.steps).toHaveLength(1);
		expect(w.steps[0].hours).toEqual({ '2026-03-02': 0.25 });
	});

	it('waits for material: an expected day, or a default lead time when unknown', () => {
		const r = schedule({
			today: TODAY,
			centres: [centre(1, 8)],
			shortageLeadDays: 10,
			workOrders: [
				wo(1, [step(1, 4)], { shortage: true, materialReadyOn: '2026-03-05', priority: 'urgent' }),
				wo(2, [step(1, 4)], { shortage: true, materialReadyOn: null, priority: 'urgent' }),
				wo(3, [step(1, 4)], { notBefore: '2026-03-04' }),
				wo(4, [step(1, 4)])
			]
		});
		expect(planOf(r, 1).plannedStart).toBe('2026-03-05');
		expect(planOf(r, 2).plannedStart).toBe('2026-03-12');
		expect(planOf(r, 3).plannedStart).toBe('2026-03-04');
		// Later work takes the days the waiting jobs leave free.
		expect(planOf(r, 4).plannedStart).toBe(TODAY);
	});

	it('marks a job unplaced when a centre never works, instead of looping or guessing', () => {
		const r = schedule({
			today: TODAY,
			centres: [centre(1, 8, { workDays: [] })],
			workOrders: [wo(1, [step(1, 4)])],
			maxDays: 60
		});
		expect(planOf(r, 1)).toMatchObject({ unplaced: true, projectedFinish: null, late: false });
	});

	it('reports a locked plan beyond capacity as an overload', () => {
		const r = schedule({
			today: TODAY,
			centres: [centre(1, 4)],
			workOrders: [wo(1, [step(1, 6, { plannedHours: { '2026-03-03': 6 } })], { locked: true })]
		});
		expect(r.overloaded).toEqual([{ centreId: 1, day: '2026-03-03', hours: 2 }]);
	});
});

// ---- Properties over random plants and order books ------------------------------------------

const STATUSES: StepStatus[] = ['pending', 'ready', 'in_progress', 'paused', 'blocked', 'done'];

const plant = fc.record({
	centres: fc.array(
		fc.record({
			cap: fc.integer({ min: 1, max: 40 }).map((n) => n / 2),
			workDays: fc.subarray(ALL_WEEK, { minLength: 1 }),
			holidays: fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 6 })
		}),
		{ minLength: 1, maxLength: 4 }
	),
	orders: fc.array(
		fc.record({
			steps: fc.array(
				fc.record({
					centre: fc.nat(),
					hours: fc.integer({ min: 1, max: 120 }).map((n) => n / 4),
					status: fc.constantFrom(...STATUSES),
					workedQuarterHours: fc.nat({ max: 80 })
				}),
				{ minLength: 1, maxLength: 8 }
			),
			urgent: fc.boolean(),
			due: fc.integer({ min: -5, max: 60 }),
			rank: fc.option(fc.integer({ min: 1, max: 20 }), { nil: null }),
			notBefore: fc.option(fc.integer({ min: -3, max: 20 }), { nil: null }),
			material: fc.constantFrom('none', 'dated', 'unknown'),
			ready: fc.integer({ min: 0, max: 15 })
		}),
		{ minLength: 1, maxLength: 25 }
	)
});

type Plant = typeof plant extends fc.Arbitrary<infer T> ? T : never;

function build(p: Plant): { centres: CentreCalendar[]; workOrders: WorkOrderInput[] } {
	const centres = p.centres.map((c, i) =>
		centre(i + 1, c.cap, { workDays: c.workDays, holidays: c.holidays.map((d) => addDays(TODAY, d)) })
	);
	let sid = 1;
	const workOrders = p.orders.map((o, i) =>
		wo(
			i + 1,
			o.steps.map((s, j) => ({
				id: sid++,
				seq: j + 1,
				workCentreId: (s.centre % centres.length) + 1,
				standardHours: s.hours,
				status: s.status,
				workedSeconds: s.status === 'pending' || s.status === 'ready' ? 0 : s.workedQuarterHours * 900
			})),
			{
				priority: o.urgent ? 'urgent' : 'normal',
				dueDate: addDays(TODAY, o.due),
				planRank: o.rank,
				notBefore: o.notBefore === null ? null : addDays(TODAY, o.notBefore),
				shortage: o.material !== 'none',
				materialReadyOn: o.material === 'dated' ? addDays(TODAY, o.ready) : null
			}
		)
	);
	return { centres, workOrders };
}

describe('schedule: properties', () => {
	it('never plans a centre above its capacity, nor on a day it does not work', () => {
		fc.assert(
			fc.property(plant, (p) => {
				const input = build(p);
				const r = schedule({ today: TODAY, ...input });
				for (const [key, hours] of usage(r)) {
					const [id, day] = key.split('|');
					const c = input.centres[Number(id) - 1];
					const works = c.workDays.includes(isoWeekday(dayNumber(day))) && !c.holidays.includes(day);
					expect(works).toBe(true);
					expect(hours).toBeLessThanOrEqual(c.dailyCapacityHours + 1e-9);
				}
			}),
			{ numRuns: 200 }
		);
	});

	it('places every open step in full, after its predecessor, not before the job may start, and nothing for done steps', () => {
		fc.assert(
			fc.property(plant, (p) => {
				const input = build(p);
				const r = schedule({ today: TODAY, shortageLeadDays: 7, ...input });
				for (const w of input.workOrders) {
					const plan = planOf(r, w.id);
					// Beyond the horizon (a tiny centre working one day a week): no finish is claimed.
					if (plan.unplaced) {
						expect(plan.projectedFinish).toBeNull();
						continue;
					}
					const open = w.steps.filter((s) => s.status !== 'done');
					expect(plan.steps.map((s) => s.id)).toEqual(open.map((s) => s.id));
					const material = w.shortage ? (w.materialReadyOn ?? addDays(TODAY, 7)) : TODAY;
					const earliest = [TODAY, w.notBefore ?? TODAY, material].sort().at(-1)!;
					let prevEnd = TODAY;
					plan.steps.forEach((s, i) => {
						const input = open[i];
						const total = Object.values(s.hours).reduce((a, b) => a + b, 0);
						const worked = Math.floor(input.workedSeconds / 36) / 100;
						const expected =
							input.status === 'pending' || input.status === 'ready'
								? input.standardHours
								: Math.max(input.standardHours - worked, Math.min(input.standardHours, 0.25));
						expect(total).toBeCloseTo(expected, 6);
						// A running step continues from today; everything else waits for its turn.
						if (input.status !== 'in_progress') {
							expect(s.start! >= prevEnd).toBe(true);
							expect(s.start! >= earliest).toBe(true);
						}
						prevEnd = s.end!;
					});
					const ends = plan.steps.map((s) => s.end!).sort();
					expect(plan.projectedFinish).toBe(ends.at(-1) ?? TODAY);
					expect(plan.late).toBe(plan.projectedFinish! > w.dueDate);
				}
			}),
			{ numRuns: 200 }
		);
	});

	it('keeps locked plans unchanged, whatever else is in the book', () => {
		fc.assert(
			fc.property(plant, fc.integer({ min: 0, max: 24 }), (p, which) => {
				const input = build(p);
				// First plan freely, then lock one job where it landed and add urgent work.
				const first = schedule({ today: TODAY, ...input });
				const target = input.workOrders[which % input.workOrders.length];
				const landed = planOf(first, target.id);
				if (landed.unplaced) return;
				const hours = new Map(landed.steps.map((s) => [s.id, s.hours]));
				const locked: WorkOrderInput = {
					...target,
					locked: true,
					steps: target.steps.map((s) => ({ ...s, plannedHours: hours.get(s.id) ?? null }))
				};
				const rush = wo(999, [step(1, 50), step(1, 30)], { priority: 'urgent', planRank: 0 });
				const again = schedule({
					today: TODAY,
					centres: input.centres,
					workOrders: [rush, ...input.workOrders.map((w) => (w.id === target.id ? locked : w))]
				});
				for (const s of planOf(again, target.id).steps) expect(s.hours).toEqual(hours.get(s.id));
			}),
			{ numRuns: 150 }
		);
	});

	it('finishes the higher-priority of two jobs with the same route and start no later than the other', () => {
		fc.assert(
			fc.property(plant, (p) => {
				const input = build(p);
				// Fresh jobs only: running and locked work is placed out of turn on purpose.
				const fresh = input.workOrders.map((w) => ({
					...w,
					steps: w.steps.map((s) => ({ ...s, status: 'pending' as const, workedSeconds: 0 })),
					shortage: false,
					notBefore: null
				}));
				const route = fresh[0].steps;
				const same = fresh.map((w) => ({ ...w, steps: route.map((s) => ({ ...s, id: s.id + w.id * 100 })) }));
				const r = schedule({ today: TODAY, centres: input.centres, workOrders: same });
				const ordered = [...same].sort(compareWorkOrders).map((w) => planOf(r, w.id));
				for (let i = 1; i < ordered.length; i++) {
					const [a, b] = [ordered[i - 1], ordered[i]];
					// Once one cannot be placed, none after it can; otherwise finishes keep the order.
					if (a.unplaced) expect(b.unplaced).toBe(true);
					else if (!b.unplaced) expect(a.projectedFinish! <= b.projectedFinish!).toBe(true);
				}
			}),
			{ numRuns: 200 }
		);
	});
});
