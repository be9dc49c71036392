import { z } from 'zod';
import { eq, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema } from '../db';
import { assertInScope, authorize, type Actor } from '../authz';
import { parseId, parseInput } from '../validate';
import { ConflictError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { isDay } from '../../domain/days';
import { PRIORITIES } from '../../domain/statuses';
import { refusalFor, requiredSkills } from '../../domain/dispatch';
import { jobEvent, jobState, refusalText } from './dispatch';
import { loadCrews, loadJob, skillNames } from './dispatch-data';
import type { Ctx } from './context';

const { installationJobs, crews } = schema;

/**
 * The dispatcher corrects a job's plan: its days, its map position (a site's geocode is often a
 * street off) and its priority. Days that no longer fit the job's crew are refused like a
 * double booking, under the same crew lock.
 */
const planInput = (locale: Actor['locale']) => {
	const day = z.string().refine(isDay, { message: m.disp_bad_day({}, { locale }) });
	const coordinate = (max: number, field: string) =>
		z.number().refine((v) => Number.isFinite(v) && Math.abs(v) <= max, {
			message: m.crew_bad_coordinate({ field, max }, { locale })
		});
	return z
		.object({
			version: z.number().int().min(1).max(2_147_483_647),
			plannedStart: day.optional(),
			plannedEnd: day.optional(),
			lat: coordinate(90, 'lat').optional(),
			lng: coordinate(180, 'lng').optional(),
			priority: z.enum(PRIORITIES).optional()
		})
		.strict()
		.refine((p) => (p.lat === undefined) === (p.lng === undefined), {
			path: ['lng'],
			message: m.job_plan_both_coordinates({}, { locale })
		});
};

export async function planInstallationJob({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'installation.dispatch');
	const id = parseId(rawId, a.locale);
	const p = parseInput(planInput(a.locale), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const [row] = await tx.select().from(installationJobs).where(eq(installationJobs.id, id)).for('update');
		assertInScope(a, row);
		if (row.version !== p.version) throw new ConflictError('stale version', row);
		if (row.status === 'handed_over' || row.status === 'cancelled')
			throw new ValidationError(m.disp_job_closed({ number: row.number }, { locale: a.locale }));
		const start = p.plannedStart ?? row.plannedStart;
		const end = p.plannedEnd ?? row.plannedEnd;
		if (start && end && end < start)
			throw new ValidationError(m.disp_end_before_start({}, { locale: a.locale }), [
				{ path: 'plannedEnd', message: m.disp_end_before_start({}, { locale: a.locale }) }
			]);
		let crewName: string | null = null;
		if (row.crewId) {
			const [crewRow] = await tx.select().from(crews).where(eq(crews.id, row.crewId)).for('update');
			crewName = crewRow.name;
			if (start && end && (start !== row.plannedStart || end !== row.plannedEnd)) {
				const job = (await loadJob(tx, id))!;
				const [crew] = await loadCrews(tx, row.companyId, start, [row.crewId]);
				const refusal = refusalFor(
					{
						id,
						at: { lat: job.lat ?? 0, lng: job.lng ?? 0 },
						start,
						end,
						skills: requiredSkills(job.modelKinds)
					},
					crew
				);
				// New days must still fit the crew: room on each day, certificates valid to the end.
				if (refusal && refusal.code !== 'inactive')
					throw new ValidationError(refusalText(a, crew.name, refusal, await skillNames(tx, a.locale)));
			}
		}
		const [updated] = await tx
			.update(installationJobs)
			.set({
				plannedStart: start,
				plannedEnd: end,
				lat: p.lat ?? row.lat,
				lng: p.lng ?? row.lng,
				priority: p.priority ?? row.priority,
				version: sql`${installationJobs.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(installationJobs.id, id))
			.returning();
		await emit(
			jobEvent(updated, crewName, 'installation_job.planned', a.id, {
				before: {
					plannedStart: row.plannedStart,
					plannedEnd: row.plannedEnd,
					lat: row.lat,
					lng: row.lng,
					priority: row.priority
				}
			})
		);
		return { job: jobState(updated, crewName), id };
	});
}
