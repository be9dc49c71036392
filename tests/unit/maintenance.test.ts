import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { HORIZON_DAYS, horizonFrom, nextDueAfterChange, visitDays } from '../../src/lib/domain/maintenance';
import { addDays, daysBetween } from '../../src/lib/domain/days';

const TODAY = '2026-03-02';

describe('maintenance visit days', () => {
	it('generates every interval from the next due day through the horizon', () => {
		expect(horizonFrom(TODAY)).toBe('2026-03-16');
		expect(visitDays({ nextDueOn: '2026-03-05', intervalDays: 15 }, TODAY, '2026-03-16')).toEqual({
			days: ['2026-03-05'],
			nextDueOn: '2026-03-20'
		});
		expect(visitDays({ nextDueOn: '2026-03-02', intervalDays: 7 }, TODAY, '2026-03-16')).toEqual({
			days: ['2026-03-02', '2026-03-09', '2026-03-16'],
			nextDueOn: '2026-03-23'
		});
	});

	it('generates nothing when the next due day is beyond the horizon, keeping it', () => {
		expect(visitDays({ nextDueOn: '2026-03-17', intervalDays: 15 }, TODAY, '2026-03-16')).toEqual({
			days: [],
			nextDueOn: '2026-03-17'
		});
	});

	it('puts an overdue visit on today, never in the past, and goes on from there', () => {
		expect(visitDays({ nextDueOn: '2026-02-20', intervalDays: 10 }, TODAY, '2026-03-16')).toEqual({
			days: ['2026-03-02', '2026-03-12'],
			nextDueOn: '2026-03-22'
		});
	});

	it('crosses month and year ends and leap days', () => {
		expect(visitDays({ nextDueOn: '2027-12-25', intervalDays: 15 }, '2027-12-20', '2028-03-01').days).toEqual(
			['2027-12-25', '2028-01-09', '2028-01-24', '2028-02-08', '2028-02-23']
		);
		expect(visitDays({ nextDueOn: '2028-02-28', intervalDays: 1 }, '2028-02-28', '2028-03-01').days).toEqual([
			'2028-02-28',
			'2028-02-29',
			'2028-03-01'
		]);
	});

	it('refuses an interval out of 1–366 days', () => {
		expect(() => visitDays({ nextDueOn: TODAY, intervalDays: 0 }, TODAY, TODAY)).toThrow(RangeError);
		expect(() => visitDays({ nextDueOn: TODAY, intervalDays: 367 }, TODAY, TODAY)).toThrow(RangeError);
	});

	it('running again from where it stopped adds exactly the days a single longer run would', () => {
		fc.assert(
			fc.property(
				fc.integer({ min: -30, max: 30 }),
				fc.integer({ min: 1, max: 40 }),
				fc.integer({ min: 0, max: 30 }),
				(due, interval, split) => {
					const plan = { nextDueOn: addDays(TODAY, due), intervalDays: interval };
					const end = addDays(TODAY, 60);
					const whole = visitDays(plan, TODAY, end);
					const first = visitDays(plan, TODAY, addDays(TODAY, split));
					const rest = visitDays({ ...plan, nextDueOn: first.nextDueOn }, TODAY, end);
					expect([...first.days, ...rest.days]).toEqual(whole.days);
					expect(rest.nextDueOn).toBe(whole.nextDueOn);
					for (let i = 1; i < whole.days.length; i++)
						expect(daysBetween(whole.days[i - 1], whole.days[i])).toBe(interval);
					expect(whole.days.every((d) => d >= TODAY && d <= end)).toBe(true);
				}
			)
		);
	});

	it('counts a changed interval from the last visit, or keeps the day when there is none', () => {
		expect(nextDueAfterChange('2026-03-05', '2026-03-20', 7)).toBe('2026-03-12');
		expect(nextDueAfterChange(null, '2026-03-20', 7)).toBe('2026-03-20');
		expect(HORIZON_DAYS).toBe(14);
	});
});
