import { asc, eq, inArray, sql } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, can } from '../authz';
import { parseId } from '../validate';
import { currentCursor } from '../realtime/stream';
import { getOrder } from './orders';
import { entitlement, listComments } from './approval-actions';
import { describeRoute, routeOfOrder } from './approval-route';
import { CHANGEABLE, listChanges } from './order-changes';
import type { Ctx } from './context';

const { approvalSteps, approvalDecisions } = schema;

/**
 * An order's page as it follows the order through approval: the order, every step of every
 * round with its decisions, the comment thread, the route a draft would take, what the viewer
 * may do, and the stream position the data was read at (the page catches up from there).
 */
export async function orderPage(ctx: Ctx, rawId: unknown) {
	const a = authorize(ctx.actor, 'orders.read');
	const id = parseId(rawId, a.locale);
	const cursor = await currentCursor(ctx.db);
	const order = await getOrder(ctx, id); // scope check: out of scope reads as not found
	const { db } = ctx;
	const decisions = await db
		.select({
			stepId: approvalDecisions.stepId,
			decision: approvalDecisions.decision,
			reason: approvalDecisions.reason,
			at: approvalDecisions.at,
			deciderName: sql<string>`(select display_name from users u where u.id = ${approvalDecisions.deciderId})`,
			onBehalfOfName: sql<
				string | null
			>`(select display_name from users u where u.id = ${approvalDecisions.onBehalfOfId})`
		})
		.from(approvalDecisions)
		.innerJoin(approvalSteps, eq(approvalSteps.id, approvalDecisions.stepId))
		.where(eq(approvalSteps.orderId, id))
		.orderBy(asc(approvalDecisions.at));
	const [comments, ruleNames, preview, changes] = await Promise.all([
		listComments(db, id),
		order.approvalSteps.length
			? db
					.select({ id: approvalSteps.id, ruleName: approvalSteps.ruleName, version: approvalSteps.version })
					.from(approvalSteps)
					.where(
						inArray(
							approvalSteps.id,
							order.approvalSteps.map((s) => s.id)
						)
					)
			: Promise.resolve([]),
		order.order.status === 'draft' ? routeOfOrder(db, a, id).then((r) => describeRoute(db, r.route)) : null,
		listChanges(db, id)
	]);
	const steps = order.approvalSteps.map((s) => {
		const extra = ruleNames.find((r) => r.id === s.id);
		return {
			...s,
			ruleName: extra?.ruleName ?? null,
			version: extra?.version ?? 1,
			decisions: decisions.filter((d) => d.stepId === s.id)
		};
	});
	const mine = order.order.salesRepId === a.id;
	// Approval actions are offered only to someone the pending step is for (role or substitute).
	const pending = order.approvalSteps.find((s) => s.status === 'pending');
	const [pendingRow] = pending
		? await db.select().from(approvalSteps).where(eq(approvalSteps.id, pending.id))
		: [];
	const entitled =
		!!pendingRow && can(a, 'approvals.decide') && !mine && !!(await entitlement(db, a, pendingRow));
	return {
		order,
		steps,
		comments,
		route: preview,
		changes,
		cursor,
		may: {
			edit:
				can(a, 'orders.write') &&
				['draft', 'submitted', 'in_approval', 'rejected'].includes(order.order.status),
			submit: can(a, 'orders.write') && order.order.status === 'draft',
			decide: entitled,
			comment: true,
			change:
				can(a, 'orders.write') &&
				(CHANGEABLE as readonly string[]).includes(order.order.status) &&
				!changes.some((c) => c.status === 'pending')
		}
	};
}
export type OrderPage = Awaited<ReturnType<typeof orderPage>>;
