import { z } from 'zod';
import { and, asc, eq, ne, notInArray, or, sql, type SQL } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import { schema } from '../db';
import { authorize, can, scopeFilter } from '../authz';
import { parseInput, trimmed, type Locale } from '../validate';
import { currentCursor } from '../realtime/stream';
import { chinaToday } from './order-common';
import { ilike, opt, optDate, optId } from './list';
import { addDays, daysBetween } from '../../domain/days';
import { INSTALLATION_STATUSES, PRIORITIES, TICKET_PRIORITIES, TICKET_STATUSES } from '../../domain/statuses';
import { m } from '$lib/paraglide/messages';
import type { Ctx } from './context';

/**
 * The dispatcher's map: one read of everything a dispatcher places on it — open installation
 * jobs, open service tickets, the planned maintenance visits of the coming two weeks and the
 * crews with their home bases — in the user's companies, through the same scope filter as
 * every list. The page keeps it current from live events; `cursor` is the stream position it
 * was read at, so nothing committed meanwhile is missed.
 */
const {
	installationJobs,
	installationJobUnits,
	sites,
	orders,
	crews,
	crewMembers,
	serviceTickets,
	units,
	users
} = schema;

export const BOARD_KINDS = ['jobs', 'tickets', 'visits', 'crews'] as const;
export type BoardKind = (typeof BOARD_KINDS)[number];
/** Statuses and priorities of jobs and tickets in one filter each: a value applies where it exists. */
export const BOARD_STATUSES = [...new Set([...INSTALLATION_STATUSES, ...TICKET_STATUSES])] as [
	string,
	...string[]
];
export const BOARD_PRIORITIES = [...new Set([...TICKET_PRIORITIES, ...PRIORITIES])] as [string, ...string[]];
/** Done jobs and tickets leave the map. */
const CLOSED_JOB = ['handed_over', 'cancelled'] as const;
/** How far ahead maintenance visits show by default (the task: the coming 14 days). */
export const VISIT_DAYS = 14;
/** The longest date window a filter may ask for. */
export const MAX_WINDOW_DAYS = 366;
/** More markers than this per kind are cut (and `truncated` says so): a filter narrows them. */
export const BOARD_CAP = 10_000;

/** `kinds` comes as `jobs,tickets` from a query string or as an array from JSON. */
const kindsInput = z.preprocess(
	(v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : v.split(',').map((s) => s.trim())) : v),
	z.array(z.enum(BOARD_KINDS)).min(1).max(BOARD_KINDS.length).optional()
);

export function boardQuery(locale: Locale) {
	return z
		.object({
			companyId: optId(),
			kinds: kindsInput,
			status: opt(z.enum(BOARD_STATUSES)),
			priority: opt(z.enum(BOARD_PRIORITIES)),
			crewId: optId(),
			from: optDate(),
			to: optDate(),
			q: opt(trimmed(0, 100))
		})
		.strict()
		.superRefine((v, c) => {
			if (v.from && v.to && v.to < v.from)
				c.addIssue({ code: 'custom', path: ['to'], message: m.dmap_err_window_order({}, { locale }) });
			else if (v.from && v.to && daysBetween(v.from, v.to) > MAX_WINDOW_DAYS)
				c.addIssue({
					code: 'custom',
					path: ['to'],
					message: m.dmap_err_window_long({ days: MAX_WINDOW_DAYS }, { locale })
				});
		});
}
export type BoardQuery = z.output<ReturnType<typeof boardQuery>>;

/** A day of a moment in China time, where the sites are. */
const chinaDay = (col: SQL | typeof serviceTickets.respondBy) =>
	sql`(${col} at time zone 'Asia/Shanghai')::date`;

