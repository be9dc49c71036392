import { z } from 'zod';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema } from '../db';
import { assertInScope, authorize, type Actor } from '../authz';
import { parseId, parseInput, trimmed } from '../validate';
import { ConflictError, NotFoundError, ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { addDays, isDay } from '../../domain/days';
import { chinaToday } from './order-common';
import type { Ctx } from './context';

const { crews, crewMembers, technicianSkills, skills, users } = schema;

/**
 * Crews and their technicians' certificates: the facts the dispatch rules rank on. A crew's
 * base (where distances are measured from), capacity and active flag are edited on the version
 * the dispatcher saw; a certificate is set or removed per technician and skill. Each change is
 * an event on the installation topic, so every dispatcher's suggestions follow.
 */

const coordinate = (locale: Actor['locale'], max: number, path: string) =>
	z.number().refine((v) => Number.isFinite(v) && Math.abs(v) <= max, {
		message: m.crew_bad_coordinate({ field: path, max }, { locale })
	});

const crewInput = (locale: Actor['locale']) =>
	z
		.object({
			version: z.number().int().min(1).max(2_147_483_647),
			name: trimmed(1, 60).optional(),
			baseCity: trimmed(1, 40).optional(),
			baseLat: coordinate(locale, 90, 'baseLat').optional(),
			baseLng: coordinate(locale, 180, 'baseLng').optional(),
			capacity: z.number().int().min(1).max(100).optional(),
			active: z.boolean().optional()
		})
		.strict();

const certificateInput = (locale: Actor['locale']) =>
	z
		.object({
			userId: z.number().int().min(1).max(2_147_483_647),
			skill: trimmed(1, 40),
			certificateNo: trimmed(1, 60).nullable(),
			expiresOn: z
				.string()
				.refine(isDay, { message: m.disp_bad_day({}, { locale }) })
				.nullable()
		})
		.strict();

/** Every crew in scope with its members and each member's certificates (soonest expiry first). */
export async function crewDirectory({ db, actor }: Ctx) {
	const a = authorize(actor, 'installation.read');
	const today = chinaToday();
	const list = await db
		.select()
		.from(crews)
		.where(inArray(crews.companyId, a.companyIds.length ? [...a.companyIds] : [0]))
		.orderBy(asc(crews.companyId), asc(crews.id));
	const members = list.length
		? await db
				.select({
					crewId: crewMembers.crewId,
					userId: users.id,
					name: users.displayName,
					username: users.username
				})
				.from(crewMembers)
				.innerJoin(users, eq(users.id, crewMembers.userId))
				.where(
					inArray(
						crewMembers.crewId,
						list.map((c) => c.id)
					)
				)
				.orderBy(asc(users.username))
		: [];
	const certs = members.length
		? await db
				.select({
					userId: technicianSkills.userId,
					skill: skills.code,
					name: a.locale === 'en' ? skills.nameEn : skills.name,
					certificateNo: technicianSkills.certificateNo,
					expiresOn: technicianSkills.certificateExpiresOn
				})
				.from(technicianSkills)
				.innerJoin(skills, eq(skills.id, technicianSkills.skillId))
				.where(
					inArray(
						technicianSkills.userId,
						members.map((x) => x.userId)
					)
				)
				.orderBy(asc(technicianSkills.certificateExpiresOn))
		: [];
	const soon = addDays(today, 30);
	const state = (c: { certificateNo: string | null; expiresOn: string | null }) =>
		!c.certificateNo
			? 'none'
			: c.expiresOn && c.expiresOn < today
				? 'expired'
				: c.expiresOn && c.expiresOn < soon
					? 'expiring'
					: 'valid';
	const allSkills = await db
		.select({ code: skills.code, name: a.locale === 'en' ? skills.nameEn : skills.name })
		.from(skills)
		.orderBy(asc(skills.id));
	return {
		today,
		skills: allSkills,
		crews: list.map((c) => ({
			...c,
			active: c.active === 1,
			members: members
				.filter((x) => x.crewId === c.id)
				.map((x) => ({
					...x,
					certificates: certs.filter((k) => k.userId === x.userId).map((k) => ({ ...k, state: state(k) }))
				}))
		}))
	};
}

export async function updateCrew({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'installation.dispatch');
	const id = parseId(rawId, a.locale);
	const p = parseInput(crewInput(a.locale), input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const [row] = await tx.select().from(crews).where(eq(crews.id, id)).for('update');
		assertInScope(a, row);
		if (row.version !== p.version) throw new ConflictError('stale version', row);
		const [updated] = await tx
			.update(crews)
			.set({
				name: p.name ?? row.name,
				baseCity: p.baseCity ?? row.baseCity,
				baseLat: p.baseLat ?? row.baseLat,
				baseLng: p.baseLng ?? row.baseLng,
				capacity: p.capacity ?? row.capacity,
				active: p.active === undefined ? row.active : p.active ? 1 : 0,
				version: sql`${crews.version} + 1`,
				updatedAt: sql`now()`
			})
			.where(eq(crews.id, id))
			.returning();
		await emit({
			companyId: updated.companyId,
			topic: 'installation',
			entity: 'crew',
			entityId: updated.id,
			entityVersion: updated.version,
			type: 'crew.updated',
			payload: {
				...updated,
				active: updated.active === 1,
				before: { capacity: row.capacity, active: row.active === 1 }
			},
			actorId: a.id
		});
		return { crew: updated };
	});
}

