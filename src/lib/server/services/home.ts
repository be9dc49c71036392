import { and, count, eq, inArray, lt, sql } from 'drizzle-orm';
import { schema } from '../db';
import { can, scopeFilter, type Actor } from '../authz';
import { UnauthenticatedError } from '../errors';
import type { Ctx } from './context';

const { orders, approvalSteps, workOrders, installationJobs, serviceTickets, items, stockLevels } = schema;

export interface HomeSummary {
	orders?: { open: number; draft: number; inApproval: number; openValue: number };
	approvals?: { pending: number; overdue: number; mine: number };
	production?: { inProgress: number; late: number; planned: number };
	installation?: { unassigned: number; active: number };
	service?: { open: number; overdue: number; trapped: number };
	stock?: { low: number; items: number };
}

const OPEN_ORDER = [
	'submitted',
	'in_approval',
	'approved',
	'in_production',
	'shipped',
	'installing'
] as const;

/** The home page's figures: one card per area the actor may read, all within their data scope. */
export async function homeSummary({ db, actor }: Ctx): Promise<HomeSummary> {
	if (!actor) throw new UnauthenticatedError();
	const a: Actor = actor;
	const out: HomeSummary = {};
	const jobs: Promise<void>[] = [];
	if (can(a, 'orders.read'))
		jobs.push(
			db
				.select({
					open: sql<number>`count(*) filter (where ${inArray(orders.status, [...OPEN_ORDER])})::int`,
					draft: sql<number>`count(*) filter (where ${orders.status} = 'draft')::int`,
					inApproval: sql<number>`count(*) filter (where ${orders.status} in ('submitted','in_approval'))::int`,
					openValue: sql<number>`coalesce(sum(${orders.totalAmount}) filter (where ${inArray(orders.status, [...OPEN_ORDER])}), 0)::bigint`
				})
				.from(orders)
				.where(scopeFilter(a, orders.companyId, orders.salesRepId))
				.then(([r]) => {
					out.orders = {
						open: Number(r.open),
						draft: Number(r.draft),
						inApproval: Number(r.inApproval),
						openValue: Number(r.openValue)
					};
				})
		);
	if (can(a, 'approvals.read'))
		jobs.push(
			db
				.select({
					pending: count(),
					overdue: sql<number>`count(*) filter (where ${approvalSteps.dueAt} < now())::int`,
					mine: sql<number>`count(*) filter (where ${approvalSteps.roleIds} && (select coalesce(array_agg(role_id), '{}') from user_roles where user_id = ${a.id}))::int`
				})
				.from(approvalSteps)
				.innerJoin(orders, eq(orders.id, approvalSteps.orderId))
				.where(
					and(scopeFilter(a, approvalSteps.companyId, orders.salesRepId), eq(approvalSteps.status, 'pending'))
				)
				.then(([r]) => {
					out.approvals = { pending: Number(r.pending), overdue: Number(r.overdue), mine: Number(r.mine) };
				})
		);
	if (can(a, 'production.read'))
		jobs.push(
			db
				.select({
					inProgress: sql<number>`count(*) filter (where ${workOrders.status} in ('in_progress','paused'))::int`,
					planned: sql<number>`count(*) filter (where ${workOrders.status} in ('planned','released'))::int`,
					late: sql<number>`count(*) filter (where ${workOrders.status} not in ('done','cancelled') and ${workOrders.projectedFinish} > ${workOrders.dueDate})::int`
				})
				.from(workOrders)
				.where(scopeFilter(a, workOrders.companyId))
				.then(([r]) => {
					out.production = {
						inProgress: Number(r.inProgress),
						late: Number(r.late),
						planned: Number(r.planned)
					};
				})
		);
	if (can(a, 'installation.read'))
		jobs.push(
			db
				.select({
					unassigned: sql<number>`count(*) filter (where ${installationJobs.status} = 'unassigned')::int`,
					active: sql<number>`count(*) filter (where ${installationJobs.status} in ('assigned','in_progress','inspection'))::int`
				})
				.from(installationJobs)
				.where(scopeFilter(a, installationJobs.companyId))
				.then(([r]) => {
					out.installation = { unassigned: Number(r.unassigned), active: Number(r.active) };
				})
		);
	if (can(a, 'service.read'))
		jobs.push(
			db
				.select({
					open: sql<number>`count(*) filter (where ${serviceTickets.status} not in ('resolved','closed'))::int`,
					overdue: sql<number>`count(*) filter (where ${serviceTickets.status} in ('new','assigned','en_route') and ${lt(serviceTickets.respondBy, sql`now()`)})::int`,
					trapped: sql<number>`count(*) filter (where ${serviceTickets.priority} = 'trapped' and ${serviceTickets.status} not in ('resolved','closed'))::int`
				})
				.from(serviceTickets)
				.where(scopeFilter(a, serviceTickets.companyId))
				.then(([r]) => {
					out.service = { open: Number(r.open), overdue: Number(r.overdue), trapped: Number(r.trapped) };
				})
		);
	if (can(a, 'stock.read'))
		jobs.push(
			db
				.select({
					items: count(),
					low: sql<number>`count(*) filter (where coalesce((select sum(l.on_hand) from ${stockLevels} l where l.item_id = ${items.id}), 0) <= ${items.safetyStock})::int`
				})
				.from(items)
				.where(scopeFilter(a, items.companyId))
				.then(([r]) => {
					out.stock = { items: Number(r.items), low: Number(r.low) };
				})
		);
	await Promise.all(jobs);
	return out;
}