export async function dispatchBoard({ db, actor }: Ctx, input: unknown, now = new Date()) {
	const a = authorize(actor, 'installation.read');
	const q = parseInput(boardQuery(a.locale), input, a.locale);
	const kinds = new Set<BoardKind>(q.kinds ?? BOARD_KINDS);
	// Tickets and visits are service data: only for those who may read tickets.
	if (!can(a, 'service.read')) {
		kinds.delete('tickets');
		kinds.delete('visits');
	}
	const today = chinaToday(now);
	const cursor = await currentCursor(db);
	const company = q.companyId;

	const jobWhere = and(
		scopeFilter(a, installationJobs.companyId, orders.salesRepId),
		notInArray(installationJobs.status, [...CLOSED_JOB]),
		company !== undefined ? eq(installationJobs.companyId, company) : undefined,
		q.status ? eq(installationJobs.status, q.status as never) : undefined,
		q.priority ? eq(installationJobs.priority, q.priority as never) : undefined,
		q.crewId !== undefined ? eq(installationJobs.crewId, q.crewId) : undefined,
		q.to ? sql`coalesce(${installationJobs.plannedStart}, ${q.to}::date) <= ${q.to}::date` : undefined,
		q.from
			? sql`coalesce(${installationJobs.plannedEnd}, ${installationJobs.plannedStart}, ${q.from}::date) >= ${q.from}::date`
			: undefined,
		q.q
			? or(
					ilike(installationJobs.number, q.q),
					ilike(sites.city, q.q),
					ilike(sites.address, q.q),
					ilike(sites.name, q.q)
				)
			: undefined
	);

	const jobsQuery = () =>
		db
			.select({
				id: installationJobs.id,
				companyId: installationJobs.companyId,
				number: installationJobs.number,
				status: installationJobs.status,
				priority: installationJobs.priority,
				stage: installationJobs.currentStage,
				plannedStart: installationJobs.plannedStart,
				plannedEnd: installationJobs.plannedEnd,
				// A job without its own point sits at its site's.
				lat: sql<number | null>`coalesce(${installationJobs.lat}, ${sites.lat})`,
				lng: sql<number | null>`coalesce(${installationJobs.lng}, ${sites.lng})`,
				siteName: sites.name,
				city: sites.city,
				address: sites.address,
				crewId: installationJobs.crewId,
				crewName: crews.name,
				changeFlag: installationJobs.changeFlag,
				units: sql<number>`(select count(*)::int from ${installationJobUnits} ju where ju.job_id = ${installationJobs.id})`,
				version: installationJobs.version
			})
			.from(installationJobs)
			.innerJoin(sites, eq(sites.id, installationJobs.siteId))
			.innerJoin(orders, eq(orders.id, installationJobs.orderId))
			.leftJoin(crews, eq(crews.id, installationJobs.crewId))
			.where(jobWhere)
			// What needs a dispatcher first: unassigned, urgent, starting soonest.
			.orderBy(
				sql`${installationJobs.status} <> 'unassigned'`,
				sql`${installationJobs.priority} <> 'urgent'`,
				asc(installationJobs.plannedStart),
				asc(installationJobs.id)
			)
			.limit(BOARD_CAP + 1);

	// A ticket sits at its unit's site (or, for a unit without one, the order's).
	const unitSite = alias(sites, 'unit_site');
	const ticketSite = sql`coalesce(${units.siteId}, ${orders.siteId})`;
	const ticketsQuery = (visits: boolean) => {
		const from = q.from ?? (visits ? today : undefined);
		const to = q.to ?? (visits ? addDays(from ?? today, VISIT_DAYS - 1) : undefined);
		const crewTech =
			q.crewId !== undefined
				? or(
						eq(serviceTickets.crewId, q.crewId),
						sql`${serviceTickets.technicianId} in (select ${crewMembers.userId} from ${crewMembers} where ${crewMembers.crewId} = ${q.crewId})`
					)
				: undefined;
		const day = visits ? sql`${serviceTickets.plannedOn}` : chinaDay(serviceTickets.respondBy);
		return db
			.select({
				id: serviceTickets.id,
				companyId: serviceTickets.companyId,
				number: serviceTickets.number,
				kind: serviceTickets.kind,
				status: serviceTickets.status,
				priority: serviceTickets.priority,
				respondBy: serviceTickets.respondBy,
				plannedOn: serviceTickets.plannedOn,
				lat: unitSite.lat,
				lng: unitSite.lng,
				city: unitSite.city,
				address: unitSite.address,
				serialNo: units.serialNo,
				technicianId: serviceTickets.technicianId,
				technicianName: users.displayName,
				crewId: serviceTickets.crewId,
				version: serviceTickets.version
			})
			.from(serviceTickets)
			.innerJoin(units, eq(units.id, serviceTickets.unitId))
			.innerJoin(orders, eq(orders.id, units.orderId))
			.leftJoin(unitSite, sql`${unitSite.id} = ${ticketSite}`)
			.leftJoin(users, eq(users.id, serviceTickets.technicianId))
			.where(
				and(
					scopeFilter(a, serviceTickets.companyId, orders.salesRepId),
					ne(serviceTickets.status, 'closed'),
					visits ? sql`${serviceTickets.plannedOn} is not null` : sql`${serviceTickets.plannedOn} is null`,
					company !== undefined ? eq(serviceTickets.companyId, company) : undefined,
					q.status ? eq(serviceTickets.status, q.status as never) : undefined,
					q.priority ? eq(serviceTickets.priority, q.priority as never) : undefined,
					crewTech,
					from ? sql`${day} >= ${from}::date` : undefined,
					to ? sql`${day} <= ${to}::date` : undefined,
					q.q
						? or(
								ilike(serviceTickets.number, q.q),
								ilike(units.serialNo, q.q),
								ilike(unitSite.city, q.q),
								ilike(unitSite.address, q.q)
							)
						: undefined
				)
			)
			.orderBy(
				sql`array_position(array['trapped','urgent','high','normal','low']::text[], ${serviceTickets.priority})`,
				visits ? asc(serviceTickets.plannedOn) : asc(serviceTickets.respondBy),
				asc(serviceTickets.id)
			)
			.limit(BOARD_CAP + 1);
	};

	const crewsQuery = () =>
		db
			.select({
				id: crews.id,
				companyId: crews.companyId,
				name: crews.name,
				baseCity: crews.baseCity,
				lat: crews.baseLat,
				lng: crews.baseLng,
				capacity: crews.capacity,
				leaderName: users.displayName,
				members: sql<number>`(select count(*)::int from ${crewMembers} cm where cm.crew_id = ${crews.id})`,
				openJobs: sql<number>`(select count(*)::int from ${installationJobs} oj
					where oj.crew_id = ${crews.id} and oj.status in ('assigned', 'in_progress', 'inspection'))`,
				version: crews.version
			})
			.from(crews)
			.leftJoin(users, eq(users.id, crews.leaderId))
			.where(
				and(
					scopeFilter(a, crews.companyId),
					eq(crews.active, 1),
					company !== undefined ? eq(crews.companyId, company) : undefined,
					q.crewId !== undefined ? eq(crews.id, q.crewId) : undefined
				)
			)
			.orderBy(asc(crews.companyId), asc(crews.name), asc(crews.id));

	const none = Promise.resolve([] as never[]);
	const [jobs, tickets, visits, crewRows] = await Promise.all([
		kinds.has('jobs') ? jobsQuery() : none,
		kinds.has('tickets') ? ticketsQuery(false) : none,
		kinds.has('visits') ? ticketsQuery(true) : none,
		kinds.has('crews') ? crewsQuery() : none
	]);
	const cut = <T>(list: T[]) => list.slice(0, BOARD_CAP);
	return {
		today,
		cursor,
		query: { ...q, kinds: [...kinds] },
		jobs: cut(jobs),
		tickets: cut(tickets),
		visits: cut(visits),
		crews: crewRows,
		truncated: {
			jobs: jobs.length > BOARD_CAP,
			tickets: tickets.length > BOARD_CAP,
			visits: visits.length > BOARD_CAP
		}
	};
}

export type DispatchBoard = Awaited<ReturnType<typeof dispatchBoard>>;
export type BoardJob = DispatchBoard['jobs'][number];
export type BoardTicket = DispatchBoard['tickets'][number];
export type BoardCrew = DispatchBoard['crews'][number];
