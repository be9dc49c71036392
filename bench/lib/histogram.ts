/**
 * A fixed-bucket latency histogram that several processes fill and one merges: 0.05 ms buckets
 * up to 1 s, then 1 ms buckets up to 10 min. Percentiles answer the bucket's upper edge, so they
 * are exact to the bucket width. Sent between processes as its non-empty buckets only.
 */
const FINE_MS = 0.05;
const FINE_LIMIT_MS = 1000;
const FINE_BUCKETS = FINE_LIMIT_MS / FINE_MS;
const COARSE_MS = 1;
const COARSE_BUCKETS = 600_000;

export type SparseHistogram = [index: number, count: number][];

export class Histogram {
	readonly counts = new Uint32Array(FINE_BUCKETS + COARSE_BUCKETS);
	n = 0;
	max = 0;
	sum = 0;

	add(ms: number): void {
		const v = ms > 0 ? ms : 0;
		const i =
			v < FINE_LIMIT_MS
				? Math.floor(v / FINE_MS)
				: Math.min(FINE_BUCKETS + Math.floor((v - FINE_LIMIT_MS) / COARSE_MS), this.counts.length - 1);
		this.counts[i]++;
		this.n++;
		this.sum += v;
		if (v > this.max) this.max = v;
	}

	reset(): void {
		this.counts.fill(0);
		this.n = 0;
		this.max = 0;
		this.sum = 0;
	}

	toSparse(): { buckets: SparseHistogram; n: number; max: number; sum: number } {
		const buckets: SparseHistogram = [];
		for (let i = 0; i < this.counts.length; i++) if (this.counts[i]) buckets.push([i, this.counts[i]]);
		return { buckets, n: this.n, max: this.max, sum: this.sum };
	}

	merge(s: { buckets: SparseHistogram; n: number; max: number; sum: number }): void {
		for (const [i, c] of s.buckets) this.counts[i] += c;
		this.n += s.n;
		this.sum += s.sum;
		if (s.max > this.max) this.max = s.max;
	}

	/** Upper edge of the bucket holding the nearest-rank p-th percentile (p in 0..100), in ms. */
	percentile(p: number): number {
		if (this.n === 0) return NaN;
		const rank = Math.max(1, Math.ceil((p / 100) * this.n));
		let seen = 0;
		for (let i = 0; i < this.counts.length; i++) {
			seen += this.counts[i];
			if (seen >= rank) {
				const upper =
					i < FINE_BUCKETS ? (i + 1) * FINE_MS : FINE_LIMIT_MS + (i - FINE_BUCKETS + 1) * COARSE_MS;
				return Math.min(upper, this.max);
			}
		}
		return this.max;
	}

	summary(): { n: number; p50Ms: number; p95Ms: number; p99Ms: number; maxMs: number; meanMs: number } {
		const r = (x: number) => Math.round(x * 100) / 100;
		return {
			n: this.n,
			p50Ms: r(this.percentile(50)),
			p95Ms: r(this.percentile(95)),
			p99Ms: r(this.percentile(99)),
			maxMs: r(this.max),
			meanMs: this.n ? r(this.sum / this.n) : NaN
		};
	}
}

/** Wall-clock milliseconds with sub-millisecond precision (Date.now() has whole ms only). */
export const wallMs = (): number => performance.timeOrigin + performance.now();

/**
 * An event's `at` (PostgreSQL's ISO text with microseconds, e.g. "2026-11-23T14:00:00.123456+00:00")
 * as epoch milliseconds keeping the microseconds Date.parse drops.
 */
export function atMs(at: string): number {
	const base = Date.parse(at);
	const frac = /\.(\d+)/.exec(at);
	if (!frac || frac[1].length <= 3) return base;
	return base + Number(`0.${frac[1].slice(3)}`);
}
