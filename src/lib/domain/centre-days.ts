/**
 * One work centre's day buckets for the scheduler, from today (day 0) on, in hundredths of an
 * hour. Arrays grow as far as the plan reaches. `find` jumps over full and non-working days
 * through "next free day" links compressed as they are followed (a union-find), so placing a
 * step costs about the days it actually uses, however full the weeks before it are.
 */
export class CentreDays {
	private used = new Int32Array(0);
	private cap = new Int32Array(0);
	/** next[d] === d: day d has room; otherwise a later day to look at. */
	private next = new Int32Array(0);
	private size = 0;

	constructor(
		private readonly daily: number,
		private readonly working: (day: number) => boolean,
		private readonly maxDays: number
	) {}

	private grow(day: number): void {
		if (day < this.size) return;
		const size = Math.min(this.maxDays + 1, Math.max(64, this.size * 2, day + 1));
		const used = new Int32Array(size);
		const cap = new Int32Array(size);
		const next = new Int32Array(size);
		used.set(this.used);
		cap.set(this.cap);
		next.set(this.next);
		for (let d = this.size; d < size; d++) {
			cap[d] = this.daily > 0 && this.working(d) ? this.daily : 0;
			next[d] = cap[d] > 0 ? d : d + 1;
		}
		this.used = used;
		this.cap = cap;
		this.next = next;
		this.size = size;
	}

	/** The first day from `day` on with room left, or -1 beyond the horizon. */
	find(day: number): number {
		if (!(day < this.maxDays)) return -1;
		let root = day;
		for (;;) {
			if (root >= this.maxDays) return -1;
			this.grow(root);
			const n = this.next[root];
			if (n === root) break;
			root = n;
		}
		// Path compression: every day passed now points straight at the free one.
		for (let d = day; d !== root;) {
			const n = this.next[d];
			this.next[d] = root;
			d = n;
		}
		return root;
	}

	/** Takes up to `need` from a day with room; returns what it took. */
	take(day: number, need: number): number {
		const took = Math.min(need, this.cap[day] - this.used[day]);
		this.used[day] += took;
		if (this.used[day] >= this.cap[day]) this.next[day] = day + 1;
		return took;
	}

	/** A locked plan's hours, kept even beyond capacity (the overload is reported, not hidden). */
	reserve(day: number, amount: number): void {
		if (day >= this.maxDays) return;
		this.grow(day);
		this.used[day] += amount;
		if (this.used[day] >= this.cap[day]) this.next[day] = day + 1;
	}

	/** Capacity and use in hours per day, up to the last day that has either planned. */
	hours(): { capacity: number[]; used: number[] } {
		let last = -1;
		for (let d = 0; d < this.size; d++) if (this.used[d] > 0) last = d;
		const capacity: number[] = [];
		const used: number[] = [];
		for (let d = 0; d <= last; d++) {
			capacity.push(this.cap[d] / 100);
			used.push(this.used[d] / 100);
		}
		return { capacity, used };
	}
}
