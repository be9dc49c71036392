import { z } from 'zod';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, scopeFilter } from '../authz';
import { parseInput } from '../validate';
import { TICKET_KINDS, TICKET_PRIORITIES, TICKET_STATUSES } from '../../domain/statuses';
import { listQuery, opt, optBool, optId, ordering, ilike, type Page } from './list';
import type { Ctx } from './context';

const { serviceTickets, units, sites, users, companies } = schema;

export const TICKET_SORTS = ['respondBy', 'createdAt', 'priority', 'number', 'status'] as const;

export const ticketsQuery = listQuery(TICKET_SORTS, {
	status: opt(z.enum(TICKET_STATUSES)),
	priority: opt(z.enum(TICKET_PRIORITIES)),
	kind: opt(z.enum(TICKET_KINDS)),
	companyId: optId(),
	/** Open tickets past their response target. */
	overdue: optBool()
});

/** Priority sorts by urgency, not alphabetically. */
const priorityRank = sql`array_position(array['trapped','urgent','high','normal','low']::text[], ${serviceTickets.priority})`;

const sortColumns = {
	respondBy: serviceTickets.respondBy,
	createdAt: serviceTickets.createdAt,
	priority: priorityRank,
	number: serviceTickets.number,
	status: serviceTickets.status
} as const;

const overdue = sql<boolean>`(${serviceTickets.respondBy} < now() and ${serviceTickets.arrivedAt} is null and ${serviceTickets.status} in ('new','assigned','en_route'))`;

export async function listServiceTickets({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'service.read');
	const q = parseInput(ticketsQuery, input, a.locale);
	const conds: (SQL | undefined)[] = [
		scopeFilter(a, serviceTickets.companyId),
		q.status && eq(serviceTickets.status, q.status),
		q.priority && eq(serviceTickets.priority, q.priority),
		q.kind && eq(serviceTickets.kind, q.kind),
		q.companyId !== undefined ? eq(serviceTickets.companyId, q.companyId) : undefined,
		q.overdue === true ? overdue : undefined,
		q.q
			? sql`(${ilike(serviceTickets.number, q.q)} or ${ilike(units.serialNo, q.q)} or ${ilike(serviceTickets.description, q.q)} or ${ilike(sites.address, q.q)})`
			: undefined
	];
	const where = and(...conds);
	const sort = q.sort ?? 'respondBy';
	const dir = q.dir ?? 'asc';
	const [rows, [{ n }]] = await Promise.all([
		db
			.select({
				id: serviceTickets.id,
				companyId: serviceTickets.companyId,
				companyCode: companies.code,
				number: serviceTickets.number,
				unitId: units.id,
				serialNo: units.serialNo,
				city: sites.city,
				address: sites.address,
				kind: serviceTickets.kind,
				priority: serviceTickets.priority,
				status: serviceTickets.status,
				description: serviceTickets.description,
				technicianName: users.displayName,
				respondBy: serviceTickets.respondBy,
				arrivedAt: serviceTickets.arrivedAt,
				resolvedAt: serviceTickets.resolvedAt,
				plannedOn: serviceTickets.plannedOn,
				overdue,
				rating: serviceTickets.rating,
				createdAt: serviceTickets.createdAt,
				version: serviceTickets.version
			})
			.from(serviceTickets)
			.innerJoin(units, eq(units.id, serviceTickets.unitId))
			.innerJoin(companies, eq(companies.id, serviceTickets.companyId))
			.leftJoin(sites, eq(sites.id, units.siteId))
			.leftJoin(users, eq(users.id, serviceTickets.technicianId))
			.where(where)
			.orderBy(...ordering(sortColumns[sort], dir, serviceTickets.id))
			.limit(q.pageSize)
			.offset((q.page - 1) * q.pageSize),
		db
			.select({ n: count() })
			.from(serviceTickets)
			.innerJoin(units, eq(units.id, serviceTickets.unitId))
			.leftJoin(sites, eq(sites.id, units.siteId))
			.where(where)
	]);
	return { rows, total: Number(n), page: q.page, pageSize: q.pageSize, sort, dir } satisfies Page<unknown>;
}
export type TicketRow = Awaited<ReturnType<typeof listServiceTickets>>['rows'][number];
