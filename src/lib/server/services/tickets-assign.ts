import { z } from 'zod';
import { m } from '../../paraglide/messages';
import { assertInScope, authorize } from '../authz';
import { parseId, parseInput, type Locale } from '../validate';
import { ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { bestTechnician, type RankedTechnician } from '../../domain/technician-rank';
import { canReassign } from '../../domain/service-sla';
import { chinaToday, emitTicket, lockTicket, ticketFacts, updateTicket } from './tickets-common';
import { loadWorkforce, nobodyText, rankFor, reasonText, type NeedOf, type Workforce } from './tickets-rank';
import { statusLabel } from './tickets-text';
import type { Ctx } from './context';

/** Auto-assignment when a ticket is opened or generated, and the dispatcher's re-assignment. */

export interface AssignmentValues {
	status: 'new' | 'assigned';
	technicianId: number | null;
	crewId: number | null;
	assignmentReason: string;
	assignedAt: Date | null;
}

/** The best eligible technician's assignment with the reason, or 'new' with why nobody could take it. */
export function autoAssignment(
	w: Workforce,
	need: NeedOf,
	ranked: RankedTechnician[],
	locale: Locale,
	now: Date
): AssignmentValues {
	const best = bestTechnician(ranked);
	if (!best)
		return {
			status: 'new',
			technicianId: null,
			crewId: null,
			assignmentReason: nobodyText(w, need, ranked, locale),
			assignedAt: null
		};
	return {
		status: 'assigned',
		technicianId: best.userId,
		crewId: best.crewId,
		assignmentReason: reasonText(w, best, locale),
		assignedAt: now
	};
}

/** The company's technicians ranked for the ticket, each with the reason in the user's language. */
export async function ticketCandidates(ctx: Ctx, rawId: unknown) {
	const a = authorize(ctx.actor, 'service.read');
	const id = parseId(rawId, a.locale);
	const t = assertInScope(a, await ticketFacts(ctx.db, id));
	const w = await loadWorkforce(ctx.db, [t.companyId], chinaToday());
	const ranked = rankFor(w, t);
	return {
		ticketId: t.id,
		version: t.version,
		candidates: ranked.map((r, i) => ({
			rank: i + 1,
			userId: r.userId,
			name: r.name,
			crewId: r.crewId,
			crewName: r.crewName,
			eligible: r.eligible,
			score: r.score,
			distanceKm: r.distanceKm,
			openCount: r.openCount,
			load: r.load,
			current: r.userId === t.technicianId,
			reason: reasonText(w, r, a.locale)
		}))
	};
}

const assignInput = z
	.object({
		technicianId: z.number().int().min(1).max(2_147_483_647),
		version: z.number().int().min(1).max(2_147_483_647)
	})
	.strict();

/**
 * Gives the ticket to another technician (or a first one when nobody could be found): only one
 * of the company's crews who holds the skill with a valid certificate, until they are on site.
 */
export async function assignTicket(ctx: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(ctx.actor, 'service.write');
	const id = parseId(rawId, a.locale);
	const { technicianId, version } = parseInput(assignInput, input, a.locale);
	const o = { locale: a.locale };
	return runCommand(ctx.db, async (tx, emit) => {
		const row = await lockTicket(tx, a, id, version);
		if (!canReassign(row.status))
			throw new ValidationError(m.svc_reassign_too_late({ status: statusLabel(row.status, a.locale) }, o));
		const facts = (await ticketFacts(tx, id))!;
		const w = await loadWorkforce(tx, [row.companyId], chinaToday());
		const chosen = rankFor(w, facts).find((r) => r.userId === technicianId);
		if (!chosen)
			throw new ValidationError(m.svc_assign_not_technician({}, o), [
				{ path: 'technicianId', message: m.svc_assign_not_technician({}, o) }
			]);
		if (!chosen.eligible) {
			const message = m.svc_assign_uncertified(
				{ name: chosen.name, why: reasonText(w, chosen, a.locale) },
				o
			);
			throw new ValidationError(message, [{ path: 'technicianId', message }]);
		}
		if (chosen.userId === row.technicianId && row.status !== 'new')
			throw new ValidationError(m.svc_assign_same({ name: chosen.name }, o));
		const updated = await updateTicket(tx, id, {
			status: 'assigned',
			technicianId: chosen.userId,
			crewId: chosen.crewId,
			assignedAt: new Date(),
			enRouteAt: null,
			assignmentReason: m.svc_assigned_by({ name: a.displayName, reason: reasonText(w, chosen, a.locale) }, o)
		});
		await emitTicket(
			emit,
			updated,
			row.technicianId ? 'service_ticket.reassigned' : 'service_ticket.assigned',
			a.id,
			{
				from: row.status,
				previousTechnicianId: row.technicianId
			}
		);
		return updated;
	});
}
