import { describe, expect, it } from 'vitest';
import type { CatalogModel } from '$lib/domain/order-entry';
import { OrderDraft } from './draft.svelte';
import { Issues, judge } from './issues.svelte';

const model: CatalogModel = {
	id: 7,
	code: 'HT-P10',
	name: '乘客电梯 P10',
	nameEn: 'Passenger P10',
	kind: 'passenger',
	loadsKg: [630, 800, 1000],
	speeds: [1, 1.5],
	minStops: 2,
	maxStops: 24,
	maxTravelM: 75,
	doorTypes: ['center', 'side'],
	minDoorWidthMm: 800,
	maxDoorWidthMm: 1100,
	machineRoom: false,
	machineRoomLess: true,
	listPrice: 26_800_000,
	pricePerStop: 600_000,
	active: true,
	options: [{ code: 'FIN-MIRROR', name: '镜面', nameEn: 'Mirror', price: 800_000 }]
};
const opts = { locale: 'en' as const, today: '2026-01-10' };

describe('order entry draft', () => {
	it('a chosen model fills values the model allows: the line has nothing to complain about', () => {
		const d = new OrderDraft({ companyId: 1, deliveryDate: '2026-04-10' });
		d.addLine(model);
		expect(d.lines[0]).toMatchObject({
			modelId: 7,
			loadKg: '630',
			speed: '1',
			doorType: 'center',
			doorWidthMm: '800',
			machineRoom: false
		});
		const issues = judge(d.toInput(), [model], opts);
		expect(Object.keys(issues).filter((p) => p.startsWith('lines.'))).toEqual([]);
		// Only the missing customer is left.
		expect(Object.keys(issues)).toEqual(['customerId']);
	});

	it("judges a typed load against the model's values before the rest of the order is filled in", () => {
		const d = new OrderDraft({ companyId: 1, deliveryDate: '' });
		d.addLine(model);
		d.lines[0].loadKg = '999';
		const issues = judge(d.toInput(), [model], opts);
		expect(issues['lines.0.loadKg']).toMatch(/630, 800, 1000/);
		expect(issues['deliveryDate']).toBeDefined();
	});

	it('percentages become basis points; a line without a model asks for one', () => {
		const d = new OrderDraft({ companyId: 1, deliveryDate: '2026-04-10' });
		d.discountPct = '2.5';
		d.addLine();
		const input = d.toInput();
		expect(input.discountBp).toBe(250);
		expect(input.taxRateBp).toBe(1300);
		expect(judge(input, [model], opts)['lines.0.modelId']).toBe('Choose an active model from the catalog');
	});

	it("shows a line's reasons once any of its fields is touched, and drops the server's when the field is edited", () => {
		const i = new Issues();
		i.client = { 'lines.0.travelM': 'too high', deliveryDate: 'past' };
		i.server = { customerId: 'unknown customer' };
		expect(i.of('lines.0.travelM')).toBeUndefined();
		expect(i.of('customerId')).toBe('unknown customer');
		i.touch('lines.0.stops');
		expect(i.of('lines.0.travelM')).toBe('too high');
		expect(i.of('deliveryDate')).toBeUndefined();
		i.touch('customerId');
		expect(i.of('customerId')).toBeUndefined();
		i.showAll = true;
		expect(i.of('deliveryDate')).toBe('past');
	});
});
