import { z } from 'zod';
import { and, count, eq, sql, type SQL } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, scopeFilter } from '../authz';
import { parseInput } from '../validate';
import { INSTALLATION_STATUSES, PRIORITIES } from '../../domain/statuses';
import { listQuery, opt, optId, ordering, ilike, type Page } from './list';
import type { Ctx } from './context';

const { installationJobs, installationJobUnits, sites, crews, orders, companies } = schema;

export const INSTALLATION_SORTS = ['plannedStart', 'number', 'status', 'city'] as const;

export const installationJobsQuery = listQuery(INSTALLATION_SORTS, {
	status: opt(z.enum(INSTALLATION_STATUSES)),
	priority: opt(z.enum(PRIORITIES)),
	companyId: optId(),
	crewId: optId()
});

const sortColumns = {
	plannedStart: installationJobs.plannedStart,
	number: installationJobs.number,
	status: installationJobs.status,
	city: sites.city
} as const;

export async function listInstallationJobs({ db, actor }: Ctx, input: unknown) {
	const a = authorize(actor, 'installation.read');
	const q = parseInput(installationJobsQuery, input, a.locale);
	const conds: (SQL | undefined)[] = [
		scopeFilter(a, installationJobs.companyId),
		q.status && eq(installationJobs.status, q.status),
		q.priority && eq(installationJobs.priority, q.priority),
		q.companyId !== undefined ? eq(installationJobs.companyId, q.companyId) : undefined,
		q.crewId !== undefined ? eq(installationJobs.crewId, q.crewId) : undefined,
		q.q
			? sql`(${ilike(installationJobs.number, q.q)} or ${ilike(sites.city, q.q)} or ${ilike(sites.address, q.q)} or ${ilike(orders.number, q.q)})`
			: undefined
	];
	const where = and(...conds);
	const sort = q.sort ?? 'plannedStart';
	const dir = q.dir ?? 'asc';
	const [rows, [{ n }]] = await Promise.all([
		db
			.select({
				id: installationJobs.id,
				companyId: installationJobs.companyId,
				companyCode: companies.code,
				number: installationJobs.number,
				orderId: orders.id,
				orderNumber: orders.number,
				siteName: sites.name,
				city: sites.city,
				address: sites.address,
				crewName: crews.name,
				status: installationJobs.status,
				priority: installationJobs.priority,
				currentStage: installationJobs.currentStage,
				plannedStart: installationJobs.plannedStart,
				plannedEnd: installationJobs.plannedEnd,
				lat: installationJobs.lat,
				lng: installationJobs.lng,
				unitCount: sql<number>`(select count(*)::int from ${installationJobUnits} u where u.job_id = ${installationJobs.id})`,
				version: installationJobs.version
			})
			.from(installationJobs)
			.innerJoin(sites, eq(sites.id, installationJobs.siteId))
			.innerJoin(orders, eq(orders.id, installationJobs.orderId))
			.innerJoin(companies, eq(companies.id, installationJobs.companyId))
			.leftJoin(crews, eq(crews.id, installationJobs.crewId))
			.where(where)
			.orderBy(...ordering(sortColumns[sort], dir, installationJobs.id))
			.limit(q.pageSize)
			.offset((q.page - 1) * q.pageSize),
		db
			.select({ n: count() })
			.from(installationJobs)
			.innerJoin(sites, eq(sites.id, installationJobs.siteId))
			.innerJoin(orders, eq(orders.id, installationJobs.orderId))
			.where(where)
	]);
	return { rows, total: Number(n), page: q.page, pageSize: q.pageSize, sort, dir } satisfies Page<unknown>;
}
export type InstallationJobRow = Awaited<ReturnType<typeof listInstallationJobs>>['rows'][number];
