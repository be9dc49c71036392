import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar, rejection } from './db';
import {
	assignJob,
	crewTimeline,
	listCrews,
	suggestCrews,
	unassignJob
} from '../../src/lib/server/services/dispatch';
import { ConflictError, NotFoundError, ValidationError } from '../../src/lib/server/errors';
import type { Actor } from '../../src/lib/server/authz';
import type { Db } from '../../src/lib/server/db';
import { loadCrews } from '../../src/lib/server/services/dispatch-data';
import { chinaToday } from '../../src/lib/server/services/order-common';
import { peakLoad } from '../../src/lib/domain/dispatch';
import { addDays } from '../../src/lib/domain/days';

/**
 * The dispatcher's commands on a real database: ranked suggestions with reasons, an
 * assignment with its event, and every refusal (stale version, uncertified or full crew, a
 * crew of another company, bad dates) leaving the job as it was; two dispatchers booking the
 * last place of a crew at the same moment get one booking, never two.
 */
describe.each(drivers)('dispatch (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let dispatcher: Actor;
	let companyId: number;
	let jobs: { id: number; version: number }[];
	let crewIds: number[];

	const jobOf = async (id: number) =>
		(
			await query<{
				status: string;
				crew_id: number | null;
				version: number;
				assignment_reason: string | null;
			}>(db, sql`select status, crew_id, version, assignment_reason from installation_jobs where id = ${id}`)
		)[0];
	const assign = (job: { id: number; version: number }, crewId: number, over: Record<string, unknown> = {}) =>
		assignJob({ db, actor: dispatcher }, job.id, { crewId, version: job.version, ...over });

	beforeAll(async () => {
		db = t.db;
		dispatcher = await actorOf(db, 'dispatcher1', { locale: 'zh-CN' });
		companyId = dispatcher.homeCompanyId ?? dispatcher.companyIds[0];
		dispatcher = { ...dispatcher, companyIds: [companyId] };
		// Jobs waiting for a crew (the small demo has few: some others are made to wait too).
		jobs = await query<{ id: number; version: number }>(
			db,
			sql`update installation_jobs set status = 'unassigned', crew_id = null where id in (
				select j.id from installation_jobs j
				where j.company_id = ${companyId} and j.planned_start is not null
					and not exists (select 1 from installation_job_units ju join units u on u.id = ju.unit_id
						join elevator_models m on m.id = u.model_id where ju.job_id = j.id and m.kind = 'escalator')
				order by j.status = 'unassigned' desc, j.status = 'assigned' desc, j.status = 'handed_over' desc, j.id
				limit 6) returning id, version`
		);
		jobs.sort((a, b) => a.id - b.id);
		crewIds = (
			await query<{ id: number }>(db, sql`select id from crews where company_id = ${companyId} order by id`)
		).map((r) => Number(r.id));
		expect(jobs.length).toBeGreaterThanOrEqual(5);
		expect(crewIds.length).toBeGreaterThanOrEqual(2);
	});

	it('ranks every crew of the company with reasons in the dispatcher’s language', async () => {
		const { job, suggestions } = await suggestCrews({ db, actor: dispatcher }, jobs[0].id);
		expect(job.skills).toEqual(['mechanical', 'electrical']);
		expect(suggestions.map((s) => s.crewId).sort()).toEqual([...crewIds].sort());
		const eligible = suggestions.filter((s) => s.eligible);
		expect(eligible.length).toBeGreaterThan(0);
		expect(suggestions.findIndex((s) => !s.eligible)).not.toBeLessThan(
			eligible.length === suggestions.length ? -1 : eligible.length
		);
		for (const s of suggestions) {
			expect(s.reasons.some((r) => r.includes('km'))).toBe(true);
			expect(s.reasons.join(' ')).toMatch(/个工地/);
		}
	});

	it('a job of another company is not found', async () => {
		const other = { ...dispatcher, companyIds: [companyId + 1000] };
		expect(await rejection(suggestCrews({ db, actor: other }, jobs[0].id))).toMatch(/Not found/);
		await expect(
			assignJob({ db, actor: other }, jobs[0].id, { crewId: crewIds[0], version: 1 })
		).rejects.toBeInstanceOf(NotFoundError);
	});

	it('assigns with the reason and an event; a stale version is a conflict and changes nothing', async () => {
		const before = await scalar(
			db,
			sql`select count(*) from events where entity = 'installation_job' and entity_id = ${jobs[0].id}`
		);
		const res = await assign(jobs[0], crewIds[0]);
		expect(res.job).toMatchObject({ status: 'assigned', crewId: crewIds[0], version: jobs[0].version + 1 });
		const row = await jobOf(jobs[0].id);
		expect(row.assignment_reason).toMatch(/km/);
		const [event] = await query<{ type: string; payload: { crewId: number; status: string } }>(
			db,
			sql`select type, payload from events where entity = 'installation_job' and entity_id = ${jobs[0].id} order by id desc limit 1`
		);
		expect(event.type).toBe('installation_job.assigned');
		expect(event.payload).toMatchObject({ crewId: crewIds[0], status: 'assigned' });
		expect(
			await scalar(
				db,
				sql`select count(*) from events where entity = 'installation_job' and entity_id = ${jobs[0].id}`
			)
		).toBe(before + 1);

		await expect(assign(jobs[0], crewIds[1])).rejects.toBeInstanceOf(ConflictError);
		expect((await jobOf(jobs[0].id)).crew_id).toBe(crewIds[0]);
		jobs[0] = { id: jobs[0].id, version: row.version };
	});

	it('refuses a crew without the certificates, naming them, and writes nothing', async () => {
		const [{ id: bare }] = await query<{ id: number }>(
			db,
			sql`insert into crews (company_id, name, base_city, base_lat, base_lng, capacity)
				values (${companyId}, '无证测试队', '上海', 31.2, 121.4, 5) returning id`
		);
		const e = await assign(jobs[1], Number(bare)).catch((x) => x);
		expect(e).toBeInstanceOf(ValidationError);
		expect(e.message).toMatch(/无证测试队 缺少有效证书：机械安装、电气安装/);
		expect(await jobOf(jobs[1].id)).toMatchObject({
			status: 'unassigned',
			crew_id: null,
			version: jobs[1].version
		});
		const ranked = await suggestCrews({ db, actor: dispatcher }, jobs[1].id);
		const last = ranked.suggestions.at(-1)!;
		expect(last).toMatchObject({
			crewId: Number(bare),
			eligible: false,
			missing: ['mechanical', 'electrical']
		});
		await db.execute(sql`update crews set active = 0 where id = ${bare}`);
	});

	it('refuses bad dates and a crew of another company', async () => {
		const bad = await assign(jobs[1], crewIds[0], {
			plannedStart: '2027-03-10',
			plannedEnd: '2027-03-01'
		}).catch((x) => x);
		expect(bad).toBeInstanceOf(ValidationError);
		expect(bad.issues[0]).toMatchObject({ path: 'plannedEnd', message: '结束日期不能早于开始日期' });
		expect(
			await rejection(assign(jobs[1], crewIds[0], { plannedStart: '2027-02-30', plannedEnd: '2027-03-01' }))
		).toMatch(/YYYY-MM-DD/);
		const [foreign] = await query<{ id: number }>(
			db,
			sql`select id from crews where company_id <> ${companyId} limit 1`
		);
		expect(await rejection(assign(jobs[1], Number(foreign.id)))).toMatch(/没有找到该班组/);
		expect(
			await rejection(assignJob({ db, actor: dispatcher }, jobs[1].id, { crewId: 'x', version: 1 }))
		).toMatch(/crewId/);
		expect(await jobOf(jobs[1].id)).toMatchObject({ status: 'unassigned', version: jobs[1].version });
	});

	it('two dispatchers booking the last place of a crew at the same moment: one booking, one refusal', async () => {
		const crewId = crewIds[1];
		// Two jobs on the same days in the coming weeks (certificates are valid then), and room for
		// one more site on the busiest of those days.
		const from = addDays(chinaToday(), 20);
		const days = { plannedStart: from, plannedEnd: addDays(from, 19) };
		const [crew] = await loadCrews(db, companyId, from, [crewId]);
		const { peak } = peakLoad(crew.bookings, days.plannedStart, days.plannedEnd);
		await db.execute(sql`update crews set capacity = ${peak + 1} where id = ${crewId}`);
		const results = await Promise.allSettled([assign(jobs[2], crewId, days), assign(jobs[3], crewId, days)]);
		const ok = results.filter((r) => r.status === 'fulfilled');
		const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
		expect(ok).toHaveLength(1);
		expect(refused).toHaveLength(1);
		expect(refused[0].reason).toBeInstanceOf(ValidationError);
		expect(refused[0].reason.message).toMatch(/已排满/);
		expect(
			await scalar(
				db,
				sql`select count(*) from installation_jobs where id in (${jobs[2].id}, ${jobs[3].id}) and crew_id = ${crewId}`
			)
		).toBe(1);
		await db.execute(sql`update crews set capacity = 100 where id = ${crewId}`);
		const after = await assign(jobs[4], crewId);
		expect(after.job.crewId).toBe(crewId);
		jobs[4] = { id: jobs[4].id, version: after.job.version };
	});

	it('the same job assigned to two crews at once: one wins, the other is told it changed', async () => {
		const job = (
			await query<{ id: number; version: number }>(
				db,
				sql`select id, version from installation_jobs where id = ${jobs[5].id}`
			)
		)[0];
		await db.execute(sql`update crews set capacity = 100 where id = any(${`{${crewIds.join(',')}}`}::int[])`);
		const results = await Promise.allSettled([assign(job, crewIds[0]), assign(job, crewIds[1])]);
		expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
		const lost = results.find((r): r is PromiseRejectedResult => r.status === 'rejected')!;
		expect(lost.reason).toBeInstanceOf(ConflictError);
		expect((await jobOf(job.id)).version).toBe(job.version + 1);
	});

	it('unassigns a job not started, refuses one in progress', async () => {
		expect((await jobOf(jobs[4].id)).status).toBe('assigned');
		const res = await unassignJob({ db, actor: dispatcher }, jobs[4].id, { version: jobs[4].version });
		expect(res.job).toMatchObject({ status: 'unassigned', crewId: null });
		const [running] = await query<{ id: number; version: number }>(
			db,
			sql`select id, version from installation_jobs where company_id = ${companyId} and status = 'in_progress' limit 1`
		);
		expect(
			await rejection(unassignJob({ db, actor: dispatcher }, running.id, { version: running.version }))
		).toMatch(/已开工/);
		const again = await rejection(
			unassignJob({ db, actor: dispatcher }, jobs[4].id, { version: res.job.version })
		);
		expect(again).toMatch(/还没有派工/);
	});

	it('the timeline and the crew list show each crew’s bookings, load and skills', async () => {
		const from = addDays(chinaToday(), 20);
		const tl = await crewTimeline({ db, actor: dispatcher }, { from, days: '10' });
		expect(tl.days).toBe(10);
		const c = tl.crews.find((x) => x.id === crewIds[1])!;
		expect(c.load).toHaveLength(10);
		expect(c.bookings.map((b) => b.jobId)).toEqual(expect.arrayContaining([expect.any(Number)]));
		expect(c.load[0]).toBe(c.bookings.filter((b) => b.start <= from && b.end >= from).length);
		expect(Math.max(...c.load)).toBeLessThanOrEqual(c.capacity);
		await expect(crewTimeline({ db, actor: dispatcher }, { days: 500 })).rejects.toBeInstanceOf(
			ValidationError
		);
		await expect(
			crewTimeline({ db, actor: dispatcher }, { companyId: companyId + 1000 })
		).rejects.toBeInstanceOf(NotFoundError);
		const { crews } = await listCrews({ db, actor: dispatcher });
		expect(crews.length).toBeGreaterThanOrEqual(2);
		expect(crews[0].skills.map((s) => s.code)).toEqual(expect.arrayContaining(['mechanical', 'electrical']));
	});
});
