/** Nearest-rank percentile of an unsorted sample (p in 0..100). */
export function percentile(sample: readonly number[], p: number): number {
	if (sample.length === 0) return NaN;
	const sorted = [...sample].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export const median = (sample: readonly number[]): number => percentile(sample, 50);
export const min = (sample: readonly number[]): number => Math.min(...sample);

export interface Summary {
	n: number;
	p50Ms: number;
	p95Ms: number;
	p99Ms: number;
	maxMs: number;
}

export function summarize(sample: readonly number[]): Summary {
	const r = (x: number) => Math.round(x * 100) / 100;
	return {
		n: sample.length,
		p50Ms: r(percentile(sample, 50)),
		p95Ms: r(percentile(sample, 95)),
		p99Ms: r(percentile(sample, 99)),
		maxMs: r(Math.max(...sample))
	};
}
