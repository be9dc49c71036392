import { describe, expect, it } from 'vitest';
import {
	canMove,
	canReassign,
	chinaDayEnd,
	countdownText,
	DUE_SOON_MS,
	RESPONSE_HOURS,
	respondByFor,
	slaOf,
	TICKET_FLOW
} from '../../src/lib/domain/service-sla';
import { TICKET_PRIORITIES, TICKET_STATUSES } from '../../src/lib/domain/statuses';

const H = 3_600_000;
const created = new Date('2026-03-02T01:00:00Z');
const at = (ms: number) => new Date(created.getTime() + ms);

describe('response-time targets', () => {
	it('gives each priority its target, a trapped passenger the shortest', () => {
		expect(RESPONSE_HOURS).toEqual({ trapped: 0.5, urgent: 2, high: 4, normal: 24, low: 72 });
		for (const p of TICKET_PRIORITIES)
			expect(respondByFor(created, p).getTime() - created.getTime()).toBe(RESPONSE_HOURS[p] * H);
		const sorted = [...TICKET_PRIORITIES].sort((a, b) => RESPONSE_HOURS[a] - RESPONSE_HOURS[b]);
		expect(sorted).toEqual(['trapped', 'urgent', 'high', 'normal', 'low']);
	});
});

describe('the state of a ticket at a time', () => {
	const normal = { createdAt: created, respondBy: respondByFor(created, 'normal') }; // 24 h window: due soon under 6 h
	const urgent = { createdAt: created, respondBy: respondByFor(created, 'urgent') }; // 2 h window: due soon under 30 min

	it('is on time until less than a quarter of the window is left, then due soon', () => {
		expect(slaOf(normal, at(18 * H - 1))).toMatchObject({ state: 'on_time', remainingMs: 6 * H + 1 });
		expect(slaOf(normal, at(18 * H))).toMatchObject({ state: 'on_time', remainingMs: 6 * H });
		expect(slaOf(normal, at(18 * H + 1))).toMatchObject({ state: 'due_soon', remainingMs: 6 * H - 1 });
	});

	it('is due soon with less than 30 minutes left when a quarter of the window is less than that', () => {
		expect(slaOf(urgent, at(2 * H - DUE_SOON_MS))).toMatchObject({ state: 'on_time' });
		expect(slaOf(urgent, at(2 * H - DUE_SOON_MS + 1))).toMatchObject({ state: 'due_soon' });
		// A trapped passenger's 30-minute window is due soon from its first second on.
		const trapped = { createdAt: created, respondBy: respondByFor(created, 'trapped') };
		expect(slaOf(trapped, at(1000)).state).toBe('due_soon');
	});

	it('is missed once past respond_by without arriving, with the time over as negative', () => {
		expect(slaOf(urgent, at(2 * H))).toMatchObject({ state: 'due_soon', remainingMs: 0 });
		expect(slaOf(urgent, at(2 * H + 1))).toMatchObject({ state: 'missed', remainingMs: -1 });
	});

	it('is met when the technician arrived by respond_by, missed when later, whatever the time now', () => {
		expect(slaOf({ ...urgent, arrivedAt: at(2 * H) }, at(100 * H))).toMatchObject({
			state: 'met',
			remainingMs: 0
		});
		expect(slaOf({ ...urgent, arrivedAt: at(2 * H + 1000) }, at(2 * H + 2000))).toMatchObject({
			state: 'missed',
			remainingMs: -1000
		});
		// Resolved without a visit (on the phone): the resolution counts.
		expect(slaOf({ ...urgent, resolvedAt: at(H) }, at(5 * H)).state).toBe('met');
		// ISO strings as the API sends them work the same.
		expect(
			slaOf(
				{
					createdAt: created.toISOString(),
					respondBy: urgent.respondBy.toISOString(),
					arrivedAt: at(H).toISOString()
				},
				at(3 * H)
			).state
		).toBe('met');
	});

	it('measures a planned visit against its own day, not the time since it was generated', () => {
		const visit = {
			createdAt: new Date('2026-03-01T00:00:00Z'),
			plannedOn: '2026-03-10',
			respondBy: chinaDayEnd('2026-03-10')
		};
		expect(chinaDayEnd('2026-03-10').toISOString()).toBe('2026-03-10T15:59:59.000Z');
		expect(slaOf(visit, new Date('2026-03-09T12:00:00Z')).state).toBe('on_time');
		expect(slaOf(visit, new Date('2026-03-10T08:00:00Z')).state).toBe('on_time'); // 16:00 in China, 8 h left of 24
		expect(slaOf(visit, new Date('2026-03-10T10:30:00Z')).state).toBe('due_soon'); // under 6 h left
		expect(slaOf(visit, new Date('2026-03-10T16:00:00Z')).state).toBe('missed');
	});
});

describe('countdown text', () => {
	it('shows minutes and seconds, hours when needed, days past a day', () => {
		expect(countdownText(0)).toBe('00:00');
		expect(countdownText(59_999)).toBe('00:59');
		expect(countdownText(29 * 60_000 + 5000)).toBe('29:05');
		expect(countdownText(-(3 * H + 61_000))).toBe('3:01:01');
		expect(countdownText(2 * 24 * H + 4 * H)).toBe('2 d 04:00:00');
	});
});

describe('the status flow', () => {
	it('goes new → assigned → en route → on site → resolved → closed, on site also straight from assigned', () => {
		const allowed = TICKET_STATUSES.flatMap((from) =>
			TICKET_STATUSES.filter((to) => canMove(from, to)).map((to) => `${from}>${to}`)
		);
		expect(allowed.sort()).toEqual(
			[
				'new>assigned',
				'assigned>en_route',
				'assigned>on_site',
				'en_route>on_site',
				'on_site>resolved',
				'resolved>closed'
			].sort()
		);
		expect(TICKET_FLOW.closed).toEqual([]);
	});

	it('refuses going back or skipping ahead', () => {
		for (const [from, to] of [
			['on_site', 'en_route'],
			['new', 'on_site'],
			['assigned', 'resolved'],
			['en_route', 'closed'],
			['closed', 'new'],
			['resolved', 'on_site']
		] as const)
			expect(canMove(from, to), `${from} > ${to}`).toBe(false);
	});

	it('lets a ticket be reassigned only until the technician is on site', () => {
		expect(TICKET_STATUSES.filter(canReassign)).toEqual(['new', 'assigned', 'en_route']);
	});
});
