import { describe, expect, it } from 'vitest';
import { BoardState } from '../../src/routes/(app)/installation/dispatch/board.svelte';
import type { DispatchBoard } from '../../src/lib/server/services/dispatch-board';
import type { LiveEvent } from '../../src/lib/live/feed';

/**
 * The dispatch map's rows under live events: a job or ticket event changes that row only (a new
 * object for it, the others kept, so the map redraws one marker), old or repeated events change
 * nothing, a finished job leaves, and what the board cannot apply asks for a re-read.
 */
const job = (
	id: number,
	over: Partial<DispatchBoard['jobs'][number]> = {}
): DispatchBoard['jobs'][number] => ({
	id,
	companyId: 1,
	number: `IJ-${id}`,
	status: 'unassigned',
	priority: 'normal',
	stage: null,
	plannedStart: '2026-12-01',
	plannedEnd: '2026-12-20',
	lat: 31.2,
	lng: 121.4,
	siteName: '工地',
	city: '上海市',
	address: '路 1 号',
	crewId: null,
	crewName: null,
	changeFlag: null,
	units: 1,
	version: 1,
	...over
});
const ticket = (
	id: number,
	over: Partial<DispatchBoard['tickets'][number]> = {}
): DispatchBoard['tickets'][number] => ({
	id,
	companyId: 1,
	number: `ST-${id}`,
	kind: 'fault',
	status: 'new',
	priority: 'trapped',
	respondBy: new Date('2026-12-01T10:00:00Z'),
	plannedOn: null,
	lat: 31.2,
	lng: 121.4,
	city: '上海市',
	address: '路 1 号',
	serialNo: 'EL-1',
	technicianId: null,
	technicianName: null,
	crewId: null,
	version: 1,
	...over
});
function board(over: Partial<DispatchBoard> = {}): DispatchBoard {
	return {
		today: '2026-11-24',
		cursor: '1:1:',
		query: { kinds: ['jobs', 'tickets', 'visits', 'crews'] },
		jobs: [job(1), job(2), job(3)],
		tickets: [ticket(10)],
		visits: [],
		crews: [],
		truncated: { jobs: false, tickets: false, visits: false },
		...over
	} as DispatchBoard;
}
let seq = 0;
const event = (over: Partial<LiveEvent>): LiveEvent => ({
	id: ++seq,
	companyId: 1,
	topic: 'installation',
	entity: 'installation_job',
	entityId: 1,
	version: 2,
	type: 'installation_job.assigned',
	payload: {},
	actorId: 5,
	at: new Date().toISOString(),
	...over
});

describe('dispatch board state', () => {
	it('applies a job event to that row only, and ignores it when old or repeated', () => {
		const s = new BoardState(board());
		const [a, b, c] = s.jobs;
		const e = event({
			payload: { status: 'assigned', crewId: 7, crewName: '上海安装一队', currentStage: 'survey', version: 2 }
		});
		expect(s.apply([e])).toEqual({ changed: true, reload: false, timeline: true });
		expect(s.jobs[0]).toMatchObject({
			status: 'assigned',
			crewId: 7,
			crewName: '上海安装一队',
			stage: 'survey',
			version: 2
		});
		expect(s.jobs[0]).not.toBe(a);
		expect(s.jobs[1]).toBe(b);
		expect(s.jobs[2]).toBe(c);
		const after = s.jobs[0];
		expect(s.apply([e]).changed).toBe(false);
		expect(s.apply([event({ version: 1, payload: { status: 'unassigned' } })]).changed).toBe(false);
		expect(s.jobs[0]).toBe(after);
	});

	it('drops a handed-over job and asks for a re-read for a job it does not hold', () => {
		const s = new BoardState(board());
		s.apply([event({ entityId: 2, version: 5, payload: { status: 'handed_over' } })]);
		expect(s.jobs.map((j) => j.id)).toEqual([1, 3]);
		expect(s.apply([event({ entityId: 99, payload: { status: 'unassigned' } })]).reload).toBe(true);
		// A job closed that was never shown: nothing to read.
		expect(s.apply([event({ entityId: 98, payload: { status: 'cancelled' } })]).reload).toBe(false);
	});

	it('re-reads after any change when filters may move rows in or out', () => {
		const s = new BoardState(
			board({ query: { kinds: ['jobs'], status: 'unassigned' } } as Partial<DispatchBoard>)
		);
		const r = s.apply([event({ payload: { status: 'assigned' } })]);
		expect(r).toMatchObject({ changed: true, reload: true });
	});

	it('applies ticket events in place, removes closed tickets, and re-reads for other kinds of events', () => {
		const s = new BoardState(board());
		const t = event({
			topic: 'service',
			entity: 'service_ticket',
			entityId: 10,
			payload: { status: 'en_route', technicianName: '李师傅' }
		});
		expect(s.apply([t])).toMatchObject({ changed: true, reload: false });
		expect(s.tickets[0]).toMatchObject({ status: 'en_route', technicianName: '李师傅', version: 2 });
		s.apply([
			event({
				topic: 'service',
				entity: 'service_ticket',
				entityId: 10,
				version: 3,
				payload: { status: 'closed' }
			})
		]);
		expect(s.tickets).toEqual([]);
		expect(s.apply([event({ topic: 'service', entity: 'maintenance_plan', entityId: 4 })]).reload).toBe(true);
		expect(s.apply([event({ topic: 'production', entity: 'work_order' })])).toEqual({
			changed: false,
			reload: false,
			timeline: false
		});
	});

	it('keeps the objects of unchanged rows across a re-read, and notes field reports', () => {
		const s = new BoardState(board());
		const kept = s.jobs[1];
		s.set(board({ jobs: [job(1, { version: 4, status: 'assigned' }), job(2), job(4)] }));
		expect(s.jobs[1]).toBe(kept);
		expect(s.jobs.map((j) => j.id)).toEqual([1, 2, 4]);
		// A read that was under way while an event moved a row on does not take it back.
		s.apply([event({ entityId: 4, version: 3, payload: { status: 'assigned' } })]);
		s.set(board({ jobs: [job(1, { version: 4, status: 'assigned' }), job(2), job(4)] }));
		expect(s.jobs[2]).toMatchObject({ status: 'assigned', version: 3 });
		s.apply([
			event({
				entityId: 2,
				type: 'installation_job.problem',
				payload: { progress: { stage: 'machine', problem: '现场未通电' } }
			})
		]);
		expect(s.reports[2]).toMatchObject({ stage: 'machine', problem: '现场未通电' });
	});
});
