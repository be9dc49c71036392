/** FNV-1a: turns a label into a 32-bit number, to derive independent streams from one seed. */
export function hashString(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) {
		h ^= s.charCodeAt(i);
		h = Math.imul(h, 0x01000193);
	}
	return h >>> 0;
}

/**
 * mulberry32: small, fast and seedable, so the same seed gives the same demo data on every
 * machine. Never Math.random here.
 */
export class Rng {
	private state: number;

	constructor(readonly seed: number) {
		this.state = seed >>> 0;
	}

	/** A stream of its own for a part of the data, so changing one part does not shift the others. */
	fork(label: string): Rng {
		return new Rng(Math.imul(this.seed ^ hashString(label), 0x9e3779b1) >>> 0);
	}

	next(): number {
		let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	}

	/** An integer in [min, max], both included. */
	int(min: number, max: number): number {
		return min + Math.floor(this.next() * (max - min + 1));
	}

	float(min: number, max: number): number {
		return min + this.next() * (max - min);
	}

	chance(p: number): boolean {
		return this.next() < p;
	}

	pick<T>(list: readonly T[]): T {
		return list[Math.floor(this.next() * list.length)];
	}

	/** One of the values, with probability proportional to its weight. */
	weighted<T>(entries: readonly (readonly [T, number])[]): T {
		let total = 0;
		for (const [, w] of entries) total += w;
		let r = this.next() * total;
		for (const [v, w] of entries) {
			r -= w;
			if (r < 0) return v;
		}
		return entries[entries.length - 1][0];
	}

	/** k distinct elements, in random order. */
	sample<T>(list: readonly T[], k: number): T[] {
		const copy = [...list];
		const n = Math.min(k, copy.length);
		for (let i = 0; i < n; i++) {
			const j = i + Math.floor(this.next() * (copy.length - i));
			[copy[i], copy[j]] = [copy[j], copy[i]];
		}
		return copy.slice(0, n);
	}

	/** An index in [0, n) skewed towards 0: a few customers place most orders. */
	skewed(n: number, power = 2): number {
		return Math.min(n - 1, Math.floor(Math.pow(this.next(), power) * n));
	}

	digits(n: number): string {
		let s = '';
		for (let i = 0; i < n; i++) s += Math.floor(this.next() * 10);
		return s;
	}
}
