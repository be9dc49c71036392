import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { placeInSequence, RANK_GAP } from '../../src/lib/domain/plan-rank';
import { compareWorkOrders } from '../../src/lib/domain/scheduler';

describe('resequencing ranks', () => {
	/** The order the scheduler would use with the given ranks (everything else equal). */
	const ordered = (ids: number[], ranks: Map<number, number | null>) =>
		ids
			.map((id) => ({
				id,
				planRank: ranks.get(id) ?? null,
				priority: 'normal' as const,
				dueDate: '2026-04-01'
			}))
			.sort(compareWorkOrders)
			.map((w) => w.id);
	const apply = (ranks: Map<number, number | null>, changes: Map<number, number>) =>
		new Map([...ranks, ...changes]);

	it('puts a job right after another, ranking the unranked jobs ahead of it', () => {
		const ranks = new Map<number, number | null>([1, 2, 3, 4, 5].map((id) => [id, null]));
		const order = ordered([1, 2, 3, 4, 5], ranks);
		const changes = placeInSequence(order, ranks, 5, { after: 2 });
		expect(ordered([1, 2, 3, 4, 5], apply(ranks, changes))).toEqual([1, 2, 5, 3, 4]);
		expect([...changes.keys()].sort()).toEqual([1, 2, 5]);
	});

	it('goes between two ranked jobs by the midpoint, and renumbers when there is no room', () => {
		const ranks = new Map<number, number | null>([
			[1, 10],
			[2, 11],
			[3, 40],
			[4, null]
		]);
		const order = ordered([1, 2, 3, 4], ranks);
		const mid = placeInSequence(order, ranks, 4, { after: 2 });
		expect(mid).toEqual(new Map([[4, 25]]));
		const tight = placeInSequence(order, ranks, 4, { before: 2 });
		expect(tight).toEqual(
			new Map([
				[1, RANK_GAP],
				[4, 2 * RANK_GAP],
				[2, 3 * RANK_GAP],
				[3, 4 * RANK_GAP]
			])
		);
		expect(ordered([1, 2, 3, 4], apply(ranks, tight))).toEqual([1, 4, 2, 3]);
	});

	it('moves a job to the front or to just before another, for any ranks', () => {
		fc.assert(
			fc.property(
				fc.array(fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }), { minLength: 2, maxLength: 12 }),
				fc.nat(),
				fc.nat(),
				fc.boolean(),
				(rs, a, b, front) => {
					const ids = rs.map((_, i) => i + 1);
					const ranks = new Map(rs.map((r, i) => [i + 1, r]));
					const order = ordered(ids, ranks);
					const id = order[a % order.length];
					const rest = order.filter((x) => x !== id);
					const target = rest[b % rest.length];
					const after = ordered(
						ids,
						apply(ranks, placeInSequence(order, ranks, id, front ? { after: null } : { before: target }))
					);
					const expected = front
						? [id, ...rest]
						: [...rest.slice(0, rest.indexOf(target)), id, ...rest.slice(rest.indexOf(target))];
					expect(after).toEqual(expected);
				}
			),
			{ numRuns: 500 }
		);
	});
});
