/**
 * Resequencing by the planner: a work order's `planRank` is its manual position (lower first,
 * ranked before unranked; see compareWorkOrders). Putting a job right after another gives it a
 * rank between its new neighbours' ranks; the jobs ahead of it that had no rank get ranks in
 * their present order (so they stay ahead); when two neighbours leave no room, all ranked jobs
 * are numbered afresh with gaps.
 */
export const RANK_GAP = 1024;
const LIMIT = 1_000_000_000;

export type Placement = { after: number | null } | { before: number };

/**
 * `order`: the company's open work orders' ids in scheduling priority order; `ranks`: their
 * ranks now. Returns the ranks to change (including the moved job's). Throws a RangeError when
 * a named neighbour is not in `order`.
 */
export function placeInSequence(
	order: readonly number[],
	ranks: ReadonlyMap<number, number | null>,
	id: number,
	placement: Placement
): Map<number, number> {
	const rest = order.filter((x) => x !== id);
	let k: number;
	if ('before' in placement) {
		k = rest.indexOf(placement.before);
		if (k < 0) throw new RangeError(`work order ${placement.before} is not in the sequence`);
	} else if (placement.after === null) k = 0;
	else {
		k = rest.indexOf(placement.after) + 1;
		if (k === 0) throw new RangeError(`work order ${placement.after} is not in the sequence`);
	}
	const rank = (x: number) => ranks.get(x) ?? null;
	const changes = new Map<number, number>();
	// The jobs ahead keep their places: any without a rank gets one after the last ranked.
	let lo: number | null = null;
	for (let i = 0; i < k; i++) {
		const r = rank(rest[i]);
		if (r !== null && (lo === null || r > lo)) lo = r;
		else if (r === null) {
			lo = lo === null ? RANK_GAP : lo + RANK_GAP;
			changes.set(rest[i], lo);
		}
	}
	const hi = k < rest.length ? rank(rest[k]) : null;
	let mine: number | null = null;
	if (lo === null && hi === null) mine = RANK_GAP;
	else if (lo === null) mine = hi! - RANK_GAP;
	else if (hi === null) mine = lo + RANK_GAP;
	else if (hi - lo >= 2) mine = Math.floor((lo + hi) / 2);
	if (mine !== null && Math.abs(mine) < LIMIT && (lo === null || lo < LIMIT)) {
		changes.set(id, mine);
		return changes;
	}
	// No room between the neighbours: number every ranked job afresh in the new order.
	const renumbered = new Map<number, number>();
	let n = 0;
	[...rest.slice(0, k), id, ...rest.slice(k)].forEach((x, j) => {
		// Jobs after the moved one that had no rank keep none.
		if (j > k && rank(x) === null) return;
		n += RANK_GAP;
		if (x === id || rank(x) !== n) renumbered.set(x, n);
	});
	return renumbered;
}
