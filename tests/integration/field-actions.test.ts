import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, scalar } from './db';
import { fieldAction, type FieldAnswer } from '../../src/lib/server/services/field-actions';
import { fieldJobs } from '../../src/lib/server/services/field-jobs';
import { photoFile, MAX_PHOTO_BYTES } from '../../src/lib/server/services/field-photos';
import { installationJob } from '../../src/lib/server/services/installation-job';
import { ForbiddenError, NotFoundError, ValidationError } from '../../src/lib/server/errors';
import { m } from '../../src/lib/paraglide/messages';
import type { Db } from '../../src/lib/server/db';
import type { Actor } from '../../src/lib/server/authz';

/**
 * Reports from the installer's phone on a real database: applied once per key (also when two
 * copies race), refusals stored and answered again on replay, someone outside the crew
 * refused, bad photos refused with nothing written, photos served only within scope, the job
 * and its units moved along, events in the same transaction, the phone's clock corrected.
 */
let serial = 0;
const key = () =>
	`f-${Date.now().toString(36)}-${(serial++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
const en = { locale: 'en' as const };
/** The smallest file that is a PNG by its magic bytes. */
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

describe.each(drivers)('field reports (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let installer: Actor; // installer1, crew 1 (SH)
	let mate: Actor; // installer2, crew 1
	let outsider: Actor; // installer3, crew 2 (SH)
	let dispatcher: Actor;
	let crew1: number;

	/** An open job of crew 1 in a given status, not used by another test yet. */
	const used = new Set<number>();
	async function jobOf(
		status: string,
		crewId = crew1
	): Promise<{ id: number; number: string; version: number; current_stage: string | null }> {
		const rows = await query<{ id: number; number: string; version: number; current_stage: string | null }>(
			db,
			sql`select id, number, version, current_stage from installation_jobs where crew_id = ${crewId} and status = ${status} order by id`
		);
		const j = rows.find((r) => !used.has(Number(r.id)));
		if (!j) throw new Error(`no ${status} job of crew ${crewId} left`);
		used.add(Number(j.id));
		return { ...j, id: Number(j.id) };
	}
	const percents = async (jobId: number) =>
		Object.fromEntries(
			(
				await query<{ stage: string; p: number }>(
					db,
					sql`select stage, max(percent) as p from installation_progress where job_id = ${jobId} group by stage`
				)
			).map((r) => [r.stage, Number(r.p)])
		) as Record<string, number>;
	/** The stage the crew reports next on a job, and its percent now. */
	async function nextOf(jobId: number) {
		const p = await percents(jobId);
		const stage = [
			'survey',
			'guide_rails',
			'machine',
			'wiring',
			'commissioning',
			'inspection',
			'handover'
		].find((s) => (p[s] ?? 0) < 100)!;
		return { stage, percent: p[stage] ?? 0 };
	}
	const report = (
		who: Actor,
		fields: Record<string, unknown>,
		photos: { name: string; bytes: Uint8Array }[] = []
	) => {
		const now = Date.now();
		return fieldAction(
			{ db, actor: who },
			{ fields: { key: key(), action: 'progress', occurredAt: now, sentAt: now, ...fields }, photos }
		);
	};
	const progressCount = (jobId: number) =>
		scalar(db, sql`select count(*) from installation_progress where job_id = ${jobId}`);
	const eventCount = (jobId: number) =>
		scalar(db, sql`select count(*) from events where entity = 'installation_job' and entity_id = ${jobId}`);
	const stored = (who: Actor, k: string) =>
		query<{ outcome: string; result: FieldAnswer; job_id: number | null }>(
			db,
			sql`select outcome, result, job_id from field_actions where user_id = ${who.id} and key = ${k}`
		);

	beforeAll(async () => {
		db = t.db;
		installer = await actorOf(db, 'installer1', en);
		mate = await actorOf(db, 'installer2', en);
		outsider = await actorOf(db, 'installer3', en);
		dispatcher = await actorOf(db, 'dispatcher1', en);
		crew1 = await scalar(
			db,
			sql`select crew_id from crew_members cm join users u on u.id = cm.user_id where u.username = 'installer1'`
		);
		// The small test data set has few open jobs per crew: give crew 1 half of its company's.
		await query(
			db,
			sql`update installation_jobs set crew_id = ${crew1} where company_id = ${installer.homeCompanyId}
				and status in ('assigned', 'in_progress', 'inspection') and id % 2 = 0`
		);
		// And two jobs whose units have just shipped, assigned to it as a dispatcher would.
		await query(
			db,
			sql`update installation_jobs set crew_id = ${crew1}, status = 'assigned' where id in (select id from installation_jobs
				where company_id = ${installer.homeCompanyId} and status = 'unassigned' order by id limit 2)`
		);
	});

	it('applies a stage report: the progress row, the job’s stage and version, and its event, in one go', async () => {
		const job = await jobOf('in_progress');
		const next = await nextOf(job.id);
		const [rowsBefore, eventsBefore] = [await progressCount(job.id), await eventCount(job.id)];
		const answer = await report(installer, {
			jobId: job.id,
			stage: next.stage,
			percent: Math.min(100, next.percent + 10),
			note: '  导轨校正  '
		});
		expect(answer).toMatchObject({
			outcome: 'applied',
			code: null,
			job: { id: job.id, version: job.version + 1, currentStage: next.stage }
		});
		expect(answer.message).toContain(job.number);
		expect(await progressCount(job.id)).toBe(rowsBefore + 1);
		const [row] = await query<{ note: string; reporter_id: number; percent: number }>(
			db,
			sql`select note, reporter_id, percent from installation_progress where id = ${answer.progressId}`
		);
		expect(row).toMatchObject({ note: '导轨校正', percent: Math.min(100, next.percent + 10) });
		expect(Number(row.reporter_id)).toBe(installer.id);
		expect(await eventCount(job.id)).toBe(eventsBefore + 1);
		const [event] = await query<{
			type: string;
			topic: string;
			entity_version: number;
			payload: { crewId: number; progress: { id: number }; stages: Record<string, number> };
		}>(
			db,
			sql`select type, topic, entity_version, payload from events where entity = 'installation_job' and entity_id = ${job.id} order by id desc limit 1`
		);
		expect(event).toMatchObject({ type: 'installation_job.progress', topic: 'installation' });
		expect(Number(event.entity_version)).toBe(job.version + 1);
		expect(event.payload.crewId).toBe(crew1);
		expect(event.payload.progress.id).toBe(answer.progressId);
		expect(event.payload.stages[next.stage]).toBe(Math.min(100, next.percent + 10));
	});

	it('applies two racing copies of one report once, and both get the same answer', async () => {
		const job = await jobOf('in_progress');
		const next = await nextOf(job.id);
		const before = await progressCount(job.id);
		const now = Date.now();
		const fields = {
			key: key(),
			jobId: job.id,
			action: 'progress',
			stage: next.stage,
			percent: Math.min(100, next.percent + 5),
			occurredAt: now,
			sentAt: now
		};
		const [a, b] = await Promise.all([
			fieldAction({ db, actor: installer }, { fields }),
			fieldAction({ db, actor: installer }, { fields })
		]);
		expect(await progressCount(job.id)).toBe(before + 1);
		expect([a.replayed, b.replayed].filter(Boolean)).toHaveLength(1);
		expect(a.progressId).toBe(b.progressId);
		expect(a.outcome).toBe('applied');
		// And a third, later copy: the stored answer again, nothing new.
		const c = await fieldAction({ db, actor: installer }, { fields: { ...fields, sentAt: Date.now() } });
		expect(c).toMatchObject({ outcome: 'applied', replayed: true, progressId: a.progressId });
		expect(await progressCount(job.id)).toBe(before + 1);
		expect(await scalar(db, sql`select count(*) from field_actions where key = ${fields.key}`)).toBe(1);
	});

	it('refuses someone outside the crew, stores the refusal and answers it again on replay', async () => {
		const job = await jobOf('in_progress');
		const next = await nextOf(job.id);
		const [before, events] = [await progressCount(job.id), await eventCount(job.id)];
		const now = Date.now();
		const fields = {
			key: key(),
			jobId: job.id,
			action: 'progress',
			stage: next.stage,
			percent: 100,
			occurredAt: now,
			sentAt: now
		};
		const first = await fieldAction({ db, actor: outsider }, { fields });
		expect(first).toMatchObject({ outcome: 'refused', code: 'not_in_crew', progressId: null });
		const crewName = (await query<{ name: string }>(db, sql`select name from crews where id = ${crew1}`))[0]
			.name;
		expect(first.message).toBe(m.fld_refused_not_in_crew({ number: job.number, crew: crewName }, en));
		const [kept] = await stored(outsider, fields.key);
		expect(kept.outcome).toBe('refused');
		expect(Number(kept.job_id)).toBe(job.id);
		// The crew changed meanwhile, still the same answer: the key was already judged.
		const again = await fieldAction({ db, actor: outsider }, { fields: { ...fields, sentAt: Date.now() } });
		expect(again).toEqual({ ...first, replayed: true });
		expect(await progressCount(job.id)).toBe(before);
		expect(await eventCount(job.id)).toBe(events);
		// The mate in the crew may report the very same thing.
		expect((await report(mate, { jobId: job.id, stage: next.stage, percent: 100 })).outcome).toBe('applied');
	});

	it('keeps stages in order, never back, never past 100, and nothing on a closed or unknown job', async () => {
		const job = await jobOf('in_progress');
		const next = await nextOf(job.id);
		const order = ['survey', 'guide_rails', 'machine', 'wiring', 'commissioning', 'inspection', 'handover'];
		const later = order[order.indexOf(next.stage) + 1];
		if (later)
			expect(await report(installer, { jobId: job.id, stage: later, percent: 10 })).toMatchObject({
				outcome: 'refused',
				code: 'previous_not_done'
			});
		expect(
			(await report(installer, { jobId: job.id, stage: next.stage, percent: Math.max(60, next.percent) }))
				.outcome
		).toBe('applied');
		const back = await report(installer, { jobId: job.id, stage: next.stage, percent: 0 });
		expect(back).toMatchObject({ outcome: 'refused', code: 'backwards', job: { id: job.id } });
		expect(back.message).toContain(`${Math.max(60, next.percent)}%`);
		if (next.stage !== 'survey')
			expect(await report(installer, { jobId: job.id, stage: 'survey', percent: 100 })).toMatchObject({
				outcome: 'refused',
				code: 'stage_done'
			});
		await expect(
			report(installer, { jobId: job.id, stage: next.stage, percent: 101 })
		).rejects.toBeInstanceOf(ValidationError);

		const [closed] = await query<{ id: number }>(
			db,
			sql`select id from installation_jobs where crew_id = ${crew1} and status = 'handed_over' limit 1`
		);
		expect(
			await report(installer, { jobId: Number(closed.id), stage: 'handover', percent: 100 })
		).toMatchObject({ outcome: 'refused', code: 'closed' });
		const unknown = await report(installer, { jobId: 2_000_000, stage: 'survey', percent: 10 });
		expect(unknown).toMatchObject({ outcome: 'refused', code: 'not_found', job: null });
		// A job of a company the reporter cannot see reads as unknown: nothing of it is told or kept.
		const [foreign] = await query<{ id: number }>(
			db,
			sql`select id from installation_jobs where company_id <> ${installer.homeCompanyId} and status = 'in_progress' limit 1`
		);
		const blind = { ...installer, companyIds: [installer.homeCompanyId!] };
		const hidden = await report(blind, { jobId: Number(foreign.id), stage: 'survey', percent: 10 });
		expect(hidden).toMatchObject({ outcome: 'refused', code: 'not_found', job: null });
	});

	it('starts an assigned job with its first report, and moves its units along', async () => {
		const job = await jobOf('assigned');
		const answer = await report(installer, { jobId: job.id, stage: 'survey', percent: 30 });
		expect(answer.job).toMatchObject({ status: 'in_progress', currentStage: 'survey' });
		const units = await query<{ status: string }>(
			db,
			sql`select u.status from units u join installation_job_units ju on ju.unit_id = u.id where ju.job_id = ${job.id}`
		);
		expect(units.length).toBeGreaterThan(0);
		expect(units.every((u) => u.status === 'installing')).toBe(true);
		// The shipped order is being installed now.
		const [order] = await query<{ status: string }>(
			db,
			sql`select o.status from orders o join installation_jobs j on j.order_id = o.id where j.id = ${job.id}`
		);
		expect(order.status).toBe('installing');
	});

	it('hands a job over when the handover stage reaches 100 %', async () => {
		const job = await jobOf('inspection');
		let next = await nextOf(job.id);
		for (let guard = 0; next.stage !== 'handover' || next.percent < 100; guard++) {
			expect(guard).toBeLessThan(10);
			const a = await report(installer, { jobId: job.id, stage: next.stage, percent: 100 });
			expect(a.outcome).toBe('applied');
			if (next.stage === 'handover') break;
			next = await nextOf(job.id);
		}
		const [row] = await query<{ status: string; current_stage: string }>(
			db,
			sql`select status, current_stage from installation_jobs where id = ${job.id}`
		);
		expect(row).toEqual({ status: 'handed_over', current_stage: 'handover' });
		const units = await query<{ status: string; handed_over_on: string | null }>(
			db,
			sql`select u.status, u.handed_over_on from units u join installation_job_units ju on ju.unit_id = u.id where ju.job_id = ${job.id}`
		);
		expect(units.every((u) => u.status === 'handed_over' && u.handed_over_on !== null)).toBe(true);
		// Its order's every unit is handed over, so the order is too, with its event.
		const [order] = await query<{ id: number; status: string; waiting: number }>(
			db,
			sql`select o.id, o.status, (select count(*)::int from units u where u.order_id = o.id and u.status <> 'handed_over') as waiting
				from orders o join installation_jobs j on j.order_id = o.id where j.id = ${job.id}`
		);
		expect(order.status).toBe(order.waiting === 0 ? 'handed_over' : 'installing');
		if (order.waiting === 0)
			expect(
				await query(
					db,
					sql`select 1 from events where entity = 'order' and entity_id = ${order.id} and type = 'order.handed_over'`
				)
			).toHaveLength(1);
		expect(await report(installer, { jobId: job.id, action: 'problem', problem: 'late' })).toMatchObject({
			code: 'closed'
		});
	});

	it('records a problem on the current stage without moving the job, for the dispatcher to see', async () => {
		const job = await jobOf('in_progress');
		const answer = await report(installer, {
			jobId: job.id,
			action: 'problem',
			problem: '现场未通电，等待临时用电'
		});
		expect(answer).toMatchObject({
			outcome: 'applied',
			job: { status: 'in_progress', currentStage: job.current_stage }
		});
		const [row] = await query<{ problem: string; stage: string }>(
			db,
			sql`select problem, stage from installation_progress where id = ${answer.progressId}`
		);
		expect(row).toEqual({ problem: '现场未通电，等待临时用电', stage: job.current_stage });
		const [event] = await query<{ type: string }>(
			db,
			sql`select type from events where entity = 'installation_job' and entity_id = ${job.id} order by id desc limit 1`
		);
		expect(event.type).toBe('installation_job.problem');
		await expect(
			report(installer, { jobId: job.id, action: 'problem', problem: '   ' })
		).rejects.toBeInstanceOf(ValidationError);
		const list = await fieldJobs({ db, actor: installer });
		expect(list.jobs.find((j) => j.id === job.id)?.problem).toBe('现场未通电，等待临时用电');
	});

	it('corrects the phone’s clock, and never dates a report before the job’s last one or in the future', async () => {
		const job = await jobOf('in_progress');
		const next = await nextOf(job.id);
		const [{ last }] = await query<{ last: string }>(
			db,
			sql`select max(at) as last from installation_progress where job_id = ${job.id}`
		);
		// A phone 2 hours fast that queued the report 10 minutes ago.
		const skew = 2 * 3_600_000;
		const sentAt = Date.now() + skew;
		const a = await report(installer, {
			jobId: job.id,
			stage: next.stage,
			percent: Math.min(100, next.percent + 1),
			occurredAt: sentAt - 600_000,
			sentAt
		});
		const at = new Date(a.occurredAt).getTime();
		const expected = Math.max(Date.now() - 600_000, new Date(last).getTime());
		expect(Math.abs(at - expected)).toBeLessThan(5_000);
		expect(at).toBeLessThanOrEqual(Date.now());
		// A report claiming to be from long before the last one is dated at the last one.
		const b = await report(installer, {
			jobId: job.id,
			action: 'problem',
			problem: 'x',
			occurredAt: Date.UTC(2021, 0, 1),
			sentAt: Date.now()
		});
		expect(new Date(b.occurredAt).getTime()).toBe(at);
	});

	it('refuses a photo too large or not an image, with a clear message and nothing written', async () => {
		const job = await jobOf('in_progress');
		const next = await nextOf(job.id);
		const counts = async () => [
			await progressCount(job.id),
			await eventCount(job.id),
			await scalar(db, sql`select count(*) from installation_photos where job_id = ${job.id}`),
			await scalar(db, sql`select count(*) from field_actions where user_id = ${installer.id}`)
		];
		const before = await counts();
		const big = new Uint8Array(MAX_PHOTO_BYTES + 1);
		big.set([0xff, 0xd8, 0xff]);
		const tooLarge = await report(installer, { jobId: job.id, stage: next.stage, percent: 100 }, [
			{ name: 'ok.png', bytes: PNG },
			{ name: 'big.jpg', bytes: big }
		]).catch((e) => e);
		expect(tooLarge).toBeInstanceOf(ValidationError);
		expect(tooLarge.message).toBe(m.fld_err_photo_too_large({ name: 'big.jpg', mb: '2.0', max: 2 }, en));
		const text = new TextEncoder().encode('GIF89a not really a jpeg');
		const notImage = await report(installer, { jobId: job.id, stage: next.stage, percent: 100 }, [
			{ name: 'site.jpg', bytes: text }
		]).catch((e) => e);
		expect(notImage).toBeInstanceOf(ValidationError);
		expect(notImage.message).toBe(m.fld_err_photo_not_image({ name: 'site.jpg' }, en));
		const five = Array.from({ length: 5 }, (_, i) => ({ name: `p${i}.png`, bytes: PNG }));
		await expect(
			report(installer, { jobId: job.id, stage: next.stage, percent: 100 }, five)
		).rejects.toBeInstanceOf(ValidationError);
		expect(await counts()).toEqual(before);
	});

	it('keeps photos with their report and serves them only within the reader’s companies', async () => {
		const job = await jobOf('in_progress');
		const next = await nextOf(job.id);
		const webp = new Uint8Array([
			...new TextEncoder().encode('RIFF'),
			0,
			0,
			0,
			0,
			...new TextEncoder().encode('WEBPVP8 ')
		]);
		const a = await report(
			installer,
			{ jobId: job.id, stage: next.stage, percent: Math.min(100, next.percent + 2) },
			[
				{ name: 'a.png', bytes: PNG },
				{ name: 'b', bytes: webp }
			]
		);
		expect(a.photoIds).toHaveLength(2);
		const photo = await photoFile({ db, actor: dispatcher }, a.photoIds[0]);
		expect(photo).toMatchObject({ mime: 'image/png', size: PNG.length });
		expect([...new Uint8Array(photo.data)]).toEqual([...PNG]);
		expect((await photoFile({ db, actor: installer }, String(a.photoIds[1]))).mime).toBe('image/webp');
		// A manager of another company only: the photo does not exist for them.
		const scoped = await actorOf(db, 'scoped1', en);
		expect(scoped.companyIds).not.toContain(installer.homeCompanyId);
		await expect(photoFile({ db, actor: scoped }, a.photoIds[0])).rejects.toBeInstanceOf(NotFoundError);
		const shopfloor = await actorOf(db, 'shopfloor1', en);
		await expect(photoFile({ db, actor: shopfloor }, a.photoIds[0])).rejects.toBeInstanceOf(ForbiddenError);
		// The job page lists them under the report.
		const view = await installationJob({ db, actor: dispatcher }, job.id);
		expect(view.progress.find((p) => p.id === a.progressId)?.photoIds).toEqual(a.photoIds);
		await expect(installationJob({ db, actor: scoped }, job.id)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('lists the crew’s open jobs for its installers, and tells who may report on a job', async () => {
		const list = await fieldJobs({ db, actor: installer });
		expect(list.crew?.id).toBe(crew1);
		expect(list.jobs.length).toBeGreaterThan(0);
		const mine = await scalar(
			db,
			sql`select count(*) from installation_jobs where crew_id = ${crew1} and status in ('assigned', 'in_progress', 'inspection')`
		);
		expect(list.jobs.length).toBe(Math.min(mine, 200));
		expect(list.jobs.every((j) => ['assigned', 'in_progress', 'inspection'].includes(j.status))).toBe(true);
		// On site now first, then the coming ones by start day.
		const coming = list.jobs.findIndex((j) => j.plannedStart !== null && j.plannedStart > list.today);
		if (coming >= 0) expect(list.jobs.slice(coming).every((j) => j.plannedStart! > list.today)).toBe(true);
		expect(
			(await fieldJobs({ db, actor: outsider })).jobs.some((j) => list.jobs.some((x) => x.id === j.id))
		).toBe(false);
		const admin = await actorOf(db, 'admin', en);
		expect(await fieldJobs({ db, actor: admin })).toMatchObject({ crew: null, jobs: [] });
		await expect(fieldJobs({ db, actor: dispatcher })).rejects.toBeInstanceOf(ForbiddenError);

		const id = list.jobs[0].id;
		expect((await installationJob({ db, actor: installer }, id)).mayReport).toBe(true);
		expect((await installationJob({ db, actor: outsider }, id)).mayReport).toBe(false);
		expect((await installationJob({ db, actor: dispatcher }, id)).mayReport).toBe(false);
		await expect(installationJob({ db, actor: dispatcher }, 'abc')).rejects.toBeInstanceOf(ValidationError);
		await expect(installationJob({ db, actor: dispatcher }, 2_000_000)).rejects.toBeInstanceOf(NotFoundError);
	});

	it('refuses malformed reports before anything is kept', async () => {
		const job = await jobOf('in_progress');
		const before = await scalar(db, sql`select count(*) from field_actions`);
		for (const bad of [
			{ jobId: job.id, stage: 'roof', percent: 10 },
			{ jobId: job.id, stage: 'survey' },
			{ jobId: job.id, stage: 'survey', percent: 10.5 },
			{ jobId: job.id, stage: 'survey', percent: 10, key: 'x' },
			{ jobId: job.id, stage: 'survey', percent: 10, extra: 1 },
			{ jobId: job.id, stage: 'survey', percent: 10, note: 'a\u0000b' },
			{ jobId: job.id, stage: 'survey', percent: 10, occurredAt: 5 }
		])
			await expect(report(installer, bad)).rejects.toBeInstanceOf(ValidationError);
		await expect(fieldAction({ db, actor: dispatcher }, { fields: {} })).rejects.toBeInstanceOf(
			ForbiddenError
		);
		expect(await scalar(db, sql`select count(*) from field_actions`)).toBe(before);
	});
});
