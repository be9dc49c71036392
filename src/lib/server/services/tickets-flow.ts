import { z } from 'zod';
import { and, count, eq, isNull } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema } from '../db';
import { authorize } from '../authz';
import { parseId, parseInput, trimmed, type Locale } from '../validate';
import { ValidationError } from '../errors';
import { runCommand } from '../events/command';
import { TICKET_STATUSES, type TicketStatus } from '../../domain/statuses';
import { canMove, TICKET_FLOW } from '../../domain/service-sla';
import { emitTicket, lockTicket, updateTicket } from './tickets-common';
import { statusLabel } from './tickets-text';
import type { Ctx } from './context';

/**
 * A ticket's status moves along the flow (domain/service-sla.ts TICKET_FLOW), one step per
 * command with the version the user read: en route, on site, resolved with what was done,
 * closed with the customer's rating.
 */

const { ticketParts } = schema;

/** Blank counts as not given: the rule that needs it says so in its own words. */
const optionalText = (max: number) =>
	z.preprocess(
		(v) => (v === null || (typeof v === 'string' && v.trim() === '') ? undefined : v),
		trimmed(1, max).optional()
	);

const moveInput = (locale: Locale) =>
	z
		.object({
			to: z.enum(TICKET_STATUSES),
			version: z.number().int().min(1).max(2_147_483_647),
			resolution: optionalText(2000),
			rating: z.preprocess(
				(v) => (v === '' || v === null ? undefined : v),
				z.coerce
					.number({ error: m.svc_rating_range({}, { locale }) })
					.int(m.svc_rating_range({}, { locale }))
					.min(1, m.svc_rating_range({}, { locale }))
					.max(5, m.svc_rating_range({}, { locale }))
					.optional()
			),
			ratingComment: optionalText(500)
		})
		.strict();

const field = (path: string, message: string) => new ValidationError(message, [{ path, message }]);

export async function moveTicket(ctx: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(ctx.actor, 'service.write');
	const id = parseId(rawId, a.locale);
	const v = parseInput(moveInput(a.locale), input, a.locale);
	const o = { locale: a.locale };
	return runCommand(ctx.db, async (tx, emit) => {
		const row = await lockTicket(tx, a, id, v.version);
		const to: TicketStatus = v.to;
		if (to === 'assigned') throw new ValidationError(m.svc_assign_needs_technician({}, o));
		if (!canMove(row.status, to)) {
			const next = TICKET_FLOW[row.status].map((s) => statusLabel(s, a.locale));
			throw new ValidationError(
				m.svc_bad_transition(
					{
						from: statusLabel(row.status, a.locale),
						to: statusLabel(to, a.locale),
						next: next.length ? next.join(' / ') : '—'
					},
					o
				)
			);
		}
		const now = new Date();
		const set: Parameters<typeof updateTicket>[2] = { status: to };
		if (to === 'en_route') set.enRouteAt = now;
		if (to === 'on_site') set.arrivedAt = now;
		if (to === 'resolved') {
			if (!v.resolution) throw field('resolution', m.svc_resolution_required({}, o));
			Object.assign(set, { resolvedAt: now, resolution: v.resolution });
		}
		if (to === 'closed') {
			if (v.rating === undefined) throw field('rating', m.svc_rating_range({}, o));
			// Reserved stock must go out or back before the books close on the ticket.
			const [{ n }] = await tx
				.select({ n: count() })
				.from(ticketParts)
				.where(and(eq(ticketParts.ticketId, id), isNull(ticketParts.issuedAt)));
			if (n > 0) throw new ValidationError(m.svc_close_parts_pending({ n }, o));
			Object.assign(set, { closedAt: now, rating: v.rating, ratingComment: v.ratingComment ?? null });
		}
		const updated = await updateTicket(tx, id, set);
		await emitTicket(emit, updated, `service_ticket.${to}`, a.id, { from: row.status });
		return updated;
	});
}
