import type { EChartsCoreOption } from 'echarts/core';
import { m } from '$lib/paraglide/messages';
import { label } from '$lib/labels';
import type { ScheduleJob } from '$lib/server/services/schedule-view';

/**
 * The ECharts options of the schedule page: the Gantt of one work centre (a custom series, one
 * bar per job from its planned start to its planned end, coloured by state) and the centre's
 * load per day against its capacity. Days are categories, so a bar covers whole days whatever
 * the browser's time zone.
 */

export type JobState = 'late' | 'urgent' | 'running' | 'blocked' | 'waiting' | 'normal';

export const STATE_COLOURS: Record<JobState, string> = {
	late: '#d64545',
	urgent: '#dd6b20',
	running: '#2b6cb0',
	blocked: '#742a2a',
	waiting: '#a0aec0',
	normal: '#5a7bb5'
};

export function jobState(j: ScheduleJob): JobState {
	if (j.status === 'blocked') return 'blocked';
	if (j.late) return 'late';
	if (j.status === 'in_progress' || j.status === 'paused') return 'running';
	if (j.priority === 'urgent') return 'urgent';
	if (j.shortage) return 'waiting';
	return 'normal';
}

/** A padlock (no emoji font is needed, on the canvas or in the page). */
export const lockIcon = (colour: string) =>
	`data:image/svg+xml;utf8,${encodeURIComponent(
		`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 12 14"><path d="M3 6.5V4a3 3 0 0 1 6 0v2.5" fill="none" stroke="${colour}" stroke-width="1.7"/><rect x="1" y="6" width="10" height="8" rx="1.5" fill="${colour}"/></svg>`
	)}`;
const LOCK_DARK = lockIcon('#1a202c');
const LOCK_LIGHT = lockIcon('#ffffff');

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const short = (day: string) => day.slice(5);

type RenderApi = {
	value(i: number): number;
	coord(v: number[]): number[];
	size(v: number[]): number[];
};
type RenderParams = { coordSys: { x: number; y: number; width: number; height: number }; dataIndex: number };

export function ganttOption(
	jobs: readonly ScheduleJob[],
	days: readonly string[],
	today: string,
	selected: number | null
): EChartsCoreOption {
	const index = new Map(days.map((d, i) => [d, i]));
	const at = (day: string | null, fallback: number) =>
		day ? (index.get(day) ?? (day < days[0] ? -1 : days.length)) : fallback;
	const bars = jobs.flatMap((j, row) => {
		if (!j.start) return [];
		const s = at(j.start, -1);
		const e = at(j.end ?? j.start, days.length);
		if (e < 0 || s >= days.length) return [];
		return [[row, Math.max(0, s), Math.min(days.length - 1, e), row]];
	});
	const dues = jobs.flatMap((j, row) => (index.has(j.dueDate) ? [[row, index.get(j.dueDate)!]] : []));
	const many = jobs.length > 18;
	return {
		animation: false,
		grid: { left: 160, right: 36, top: 16, bottom: 56 },
		tooltip: {
			trigger: 'item',
			confine: true,
			formatter: (p: { seriesIndex: number; data: number[] }) => {
				if (p.seriesIndex !== 0) return '';
				const j = jobs[p.data[3]];
				const hours = Object.values(j.hours ?? {}).reduce((a, b) => a + b, 0);
				return [
					`<b>${esc(j.number)}</b> · ${esc(j.modelCode)} · ${esc(j.serialNo)}`,
					`${esc(label('wstep', j.status))} · ${short(j.start ?? '')} → ${short(j.end ?? '')} · ${hours.toFixed(2)} h`,
					`${esc(m.sched_due())} ${j.dueDate} · ${esc(m.sched_projected())} ${j.projectedFinish ?? '—'}`,
					[
						j.late && m.sched_flag_late(),
						j.locked && m.sched_flag_locked(),
						j.shortage && m.sched_flag_shortage(),
						j.priority === 'urgent' && label('priority', 'urgent')
					]
						.filter(Boolean)
						.map((s) => esc(String(s)))
						.join(' · ')
				]
					.filter(Boolean)
					.join('<br>');
			}
		},
		xAxis: {
			type: 'category',
			data: days.map(short),
			axisLabel: { interval: days.length > 31 ? 'auto' : 0, rotate: days.length > 21 ? 45 : 0 },
			splitLine: { show: true, lineStyle: { color: '#edf1f5' } }
		},
		yAxis: {
			type: 'category',
			inverse: true,
			data: jobs.map((j) => j.number),
			axisLabel: {
				formatter: (v: string, i: number) =>
					`${jobs[i]?.locked ? '{lock|} ' : ''}${jobs[i]?.late ? `{late|${v}}` : v}`,
				rich: {
					late: { color: STATE_COLOURS.late, fontWeight: 'bold' },
					lock: { backgroundColor: { image: LOCK_DARK }, width: 9, height: 11 }
				}
			}
		},
		dataZoom: [
			{ type: 'inside', xAxisIndex: 0, filterMode: 'none' },
			{ type: 'slider', xAxisIndex: 0, height: 18, bottom: 8, filterMode: 'none' },
			...(many
				? [
						{
							type: 'slider',
							yAxisIndex: 0,
							width: 16,
							right: 6,
							startValue: 0,
							endValue: 17,
							filterMode: 'none'
						}
					]
				: [])
		],
		series: [
			{
				type: 'custom',
				name: 'jobs',
				encode: { x: [1, 2], y: 0 },
				data: bars,
				renderItem: (params: RenderParams, api: RenderApi) => {
					const j = jobs[api.value(3)];
					const a = api.coord([api.value(1), api.value(0)]);
					const b = api.coord([api.value(2), api.value(0)]);
					const w = api.size([1, 0])[0];
					const h = Math.min(18, api.size([0, 1])[1] * 0.62);
					const cs = params.coordSys;
					const x0 = Math.max(cs.x, a[0] - w / 2 + 1);
					const x1 = Math.min(cs.x + cs.width, b[0] + w / 2 - 1);
					if (x1 <= x0 || a[1] < cs.y || a[1] > cs.y + cs.height) return null;
					const state = jobState(j);
					const chosen = j.stepId === selected;
					return {
						type: 'group',
						children: [
							{
								type: 'rect',
								shape: { x: x0, y: a[1] - h / 2, width: x1 - x0, height: h, r: 3 },
								style: {
									fill: STATE_COLOURS[state],
									stroke: chosen ? '#111' : j.locked ? '#1a202c' : 'transparent',
									lineWidth: chosen ? 2.5 : j.locked ? 1.5 : 0,
									lineDash: j.shortage && !chosen ? [4, 3] : undefined
								}
							},
							...(j.locked
								? [
										{
											type: 'image',
											silent: true,
											style: { image: LOCK_LIGHT, x: x0 + 3, y: a[1] - 6, width: 10, height: 12 }
										}
									]
								: []),
							...(x1 - x0 > 70
								? [
										{
											type: 'text',
											silent: true,
											style: {
												x: x0 + (j.locked ? 16 : 4),
												y: a[1],
												text: j.number.slice(-6),
												fill: '#fff',
												font: '11px sans-serif',
												verticalAlign: 'middle'
											}
										}
									]
								: [])
						]
					};
				},
				markLine: index.has(today)
					? {
							silent: true,
							symbol: 'none',
							lineStyle: { color: '#2f855a', type: 'solid', width: 2 },
							label: { formatter: m.sched_today(), position: 'start' },
							data: [{ xAxis: short(today) }]
						}
					: undefined
			},
			{
				type: 'custom',
				name: 'due',
				silent: true,
				data: dues,
				renderItem: (params: RenderParams, api: RenderApi) => {
					const p = api.coord([api.value(1), api.value(0)]);
					const w = api.size([1, 0])[0];
					const h = api.size([0, 1])[1] * 0.8;
					const x = p[0] + w / 2 - 1;
					const cs = params.coordSys;
					if (p[1] < cs.y || p[1] > cs.y + cs.height) return null;
					return {
						type: 'rect',
						shape: { x, y: p[1] - h / 2, width: 3, height: h },
						style: { fill: STATE_COLOURS.late }
					};
				}
			}
		]
	};
}

export function loadOption(
	load: readonly { day: string; capacity: number; hours: number }[]
): EChartsCoreOption {
	return {
		animation: false,
		// The same left and right as the Gantt's grid, so the days line up.
		grid: { left: 160, right: 36, top: 24, bottom: 8 },
		tooltip: { trigger: 'axis' },
		legend: { right: 0, top: 0, itemHeight: 8, textStyle: { fontSize: 11 } },
		xAxis: { type: 'category', data: load.map((l) => short(l.day)), axisLabel: { show: false } },
		yAxis: { type: 'value', name: 'h', splitNumber: 3 },
		series: [
			{
				type: 'bar',
				name: m.sched_load_planned(),
				data: load.map((l) => ({
					value: l.hours,
					itemStyle: { color: l.hours > l.capacity + 1e-6 ? STATE_COLOURS.late : '#6b8ccf' }
				})),
				barCategoryGap: '25%'
			},
			{
				type: 'line',
				name: m.sched_load_capacity(),
				step: 'middle',
				symbol: 'none',
				lineStyle: { color: '#2f855a', width: 2 },
				data: load.map((l) => l.capacity)
			}
		]
	};
}
