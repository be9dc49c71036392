import type { EChartsCoreOption } from 'echarts/core';
import { PRODUCTION_STAGES } from '$lib/domain/statuses';
import type { ProductionAnalytics } from '$lib/server/services/production-analytics';

/**
 * The analytics charts' ECharts options, built from the service's figures. Pure: the page
 * passes the words (its messages) in, so every axis, legend and tooltip is in the reader's
 * language, and tests or a wall display could draw the same.
 */
export interface Words {
	stage: (code: string) => string;
	reason: (code: string | null) => string;
	day: (day: string) => string;
	workOrders: string;
	onTime: string;
	late: string;
	rate: string;
	avgCycle: string;
	medianCycle: string;
	worked: string;
	standard: string;
	hours: string;
	inProgress: string;
	paused: string;
	blocked: string;
	ready: string;
	centre: (w: ProductionAnalytics['wip'][number]) => string;
}

export const COLORS = {
	brand: '#0b5cad',
	ok: '#1f9d55',
	warn: '#d98c00',
	bad: '#c53030',
	info: '#5b8def',
	muted: '#9aa5b1'
};
const STAGE_COLORS = ['#0b5cad', '#5b8def', '#1f9d55', '#8bc34a', '#d98c00', '#e5533d', '#8e44ad', '#607d8b'];

const grid = { left: 8, right: 16, top: 36, bottom: 8, containLabel: true };
const legend = { top: 0, type: 'scroll' as const };

/** Work orders finished per day, with those on time. */
export function throughputOption(a: ProductionAnalytics, w: Words): EChartsCoreOption {
	const days = a.throughput.days;
	return {
		color: [COLORS.ok, COLORS.warn],
		tooltip: { trigger: 'axis' },
		legend,
		grid,
		xAxis: { type: 'category', data: days.map((d) => w.day(d.day)) },
		yAxis: { type: 'value', minInterval: 1 },
		series: [
			{ name: w.onTime, type: 'bar', stack: 'done', data: days.map((d) => d.onTime) },
			{ name: w.late, type: 'bar', stack: 'done', data: days.map((d) => d.workOrders - d.onTime) }
		]
	};
}

/** Steps finished per day, stacked by stage in routing order. */
export function stepsOption(a: ProductionAnalytics, w: Words): EChartsCoreOption {
	const days = a.throughput.days.map((d) => d.day);
	const index = new Map(days.map((d, i) => [d, i]));
	const present = PRODUCTION_STAGES.filter((s) => a.throughput.steps.some((x) => x.stage === s));
	const other = [...new Set(a.throughput.steps.map((x) => x.stage))].filter((s) => !present.includes(s as never));
	return {
		color: STAGE_COLORS,
		tooltip: { trigger: 'axis' },
		legend,
		grid,
		xAxis: { type: 'category', data: days.map(w.day) },
		yAxis: { type: 'value', minInterval: 1 },
		series: [...present, ...other].map((stage) => {
			const data = days.map(() => 0);
			for (const x of a.throughput.steps) if (x.stage === stage) data[index.get(x.day)!] += x.n;
			return { name: w.stage(stage), type: 'bar', stack: 'steps', data };
		})
	};
}

/** Done work orders per week: on time and late as bars, the rate as a line on its own axis. */
export function onTimeOption(a: ProductionAnalytics, w: Words): EChartsCoreOption {
	return {
		color: [COLORS.ok, COLORS.bad, COLORS.brand],
		tooltip: { trigger: 'axis' },
		legend,
		grid,
		xAxis: { type: 'category', data: a.onTime.map((x) => w.day(x.week)) },
		yAxis: [
			{ type: 'value', minInterval: 1 },
			{ type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } }
		],
		series: [
			{ name: w.onTime, type: 'bar', stack: 'wk', data: a.onTime.map((x) => x.onTime) },
			{ name: w.late, type: 'bar', stack: 'wk', data: a.onTime.map((x) => x.done - x.onTime) },
			{
				name: w.rate,
				type: 'line',
				yAxisIndex: 1,
				data: a.onTime.map((x) => (x.rate === null ? null : Math.round(x.rate * 1000) / 10)),
				tooltip: { valueFormatter: (v: unknown) => (v === null ? '—' : `${v}%`) }
			}
		]
	};
}

