import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
	peakLoad,
	rankCrews,
	refusalFor,
	requiredSkills,
	validSkills,
	type Booking,
	type CrewInfo,
	type JobNeed
} from '../../src/lib/domain/dispatch';
import { addDays, daysBetween } from '../../src/lib/domain/days';
import { distanceKm } from '../../src/lib/domain/geo';

const SHANGHAI = { lat: 31.23, lng: 121.47 };
const HANGZHOU = { lat: 30.27, lng: 120.15 };
const NANJING = { lat: 32.06, lng: 118.8 };

const cert = (
	skill: string,
	expiresOn: string | null = '2030-01-01',
	certificateNo: string | null = 'TS-1'
) => ({
	skill,
	certificateNo,
	expiresOn
});
const FULL = [cert('mechanical'), cert('electrical'), cert('escalator')];

function crew(id: number, over: Partial<CrewInfo> = {}): CrewInfo {
	return {
		id,
		name: `crew ${id}`,
		baseCity: 'x',
		base: SHANGHAI,
		capacity: 2,
		active: true,
		certificates: FULL,
		bookings: [],
		...over
	};
}
const job: JobNeed = {
	id: 1,
	at: SHANGHAI,
	start: '2026-12-01',
	end: '2026-12-10',
	skills: ['mechanical', 'electrical']
};
const booking = (jobId: number, start: string, end: string): Booking => ({ jobId, start, end });

describe('required skills', () => {
	it('every elevator needs mechanical and electrical work; escalators their own certificate', () => {
		expect(requiredSkills(['passenger'])).toEqual(['mechanical', 'electrical']);
		expect(requiredSkills(['passenger', 'escalator'])).toEqual(['mechanical', 'electrical', 'escalator']);
	});
});

describe('certificates', () => {
	it('count only with a number and an expiry on or after the job’s last day', () => {
		const held = validSkills(
			[
				cert('mechanical', '2026-12-10'),
				cert('electrical', '2026-12-09'),
				cert('welding', null, null),
				cert('rescue', null)
			],
			'2026-12-10'
		);
		expect([...held].sort()).toEqual(['mechanical', 'rescue']);
	});
});

describe('peak load', () => {
	it('is the most sites booked on one day of the range, the job itself left out', () => {
		const b = [
			booking(2, '2026-11-20', '2026-12-02'),
			booking(3, '2026-12-02', '2026-12-05'),
			booking(4, '2026-12-05', '2026-12-20'),
			booking(1, '2026-12-01', '2026-12-10')
		];
		expect(peakLoad(b, '2026-12-01', '2026-12-10', 1)).toEqual({ peak: 2, day: '2026-12-02' });
		expect(peakLoad(b, '2026-12-11', '2026-12-30', 1)).toEqual({ peak: 1, day: '2026-12-11' });
		expect(peakLoad(b, '2027-01-01', '2027-01-05')).toEqual({ peak: 0, day: null });
	});

	it('equals counting day by day (property)', () => {
		const day = fc.integer({ min: 0, max: 40 }).map((n) => addDays('2026-12-01', n));
		const span = fc.tuple(day, fc.integer({ min: 0, max: 15 })).map(([s, n]) => [s, addDays(s, n)] as const);
		fc.assert(
			fc.property(fc.array(span, { maxLength: 12 }), span, (spans, [from, to]) => {
				const bookings = spans.map(([s, e], i) => booking(i + 10, s, e));
				let best = 0;
				for (let d = 0; d <= daysBetween(from, to); d++) {
					const x = addDays(from, d);
					best = Math.max(best, bookings.filter((b) => b.start <= x && b.end >= x).length);
				}
				expect(peakLoad(bookings, from, to).peak).toBe(best);
			})
		);
	});
});

