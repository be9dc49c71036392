import { describe, expect, it } from 'vitest';
import { cnyCapital } from '../../src/lib/server/print/capital';

describe('cnyCapital', () => {
	it.each([
		[0, '人民币零元整'],
		[5, '人民币伍分'],
		[50, '人民币伍角整'],
		[100, '人民币壹元整'],
		[105, '人民币壹元零伍分'],
		[150, '人民币壹元伍角整'],
		[1_000_000, '人民币壹万元整'],
		[1_005_000, '人民币壹万零伍拾元整'],
		[1_234_567, '人民币壹万贰仟叁佰肆拾伍元陆角柒分'],
		// A leading ten is written 壹拾 on financial documents.
		[1_600, '人民币壹拾陆元整'],
		[10_050_000, '人民币壹拾万零伍佰元整'],
		[100_000_100, '人民币壹佰万零壹元整'],
		[10_000_000_100, '人民币壹亿零壹元整'],
		[10_001_000_000, '人民币壹亿零壹万元整'],
		[10_010_000_000, '人民币壹亿零壹拾万元整'],
		[12_345_678_912, '人民币壹亿贰仟叁佰肆拾伍万陆仟柒佰捌拾玖元壹角贰分']
	])('%d fen reads %s', (fen, words) => {
		expect(cnyCapital(fen)).toBe(words);
	});

	it('refuses what is not an amount', () => {
		expect(() => cnyCapital(-1)).toThrow(RangeError);
		expect(() => cnyCapital(1.5)).toThrow(RangeError);
	});
});