/** Per stage: average and median start-to-finish hours, worked hours, and the standard. */
export function cycleOption(a: ProductionAnalytics, w: Words): EChartsCoreOption {
	const stages = [...a.cycle.stages].sort(
		(x, y) => PRODUCTION_STAGES.indexOf(x.stage as never) - PRODUCTION_STAGES.indexOf(y.stage as never)
	);
	return {
		color: [COLORS.brand, COLORS.info, COLORS.ok, COLORS.warn],
		tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v} ${w.hours}` },
		legend,
		grid,
		xAxis: { type: 'category', data: stages.map((s) => w.stage(s.stage)), axisLabel: { interval: 0, rotate: stages.length > 5 ? 30 : 0 } },
		yAxis: { type: 'value', name: w.hours },
		series: [
			{ name: w.avgCycle, type: 'bar', data: stages.map((s) => s.avg_hours) },
			{ name: w.medianCycle, type: 'bar', data: stages.map((s) => s.median_hours) },
			{ name: w.worked, type: 'bar', data: stages.map((s) => s.worked_hours) },
			{ name: w.standard, type: 'line', symbol: 'diamond', symbolSize: 10, lineStyle: { type: 'dashed' }, data: stages.map((s) => s.standard_hours) }
		]
	};
}

/** Average cycle hours as a stage × model heatmap: where a model is slow stands out. */
export function cycleHeatmapOption(a: ProductionAnalytics, w: Words): EChartsCoreOption {
	const stages = PRODUCTION_STAGES.filter((s) => a.cycle.byModel.some((x) => x.stage === s));
	const models = [...new Set(a.cycle.byModel.map((x) => x.model))].sort();
	const max = Math.max(1, ...a.cycle.byModel.map((x) => x.avg_hours));
	return {
		tooltip: {
			formatter: (p: { value: [number, number, number, number] }) =>
				`${models[p.value[1]]} · ${w.stage(stages[p.value[0]])}<br/>${w.avgCycle}: ${p.value[2]} ${w.hours} (n=${p.value[3]})`
		},
		grid: { ...grid, bottom: 56 },
		xAxis: { type: 'category', data: stages.map(w.stage), splitArea: { show: true }, axisLabel: { interval: 0, rotate: 30 } },
		yAxis: { type: 'category', data: models, splitArea: { show: true } },
		visualMap: {
			// The colour follows the hours (the third value), not the count that comes after it.
			dimension: 2,
			min: 0,
			max: Math.ceil(max),
			calculable: true,
			orient: 'horizontal',
			left: 'center',
			bottom: 0,
			itemHeight: 120,
			inRange: { color: ['#e8f0fe', '#5b8def', '#d98c00', '#c53030'] }
		},
		series: [
			{
				name: w.avgCycle,
				type: 'heatmap',
				label: {
					show: models.length * stages.length <= 120,
					formatter: (p: { value: [number, number, number] }) => String(p.value[2])
				},
				data: a.cycle.byModel
					.filter((x) => stages.includes(x.stage as never))
					.map((x) => [stages.indexOf(x.stage as never), models.indexOf(x.model), x.avg_hours, x.n])
			}
		]
	};
}

/** Steps at each work centre now, stacked by state. */
export function wipOption(a: ProductionAnalytics, w: Words): EChartsCoreOption {
	const rows = a.wip;
	const series = (name: string, pick: (x: (typeof rows)[number]) => number) => ({ name, type: 'bar', stack: 'wip', data: rows.map(pick) });
	return {
		color: [COLORS.brand, COLORS.warn, COLORS.bad, COLORS.muted],
		tooltip: { trigger: 'axis' },
		legend,
		grid,
		xAxis: { type: 'value', minInterval: 1 },
		yAxis: { type: 'category', data: rows.map(w.centre), inverse: true },
		series: [
			series(w.inProgress, (x) => x.in_progress),
			series(w.paused, (x) => x.paused),
			series(w.blocked, (x) => x.blocked),
			series(w.ready, (x) => x.ready)
		]
	};
}

/** Andons by reason in the range. */
export function problemsOption(a: ProductionAnalytics, w: Words): EChartsCoreOption {
	return {
		color: [COLORS.bad, COLORS.warn, COLORS.brand, COLORS.info, COLORS.ok, COLORS.muted],
		tooltip: { trigger: 'item', formatter: '{b}: {c} ({d}%)' },
		legend: { bottom: 0, type: 'scroll' },
		series: [
			{
				type: 'pie',
				radius: ['38%', '68%'],
				center: ['50%', '45%'],
				label: { formatter: '{b}\n{c}' },
				data: a.problems.map((p) => ({ name: w.reason(p.reason), value: p.n }))
			}
		]
	};
}
