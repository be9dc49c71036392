import { describe, expect, it } from 'vitest';
import { cycleHeatmapOption, onTimeOption, stepsOption, throughputOption, type Words } from './charts';
import type { ProductionAnalytics } from '$lib/server/services/production-analytics';

const words: Words = {
	stage: (s) => `S:${s}`,
	reason: (r) => `R:${r}`,
	day: (d) => d.slice(5),
	workOrders: 'wo',
	onTime: 'on time',
	late: 'late',
	rate: 'rate',
	avgCycle: 'avg',
	medianCycle: 'median',
	worked: 'worked',
	standard: 'std',
	hours: 'h',
	inProgress: 'ip',
	paused: 'p',
	blocked: 'b',
	ready: 'r',
	centre: (w) => w.code
};

const figures = {
	throughput: {
		days: [
			{ day: '2026-05-01', workOrders: 3, onTime: 2 },
			{ day: '2026-05-02', workOrders: 0, onTime: 0 }
		],
		steps: [
			{ day: '2026-05-02', stage: 'wiring', n: 4 },
			{ day: '2026-05-01', stage: 'car_frame', n: 1 },
			{ day: '2026-05-02', stage: 'car_frame', n: 2 }
		]
	},
	onTime: [{ week: '2026-04-27', done: 4, onTime: 3, rate: 0.75 }],
	cycle: {
		stages: [],
		byModel: [
			{ stage: 'wiring', model: 'B', n: 9, avg_hours: 5, median_hours: 5, worked_hours: 4, standard_hours: 6 },
			{ stage: 'car_frame', model: 'A', n: 30, avg_hours: 2.5, median_hours: 2, worked_hours: 2, standard_hours: 3 }
		]
	}
} as unknown as ProductionAnalytics;

type Series = { name: string; data: unknown[] }[];

describe('analytics chart options', () => {
	it('splits finished work orders into on time and late per day', () => {
		const o = throughputOption(figures, words) as { series: Series; xAxis: { data: string[] } };
		expect(o.xAxis.data).toEqual(['05-01', '05-02']);
		expect(o.series.map((s) => [s.name, s.data])).toEqual([
			['on time', [2, 0]],
			['late', [1, 0]]
		]);
	});

	it('stacks steps by stage in routing order, with the missing days as zero', () => {
		const o = stepsOption(figures, words) as { series: Series };
		expect(o.series.map((s) => [s.name, s.data])).toEqual([
			['S:car_frame', [1, 2]],
			['S:wiring', [0, 4]]
		]);
	});

	it('draws the weekly rate in percent on its own axis', () => {
		const o = onTimeOption(figures, words) as { series: (Series[number] & { yAxisIndex?: number })[] };
		expect(o.series[2]).toMatchObject({ name: 'rate', yAxisIndex: 1, data: [75] });
		expect(o.series[1].data).toEqual([1]);
	});

	it('colours the heatmap by hours, not by the count that rides along', () => {
		const o = cycleHeatmapOption(figures, words) as {
			visualMap: { dimension: number; max: number };
			series: { data: number[][] }[];
		};
		expect(o.visualMap).toMatchObject({ dimension: 2, max: 5 });
		expect(o.series[0].data).toEqual([
			[1, 1, 5, 9],
			[0, 0, 2.5, 30]
		]);
	});
});
