import { beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { drivers, useDatabase, actorOf, query, rejection } from './db';
import { crewDirectory, setCertificate, updateCrew } from '../../src/lib/server/services/crews';
import { planInstallationJob } from '../../src/lib/server/services/job-plan';
import { suggestCrews } from '../../src/lib/server/services/dispatch';
import { ConflictError, ForbiddenError } from '../../src/lib/server/errors';
import type { Actor } from '../../src/lib/server/authz';
import type { Db } from '../../src/lib/server/db';

/**
 * Crews, certificates and a job's plan as the dispatcher edits them: coordinates out of range
 * and stale versions are refused with nothing written, and a certificate removed takes the crew
 * out of the job's eligible suggestions at once.
 */
describe.each(drivers)('crews and job plans (%s)', (driver) => {
	const t = useDatabase(driver);
	let db: Db;
	let dispatcher: Actor;
	let crew: { id: number; version: number; company_id: number; base_lat: number };

	const crewRow = async (id: number) =>
		(
			await query<{ version: number; base_lat: number; capacity: number; active: number }>(
				db,
				sql`select version, base_lat, capacity, active from crews where id = ${id}`
			)
		)[0];

	beforeAll(async () => {
		db = t.db;
		dispatcher = await actorOf(db, 'dispatcher1', { locale: 'en' });
		[crew] = await query(
			db,
			sql`select id, version, company_id, base_lat from crews where company_id = ${dispatcher.companyIds[0]} order by id limit 1`
		);
	});

	it('lists crews with members and certificate states', async () => {
		const dir = await crewDirectory({ db, actor: dispatcher });
		expect(dir.crews.every((c) => dispatcher.companyIds.includes(c.companyId))).toBe(true);
		const members = dir.crews.flatMap((c) => c.members);
		expect(members.length).toBeGreaterThan(0);
		const states = new Set(members.flatMap((x) => x.certificates.map((c) => c.state)));
		expect(states.has('valid')).toBe(true);
		expect(dir.skills.map((s) => s.code)).toContain('rescue');
	});

	it('edits a crew on its version; coordinates out of range are refused and nothing changes', async () => {
		const bad = await rejection(
			updateCrew({ db, actor: dispatcher }, crew.id, { version: crew.version, baseLat: 91, baseLng: 121 })
		);
		expect(bad).toMatch(/baseLat is out of range/);
		expect(
			await rejection(updateCrew({ db, actor: dispatcher }, crew.id, { version: crew.version, capacity: 0 }))
		).toMatch(/capacity/);
		expect((await crewRow(crew.id)).base_lat).toBe(crew.base_lat);
		const ok = await updateCrew({ db, actor: dispatcher }, crew.id, {
			version: crew.version,
			capacity: 7,
			baseLat: 31.1,
			baseLng: 121.3
		});
		expect(ok.crew).toMatchObject({ capacity: 7, baseLat: 31.1, version: crew.version + 1 });
		await expect(
			updateCrew({ db, actor: dispatcher }, crew.id, { version: crew.version, capacity: 8 })
		).rejects.toBeInstanceOf(ConflictError);
		const installer = await actorOf(db, 'installer1');
		await expect(
			updateCrew({ db, actor: installer }, crew.id, { version: 2, capacity: 8 })
		).rejects.toBeInstanceOf(ForbiddenError);
	});

	it('a certificate removed makes the crew ineligible, set again makes it eligible', async () => {
		const [job] = await query<{ id: number }>(
			db,
			sql`select id from installation_jobs where company_id = ${crew.company_id} and status in ('unassigned', 'assigned')
				and planned_start is not null order by id limit 1`
		);
		const members = await query<{ user_id: number }>(
			db,
			sql`select user_id from crew_members where crew_id = ${crew.id}`
		);
		for (const mb of members)
			await setCertificate({ db, actor: dispatcher }, { userId: mb.user_id, skill: 'electrical' }, true);
		const off = (await suggestCrews({ db, actor: dispatcher }, job.id)).suggestions.find(
			(s) => s.crewId === crew.id
		)!;
		expect(off).toMatchObject({ eligible: false, missing: ['electrical'] });
		expect(off.reasons[0]).toMatch(/no valid certificate for Electrical installation/);

		expect(
			await rejection(
				setCertificate(
					{ db, actor: dispatcher },
					{ userId: members[0].user_id, skill: 'flying', certificateNo: 'X', expiresOn: null }
				)
			)
		).toMatch(/No such skill/);
		expect(
			await rejection(
				setCertificate(
					{ db, actor: dispatcher },
					{ userId: members[0].user_id, skill: 'electrical', certificateNo: 'X', expiresOn: '2030-13-01' }
				)
			)
		).toMatch(/YYYY-MM-DD/);
		await setCertificate(
			{ db, actor: dispatcher },
			{
				userId: members[0].user_id,
				skill: 'electrical',
				certificateNo: 'TS31-2026-000001',
				expiresOn: '2035-01-01'
			}
		);
		const on = (await suggestCrews({ db, actor: dispatcher }, job.id)).suggestions.find(
			(s) => s.crewId === crew.id
		)!;
		expect(on.missing).toEqual([]);
		const events = await query<{ type: string }>(
			db,
			sql`select type from events where entity = 'crew' and entity_id = ${crew.id} order by id`
		);
		expect(events.map((e) => e.type)).toContain('crew.certificate_set');
	});

	it('a job’s plan: position in range, dates in order, version checked', async () => {
		const [job] = await query<{ id: number; version: number; lat: number }>(
			db,
			sql`select id, version, lat from installation_jobs where company_id = ${crew.company_id} and status = 'unassigned' order by id limit 1`
		);
		expect(
			await rejection(
				planInstallationJob({ db, actor: dispatcher }, job.id, { version: job.version, lat: 30, lng: 190 })
			)
		).toMatch(/lng is out of range/);
		expect(
			await rejection(
				planInstallationJob({ db, actor: dispatcher }, job.id, { version: job.version, lat: 30 })
			)
		).toMatch(/both/);
		expect(
			await rejection(
				planInstallationJob({ db, actor: dispatcher }, job.id, {
					version: job.version,
					plannedStart: '2027-05-10',
					plannedEnd: '2027-05-01'
				})
			)
		).toMatch(/cannot be before/);
		const res = await planInstallationJob({ db, actor: dispatcher }, job.id, {
			version: job.version,
			lat: 31.5,
			lng: 121.5,
			priority: 'urgent'
		});
		expect(res.job).toMatchObject({ lat: 31.5, lng: 121.5, priority: 'urgent', version: job.version + 1 });
		await expect(
			planInstallationJob({ db, actor: dispatcher }, job.id, { version: job.version, priority: 'normal' })
		).rejects.toBeInstanceOf(ConflictError);
	});
});
