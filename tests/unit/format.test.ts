import { describe, expect, it } from 'vitest';
import { date, dateTime, money, number, percentBp } from '../../src/lib/format';

describe('money', () => {
	it('shows fen as yuan with the locale’s currency sign', () => {
		expect(money(123456, 'zh-CN')).toBe('¥1,234.56');
		expect(money(123456, 'en')).toBe('¥1,234.56');
	});

	it('keeps the fen exact for large amounts', () => {
		expect(money(1_234_567_890_12, 'zh-CN')).toBe('¥1,234,567,890.12');
	});

	it('shows a dash for a missing amount but 0 for zero', () => {
		expect(money(null, 'en')).toBe('—');
		expect(money(undefined, 'zh-CN')).toBe('—');
		expect(money(0, 'zh-CN')).toBe('¥0.00');
	});
});

describe('date', () => {
	it('writes a calendar date in the user’s locale order, with numbers only', () => {
		expect(date('2026-11-23', 'zh-CN')).toBe('2026/11/23');
		expect(date('2026-11-23', 'en')).toBe('11/23/2026');
	});

	it('never shifts a calendar date by a time zone', () => {
		expect(date('2026-01-01', 'en')).toBe('01/01/2026');
		expect(date('2026-12-31', 'zh-CN')).toBe('2026/12/31');
	});

	it('shows a moment on its China-time date', () => {
		// 20:00 UTC is 04:00 the next day in Shanghai.
		expect(date(new Date('2026-11-23T20:00:00Z'), 'en')).toBe('11/24/2026');
		expect(date('2026-11-23T20:00:00Z', 'zh-CN')).toBe('2026/11/24');
	});

	it('shows a dash for no date', () => {
		expect(date(null, 'en')).toBe('—');
		expect(date('', 'zh-CN')).toBe('—');
	});
});

describe('dateTime, number and percentBp', () => {
	it('show a moment in China time', () => {
		expect(dateTime('2026-11-23T01:30:00Z', 'en')).toBe('Nov 23, 2026, 9:30 AM');
		expect(dateTime(new Date('2026-11-23T01:30:00Z'), 'zh-CN')).toBe('2026年11月23日 09:30');
	});

	it('group digits and show basis points as a percentage', () => {
		expect(number(1234567, 'en')).toBe('1,234,567');
		expect(number(null, 'en')).toBe('—');
		expect(percentBp(1250, 'en')).toBe('12.5%');
		expect(percentBp(1300, 'zh-CN')).toBe('13%');
	});
});