/** Sets (or, with `remove`, deletes) one technician's certificate for a skill. */
export async function setCertificate({ db, actor }: Ctx, input: unknown, remove = false) {
	const a = authorize(actor, 'installation.dispatch');
	const p = parseInput(
		remove ? certificateInput(a.locale).pick({ userId: true, skill: true }) : certificateInput(a.locale),
		input,
		a.locale
	);
	return runCommand(db, async (tx, emit) => {
		const [member] = await tx
			.select({ crewId: crews.id, companyId: crews.companyId, version: crews.version })
			.from(crewMembers)
			.innerJoin(crews, eq(crews.id, crewMembers.crewId))
			.where(eq(crewMembers.userId, p.userId))
			.for('update', { of: crews });
		if (!member) throw new NotFoundError(m.crew_not_member({}, { locale: a.locale }));
		assertInScope(a, member);
		const [skill] = await tx.select().from(skills).where(eq(skills.code, p.skill));
		if (!skill)
			throw new ValidationError(m.crew_unknown_skill({}, { locale: a.locale }), [
				{ path: 'skill', message: m.crew_unknown_skill({}, { locale: a.locale }) }
			]);
		const where = and(eq(technicianSkills.userId, p.userId), eq(technicianSkills.skillId, skill.id));
		if (remove) await tx.delete(technicianSkills).where(where);
		else {
			const v = p as z.output<ReturnType<typeof certificateInput>>;
			await tx
				.insert(technicianSkills)
				.values({
					userId: p.userId,
					skillId: skill.id,
					certificateNo: v.certificateNo,
					certificateExpiresOn: v.expiresOn
				})
				.onConflictDoUpdate({
					target: [technicianSkills.userId, technicianSkills.skillId],
					set: { certificateNo: v.certificateNo, certificateExpiresOn: v.expiresOn }
				});
		}
		// The crew's qualifications changed: its version moves, so a stale crew edit is caught.
		const [crew] = await tx
			.update(crews)
			.set({ version: sql`${crews.version} + 1`, updatedAt: sql`now()` })
			.where(eq(crews.id, member.crewId))
			.returning();
		await emit({
			companyId: crew.companyId,
			topic: 'installation',
			entity: 'crew',
			entityId: crew.id,
			entityVersion: crew.version,
			type: remove ? 'crew.certificate_removed' : 'crew.certificate_set',
			payload: { ...p, crewId: crew.id, name: crew.name },
			actorId: a.id
		});
		return { crewId: crew.id, version: crew.version };
	});
}
