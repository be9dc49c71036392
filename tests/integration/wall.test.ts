import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, scalar } from './db';
import { makePlant, plusDays, type Plant } from './wall-fixture';
import { wallBoard } from '../../src/lib/server/services/wall';
import { reportStepProgress } from '../../src/lib/server/services/step-progress';
import { closeAlert } from '../../src/lib/server/services/alerts';
import { eventsSince } from '../../src/lib/server/realtime/stream';
import { BoardIndex } from '../../src/lib/wall/board-events';
import { figures } from '../../src/lib/wall/board';
import { registerDevice, enrolDevice } from '../../src/lib/server/services/devices';
import { deviceForToken } from '../../src/lib/server/auth/device';
import { NotFoundError, ValidationError } from '../../src/lib/server/errors';
import type { LiveEvent } from '../../src/lib/live/feed';
import type { Actor } from '../../src/lib/server/authz';
import type { Db } from '../../src/lib/server/db';

/**
 * The wall board on a real database: its figures for a small plant known by heart, the same
 * figures whether the page applies live events to its board or reads it again, and who sees
 * which company's board.
 */
describe.each(drivers)('production wall board (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let plant: Plant;
	let planner: Actor;
	let worker: Actor;

	beforeAll(async () => {
		db = t.db;
		plant = await makePlant(db);
		planner = await actorOf(db, 'planner1', { companyIds: [plant.companyId] });
		worker = await actorOf(db, 'shopfloor1', { companyIds: [plant.companyId] });
	});

	it('counts WIP, today’s plan and done, late jobs and andons per work centre, and progress per order', async () => {
		const { board, figures: f, cursor } = await wallBoard({ db, actor: planner }, {});
		expect(cursor).toMatch(/^\d+:\d+:/);
		expect(board.companies.map((c) => c.code)).toEqual(['WT']);
		const [a, b] = f.centres;
		expect(a).toMatchObject({ code: 'A', wip: 0, blocked: 0, planned: 2, done: 1, late: [], andon: false });
		expect(b).toMatchObject({ code: 'B', wip: 2, blocked: 1, planned: 1, done: 0, andon: true });
		expect(b.late.map((j) => j.number)).toEqual(['WO-WT-2']);
		expect(f.orders).toHaveLength(1);
		expect(f.orders[0]).toMatchObject({
			number: 'SO-WT-1',
			units: 3,
			unitsDone: 0,
			stepsDone: 2,
			stepsTotal: 6,
			dueDate: plusDays(plant.today, 3),
			projectedFinish: plusDays(plant.today, 6),
			late: true
		});
		expect(f.alerts.map((x) => [x.kind, x.workOrderNumber])).toEqual([['andon', 'WO-WT-2']]);
		// WO3's step at B is planned in two days: not on the board at all.
		expect(board.steps.map((s) => s.id)).not.toContain(plant.steps[2][1]);
	});

	it('live events applied to the board give the same figures as reading it again', async () => {
		const first = await wallBoard({ db, actor: planner }, {});
		const index = new BoardIndex(structuredClone(first.board));
		const stepVersion = (id: number) => scalar(db, sql`select version from work_order_steps where id = ${id}`);
		// WO1's step at B finishes; WO3's first step starts; the andon is closed (its step is released).
		await reportStepProgress({ db, actor: worker }, plant.steps[0][1], { action: 'finish', version: await stepVersion(plant.steps[0][1]) });
		await reportStepProgress({ db, actor: worker }, plant.steps[2][0], { action: 'start', version: await stepVersion(plant.steps[2][0]) });
		const andon = first.board.alerts[0];
		await closeAlert({ db, actor: planner }, andon.id, { version: andon.version, note: '夹具已更换' });

		const { events } = await eventsSince(db, first.cursor, sql`company_id = ${plant.companyId}`);
		const wire = events.map(({ ownerId: _, ...e }) => e) as unknown as LiveEvent[];
		const applied = index.apply(wire);
		expect(applied).toEqual({ changed: true, reload: false });
		// Applying the same events again changes nothing.
		expect(index.apply(wire)).toEqual({ changed: false, reload: false });

		const again = await wallBoard({ db, actor: planner }, {});
		const local = figures(index.board);
		expect(local.centres).toEqual(again.figures.centres);
		expect(local.orders).toEqual(again.figures.orders);
		expect(local.alerts.map((x) => x.id)).toEqual(again.figures.alerts.map((x) => x.id));
		expect(again.figures.centres[1]).toMatchObject({ wip: 1, done: 1, blocked: 0, andon: false });
		expect(again.figures.centres[0]).toMatchObject({ wip: 1 });
	});

	it('a step the board does not hold asks for a new read when it is worked on, not when it becomes ready', () => {
		const index = new BoardIndex({ today: plant.today, companies: [{ id: 1, code: 'X', name: 'X' }], centres: [], steps: [], workOrders: [], orders: [], alerts: [] });
		const ev = (status: string, entity = 'work_order_step'): LiveEvent => ({
			id: 1, companyId: 1, topic: 'production', entity, entityId: 99, version: 2, type: `${entity}.x`, payload: { status, workOrderId: 5 }, actorId: null, at: ''
		});
		expect(index.apply([ev('ready')])).toEqual({ changed: false, reload: false });
		expect(index.apply([ev('in_progress')])).toEqual({ changed: false, reload: true });
		expect(index.apply([{ ...ev('in_progress'), companyId: 2 }])).toEqual({ changed: false, reload: false });
		expect(index.apply([ev('', 'schedule')])).toEqual({ changed: false, reload: true });
	});

	it('a wall display sees its own company only; a person may narrow to one of theirs, not another', async () => {
		const admin = await actorOf(db, 'admin');
		const sh = await scalar(db, sql`select id from companies where code = 'SH'`);
		const { code } = await registerDevice({ db, actor: admin }, { kind: 'wall', name: '总装车间看板', companyId: sh });
		const { token } = await enrolDevice(db, { code }, 'zh-CN');
		const device = (await deviceForToken(db, token))!;
		const own = await wallBoard({ db, actor: device.actor }, {});
		expect(own.board.companies.map((c) => c.code)).toEqual(['SH']);
		expect(own.board.centres.every((c) => c.companyId === sh)).toBe(true);
		await expect(wallBoard({ db, actor: device.actor }, { company: String(plant.companyId) })).rejects.toBeInstanceOf(NotFoundError);

		const scoped = await actorOf(db, 'scoped1');
		await expect(wallBoard({ db, actor: scoped }, { company: String(sh) })).rejects.toBeInstanceOf(NotFoundError);
		const sz = await wallBoard({ db, actor: scoped }, {});
		expect(sz.board.companies.map((c) => c.code)).toEqual(['SZ']);
		expect(sz.board.alerts.every((x) => x.companyId === sz.board.companies[0].id)).toBe(true);
		await expect(wallBoard({ db, actor: scoped }, { company: 'x' })).rejects.toBeInstanceOf(ValidationError);
	});
});