describe('refusals', () => {
	it('a crew missing a certificate, or whose certificate runs out during the job, is uncertified', () => {
		expect(refusalFor(job, crew(1, { certificates: [cert('mechanical')] }))).toEqual({
			code: 'uncertified',
			missing: ['electrical']
		});
		expect(
			refusalFor(job, crew(1, { certificates: [cert('mechanical'), cert('electrical', '2026-12-05')] }))
		).toMatchObject({ code: 'uncertified', missing: ['electrical'] });
		expect(
			refusalFor(
				{ ...job, skills: requiredSkills(['escalator']) },
				crew(1, { certificates: FULL.slice(0, 2) })
			)
		).toMatchObject({ missing: ['escalator'] });
	});

	it('a crew booked to capacity on any day of the job is full (a double booking)', () => {
		const c = crew(1, { capacity: 1, bookings: [booking(9, '2026-12-10', '2026-12-12')] });
		expect(refusalFor(job, c)).toEqual({ code: 'full', day: '2026-12-10', capacity: 1 });
		expect(refusalFor({ ...job, end: '2026-12-09' }, c)).toBeNull();
		// Its own booking (a re-assignment to the same crew) does not count against it.
		expect(
			refusalFor(job, crew(1, { capacity: 1, bookings: [booking(1, '2026-12-01', '2026-12-10')] }))
		).toBeNull();
	});

	it('an inactive crew is refused', () => {
		expect(refusalFor(job, crew(1, { active: false }))).toEqual({ code: 'inactive' });
	});
});

describe('ranking', () => {
	it('eligible crews first, then by distance and free capacity; a local crew with room beats one 270 km away', () => {
		const near = crew(1, { base: SHANGHAI });
		const far = crew(2, { base: NANJING });
		const nearButBusy = crew(3, {
			base: SHANGHAI,
			capacity: 4,
			bookings: [1, 2, 3].map((i) => booking(20 + i, '2026-12-01', '2026-12-31'))
		});
		const uncertified = crew(4, { base: SHANGHAI, certificates: [cert('mechanical')] });
		const ranked = rankCrews(job, [far, uncertified, nearButBusy, near]);
		expect(ranked.map((s) => s.crew.id)).toEqual([1, 3, 2, 4]);
		expect(ranked.map((s) => s.eligible)).toEqual([true, true, true, false]);
		expect(ranked[0].distanceKm).toBe(0);
		expect(ranked[1].peak).toBe(3);
		expect(ranked[2].distanceKm).toBeCloseTo(distanceKm(NANJING, SHANGHAI), 0);
		expect(ranked[3].missing).toEqual(['electrical']);
	});

	it('a nearer crew wins at equal load; a free crew wins at equal distance', () => {
		const [a] = rankCrews(job, [crew(2, { base: HANGZHOU }), crew(1, { base: SHANGHAI })]);
		expect(a.crew.id).toBe(1);
		const [b] = rankCrews(job, [
			crew(1, { capacity: 2, bookings: [booking(5, '2026-12-03', '2026-12-04')] }),
			crew(2, { capacity: 2 })
		]);
		expect(b.crew.id).toBe(2);
	});

	it('flags certificates that run out soon after the job', () => {
		const [s] = rankCrews(job, [
			crew(1, { certificates: [cert('mechanical', '2026-12-20'), cert('electrical')] })
		]);
		expect(s.eligible).toBe(true);
		expect(s.expiringSoon).toEqual(['mechanical']);
	});

	it('never ranks an ineligible crew above an eligible one (property)', () => {
		const arb = fc.record({
			lat: fc.double({ min: 20, max: 40, noNaN: true }),
			lng: fc.double({ min: 100, max: 125, noNaN: true }),
			capacity: fc.integer({ min: 1, max: 3 }),
			booked: fc.integer({ min: 0, max: 4 }),
			certified: fc.boolean()
		});
		fc.assert(
			fc.property(fc.array(arb, { minLength: 1, maxLength: 15 }), (specs) => {
				const crews = specs.map((s, i) =>
					crew(i + 1, {
						base: { lat: s.lat, lng: s.lng },
						capacity: s.capacity,
						certificates: s.certified ? FULL : [cert('mechanical')],
						bookings: Array.from({ length: s.booked }, (_, k) => booking(100 + k, job.start, job.end))
					})
				);
				const ranked = rankCrews(job, crews);
				const firstIneligible = ranked.findIndex((s) => !s.eligible);
				if (firstIneligible >= 0) expect(ranked.slice(firstIneligible).every((s) => !s.eligible)).toBe(true);
				for (const s of ranked)
					expect(s.eligible).toBe(s.peak < s.crew.capacity && specs[s.crew.id - 1].certified);
			})
		);
	});
});
