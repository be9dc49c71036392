import { sql } from 'drizzle-orm';
import { schema, type Conn } from '../db';
import { CITIES } from './cities';
import { CREWS } from './companies';
import { jitter } from './names';
import { TECHNICIANS } from './org';
import type { SeedCtx } from './context';

const SKILLS: [string, string, string][] = [
	['mechanical', '机械安装', 'Mechanical installation'],
	['electrical', '电气安装', 'Electrical installation'],
	['commissioning', '调试', 'Commissioning'],
	['inspection', '检验', 'Inspection'],
	['escalator', '扶梯安装', 'Escalator installation'],
	['maintenance', '维修保养', 'Maintenance'],
	['rescue', '困人救援', 'Passenger rescue'],
	['welding', '焊接', 'Welding']
];

/** Skills, crews with a base, technicians in crews with their certificates. */
export function seedTeams(ctx: SeedCtx): void {
	const { load, clock } = ctx;
	const rng = ctx.rng.fork('teams');
	const skillIds = load.insert(
		schema.skills,
		SKILLS.map(([code, name, nameEn]) => ({ code, name, nameEn }))
	);
	SKILLS.forEach(([code], i) => (ctx.skills[code] = skillIds[i]));

	const byCode = new Map(ctx.companies.map((c) => [c.code, c]));
	const crewRows = CREWS.map((c, i) => {
		const base = jitter(rng, CITIES[c.city], 0.03);
		return {
			companyId: byCode.get(c.company)!.id,
			name: c.name,
			leaderId: ctx.users[`installer${i * 2 + 1}`],
			baseCity: CITIES[c.city].city,
			baseLat: base.lat,
			baseLng: base.lng
		};
	});
	const crewIds = load.insert(schema.crews, crewRows);
	const members: { crewId: number; userId: number }[] = [];
	CREWS.forEach((c, i) => {
		const ids = [ctx.users[`installer${i * 2 + 1}`], ctx.users[`installer${i * 2 + 2}`]];
		for (const userId of ids) members.push({ crewId: crewIds[i], userId });
		byCode
			.get(c.company)!
			.crews.push({ id: crewIds[i], lat: crewRows[i].baseLat, lng: crewRows[i].baseLng, members: ids });
	});
	load.add(schema.crewMembers, members);

	// Certificates: most valid for years, a few expiring within the month, one already expired.
	const skillRows: {
		userId: number;
		skillId: number;
		certificateNo: string | null;
		certificateExpiresOn: string | null;
	}[] = [];
	for (let n = 1; n <= TECHNICIANS; n++) {
		const codes = [
			'mechanical',
			'electrical',
			...rng.sample(
				['commissioning', 'inspection', 'escalator', 'maintenance', 'rescue', 'welding'],
				rng.int(1, 4)
			)
		];
		codes.forEach((code, k) => {
			const certified = code !== 'welding' || rng.chance(0.5);
			const expiresIn =
				n === 3 && k === 0 ? -12 : n % 4 === 2 && k === 1 ? rng.int(5, 28) : rng.int(60, 1100);
			skillRows.push({
				userId: ctx.users[`installer${n}`],
				skillId: ctx.skills[code],
				certificateNo: certified ? `TS${rng.int(11, 44)}-${rng.int(2019, 2025)}-${rng.digits(6)}` : null,
				certificateExpiresOn: certified ? clock.day(expiresIn) : null
			});
		});
	}
	load.add(schema.technicianSkills, skillRows);
}

/**
 * A crew's capacity (sites at once) from what the demo data booked it for: its busiest day from
 * today on plus two free places, so the dispatcher sees crews that are nearly full and can still
 * book, and a double booking is refused only where the crew really is full.
 */
export async function sizeCrews(tx: Conn, today: string): Promise<void> {
	await tx.execute(sql`
		update crews c set capacity = least(100, greatest(2, coalesce(p.peak, 0) + 2))
		from (
			select c2.id, (
				select max(n) from (
					select d, count(*) as n
					from installation_jobs j,
						generate_series(greatest(j.planned_start, ${today}::date), j.planned_end, interval '1 day') d
					where j.crew_id = c2.id and j.status in ('assigned', 'in_progress', 'inspection')
					group by d
				) x
			) as peak
			from crews c2
		) p
		where p.id = c.id`);
}
