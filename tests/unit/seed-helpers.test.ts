import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/lib/server/seed/random';
import { Clock, addDays, daysBetween } from '../../src/lib/server/seed/time';
import { buildLine, orderAmounts } from '../../src/lib/server/seed/lines';
import { OPTIONS, yuan } from '../../src/lib/server/seed/catalog';
import { MODELS } from '../../src/lib/server/seed/models';
import { CITIES, CHINA_BOUNDS } from '../../src/lib/server/seed/cities';
import { CORES, customerName, jitter } from '../../src/lib/server/seed/names';
import type { ModelRef } from '../../src/lib/server/seed/context';

const models: ModelRef[] = MODELS.map((def, i) => ({
	id: i + 1,
	def,
	listPrice: yuan(def.listPriceYuan),
	pricePerStop: yuan(def.pricePerStopYuan),
	optionPrices: new Map(def.options.map((c) => [c, yuan(OPTIONS[c].priceYuan)])),
	finishes: def.options.filter((c) => OPTIONS[c].finish),
	features: def.options.filter((c) => !OPTIONS[c].finish)
}));

describe('seed random numbers', () => {
	it('repeats a sequence for the same seed and differs for another', () => {
		const a = new Rng(42);
		const b = new Rng(42);
		const c = new Rng(43);
		const seqA = Array.from({ length: 20 }, () => a.next());
		expect(Array.from({ length: 20 }, () => b.next())).toEqual(seqA);
		expect(Array.from({ length: 20 }, () => c.next())).not.toEqual(seqA);
		expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
	});

	it('forks independent streams that do not depend on how much the parent drew', () => {
		const a = new Rng(7);
		const b = new Rng(7);
		b.next();
		expect(a.fork('x').next()).toBe(b.fork('x').next());
		expect(a.fork('x').next()).not.toBe(a.fork('y').next());
	});

	it('keeps int, pick, weighted and sample in range', () => {
		const r = new Rng(1);
		for (let i = 0; i < 1000; i++) {
			const n = r.int(3, 5);
			expect(n).toBeGreaterThanOrEqual(3);
			expect(n).toBeLessThanOrEqual(5);
			expect(
				r.weighted([
					['a', 0],
					['b', 1]
				] as const)
			).toBe('b');
			expect(r.skewed(10)).toBeLessThan(10);
		}
		const s = r.sample([1, 2, 3, 4, 5], 3);
		expect(new Set(s).size).toBe(3);
	});
});

describe('seed clock', () => {
	it('anchors at midnight China time and adds days', () => {
		const c = new Clock('2026-03-01');
		expect(c.anchor.toISOString()).toBe('2026-02-28T16:00:00.000Z');
		expect(c.day(-1)).toBe('2026-02-28');
		expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
		expect(daysBetween('2026-01-01', '2026-03-01')).toBe(59);
		expect(c.dayOf(c.at('2026-02-10', 23.5))).toBe('2026-02-10');
		expect(c.past(c.at('2026-03-05', 9)).getTime()).toBeLessThan(c.anchor.getTime());
	});
});

describe('seed order lines', () => {
	it('stay inside the model’s specs and price from the catalog', () => {
		const r = new Rng(99);
		for (let i = 0; i < 2000; i++) {
			const l = buildLine(r, models, r.pick(['developer', 'hospital', 'government', 'other'] as const), 1);
			const d = l.model.def;
			expect(d.loadsKg).toContain(l.loadKg);
			expect(d.speeds).toContain(l.speed);
			expect(l.stops).toBeGreaterThanOrEqual(d.minStops);
			expect(l.stops).toBeLessThanOrEqual(d.maxStops);
			expect(l.travelM).toBeLessThanOrEqual(d.maxTravelM);
			expect(d.doorTypes).toContain(l.doorType);
			expect(l.doorWidthMm).toBeGreaterThanOrEqual(d.minDoorWidthMm);
			expect(l.doorWidthMm).toBeLessThanOrEqual(d.maxDoorWidthMm);
			expect(l.machineRoom ? d.machineRoom : d.machineRoomLess).toBe(true);
			for (const c of l.optionCodes) expect(d.options).toContain(c);
			const options = l.optionCodes.reduce((s, c) => s + yuan(OPTIONS[c].priceYuan), 0);
			expect(l.unitPrice).toBe(
				yuan(d.listPriceYuan) + yuan(d.pricePerStopYuan) * (l.stops - d.minStops) + options
			);
			expect(l.lineAmount).toBe(l.unitPrice * l.qty);
			expect(Number.isInteger(l.unitPrice)).toBe(true);
		}
	});

	it('add up to integer amounts: total = subtotal - discount + 13 % tax', () => {
		const r = new Rng(5);
		for (let i = 0; i < 500; i++) {
			const lines = [buildLine(r, models, 'developer', 1), buildLine(r, models, 'contractor', 2)];
			const bp = r.int(0, 36) * 50;
			const a = orderAmounts(lines, bp);
			expect(a.subtotal).toBe(lines[0].lineAmount + lines[1].lineAmount);
			expect(a.discountAmount).toBe(Math.round((a.subtotal * bp) / 10000));
			expect(a.taxAmount).toBe(Math.round(((a.subtotal - a.discountAmount) * 13) / 100));
			expect(a.totalAmount).toBe(a.subtotal - a.discountAmount + a.taxAmount);
			for (const v of Object.values(a)) expect(Number.isInteger(v)).toBe(true);
		}
	});
});

describe('seed names and places', () => {
	it('never uses a core that doubles a character, and names stay in the city', () => {
		expect(CORES.every((c) => c.length === 2 && c[0] !== c[1])).toBe(true);
		const r = new Rng(3);
		for (const city of Object.values(CITIES)) {
			const p = jitter(r, city);
			expect(p.lat).toBeGreaterThan(CHINA_BOUNDS.minLat);
			expect(p.lat).toBeLessThan(CHINA_BOUNDS.maxLat);
			expect(p.lng).toBeGreaterThan(CHINA_BOUNDS.minLng);
			expect(p.lng).toBeLessThan(CHINA_BOUNDS.maxLng);
			expect(customerName(r, 'hospital', city)).toContain(city.key);
		}
	});
});
