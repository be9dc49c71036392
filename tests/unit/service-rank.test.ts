import { describe, expect, it } from 'vitest';
import {
	bestTechnician,
	loadOf,
	rankTechnicians,
	requiredSkills,
	type Technician
} from '../../src/lib/domain/technician-rank';

const SITE = { lat: 31.23, lng: 121.47 }; // Shanghai
const NEAR = { lat: 31.3, lng: 121.5 }; // ~8 km
const FAR = { lat: 30.27, lng: 120.15 }; // Hangzhou, ~165 km
const TODAY = '2026-03-02';

const cert = (
	code: string,
	expiresOn: string | null = '2027-01-01',
	certificateNo: string | null = 'TS-1'
) => ({
	code,
	certificateNo,
	expiresOn
});
function tech(userId: number, over: Partial<Technician> = {}): Technician {
	return {
		userId,
		name: `T${userId}`,
		crewId: 1,
		crewName: 'C',
		base: NEAR,
		skills: [cert('maintenance'), cert('rescue')],
		open: {},
		...over
	};
}
const ids = (r: { userId: number }[]) => r.map((t) => t.userId);
const trapped = { kind: 'fault' as const, priority: 'trapped' as const, site: SITE, today: TODAY };
const fault = { kind: 'fault' as const, priority: 'normal' as const, site: SITE, today: TODAY };

describe('skills a ticket needs', () => {
	it('asks a rescue certificate for a trapped passenger, maintenance for faults and visits, inspection for inspections', () => {
		expect(requiredSkills('fault', 'trapped')).toEqual(['rescue']);
		expect(requiredSkills('fault', 'urgent')).toEqual(['maintenance']);
		expect(requiredSkills('maintenance', 'normal')).toEqual(['maintenance']);
		expect(requiredSkills('inspection', 'high')).toEqual(['inspection']);
		expect(requiredSkills('complaint', 'low')).toEqual([]);
	});
});

describe('ranking technicians', () => {
	it('puts those with the skill and a valid certificate first, however near the others are', () => {
		const ranked = rankTechnicians(
			[
				tech(1, { skills: [cert('maintenance')], base: SITE }), // no rescue skill at all
				tech(2, { base: FAR }),
				tech(3, { skills: [cert('rescue', '2026-03-01')], base: SITE }), // expired yesterday
				tech(4, { skills: [cert('rescue', null, null)], base: SITE }) // skill without a certificate
			],
			trapped
		);
		expect(ids(ranked)).toEqual([2, 1, 3, 4]);
		expect(ranked.map((r) => r.eligible)).toEqual([true, false, false, false]);
		expect(ranked[1].missing).toEqual([{ skill: 'rescue', problem: 'none' }]);
		expect(ranked[2].missing).toEqual([{ skill: 'rescue', problem: 'expired', expiresOn: '2026-03-01' }]);
		expect(ranked[3].missing).toEqual([{ skill: 'rescue', problem: 'no_certificate' }]);
		expect(ranked[0].certified).toEqual(['rescue']);
		expect(bestTechnician(ranked)?.userId).toBe(2);
	});

	it('counts a certificate valid through its expiry day, and one without expiry as valid', () => {
		const ranked = rankTechnicians(
			[tech(1, { skills: [cert('rescue', TODAY)] }), tech(2, { skills: [cert('rescue', null)] })],
			trapped
		);
		expect(ranked.every((r) => r.eligible)).toBe(true);
	});

	it('prefers the nearer of two equally loaded technicians', () => {
		const ranked = rankTechnicians([tech(1, { base: FAR }), tech(2, { base: NEAR })], fault);
		expect(ids(ranked)).toEqual([2, 1]);
		expect(ranked[0].distanceKm).toBeGreaterThan(5);
		expect(ranked[0].distanceKm).toBeLessThan(12);
		expect(ranked[1].distanceKm).toBeGreaterThan(120);
	});

	it('prefers the less loaded of two at the same distance, weighting open tickets by priority', () => {
		expect(loadOf({ trapped: 1, normal: 2, low: 2 })).toEqual({ load: 6, openCount: 5 });
		const ranked = rankTechnicians(
			[tech(1, { open: { urgent: 2 } }), tech(2, { open: { normal: 3 } })],
			fault
		);
		expect(ids(ranked)).toEqual([2, 1]);
		expect(ranked.map((r) => r.load)).toEqual([3, 4]);
		expect(ranked.map((r) => r.openCount)).toEqual([3, 2]);
	});

	it('trades distance against load: a free technician 30 km further beats one with 5 tickets', () => {
		const further = { lat: SITE.lat + 0.35, lng: SITE.lng }; // ~39 km
		const ranked = rankTechnicians(
			[tech(1, { base: SITE, open: { normal: 5 } }), tech(2, { base: further })],
			fault
		);
		expect(ids(ranked)).toEqual([2, 1]);
		expect(ranked[0].score).toBeGreaterThan(ranked[1].score);
	});

	it('ranks unknown coordinates after known nearby ones, and is stable on ties by id', () => {
		const ranked = rankTechnicians([tech(3, { base: null }), tech(2), tech(1)], fault);
		expect(ids(ranked)).toEqual([1, 2, 3]);
		expect(ranked[2].distanceKm).toBeNull();
		expect(rankTechnicians([tech(1)], { ...fault, site: null })[0].distanceKm).toBeNull();
	});

	it('has nobody to suggest when no one is eligible, or no one exists', () => {
		expect(bestTechnician(rankTechnicians([tech(1, { skills: [] })], trapped))).toBeNull();
		expect(bestTechnician(rankTechnicians([], trapped))).toBeNull();
	});
});
