import { and, asc, eq, inArray, isNull, ne, notInArray, or, sql } from 'drizzle-orm';
import { schema, type Conn } from '../db';
import { authorize, assertInScope, type Actor } from '../authz';
import { parseId } from '../validate';
import { routeFor, type OrderFacts, type PolicyRule, type Route } from '../../domain/approval-policy';
import { isNonStandard } from '../../domain/order-entry';
import { chinaToday } from './order-common';
import type { Ctx } from './context';

const { approvalRules, approvalRuleSteps, orders, orderLines, invoices, roles } = schema;

/** The policy as the admin left it: active rules for the company (and group-wide ones), with steps. */
export async function loadPolicy(db: Conn, companyId?: number): Promise<PolicyRule[]> {
	const rules = await db
		.select()
		.from(approvalRules)
		.where(
			companyId === undefined
				? undefined
				: or(isNull(approvalRules.companyId), eq(approvalRules.companyId, companyId))
		)
		.orderBy(asc(approvalRules.priority), asc(approvalRules.id));
	const steps = rules.length
		? await db
				.select()
				.from(approvalRuleSteps)
				.where(
					inArray(
						approvalRuleSteps.ruleId,
						rules.map((r) => r.id)
					)
				)
				.orderBy(asc(approvalRuleSteps.stepNo))
		: [];
	return rules.map((r) => policyRule(r, steps));
}

/** A rule row and its step rows as the pure policy sees them. */
export function policyRule(
	r: typeof approvalRules.$inferSelect,
	steps: (typeof approvalRuleSteps.$inferSelect)[]
): PolicyRule {
	return {
		id: r.id,
		companyId: r.companyId,
		name: r.name,
		priority: r.priority,
		minAmount: r.minAmount,
		maxAmount: r.maxAmount,
		minDiscountBp: r.minDiscountBp,
		customerKind: r.customerKind,
		creditExceeded: r.creditExceeded,
		maxDeliveryDays: r.maxDeliveryDays,
		nonStandardSpecs: r.nonStandardSpecs,
		autoApprove: r.autoApprove,
		active: r.active,
		steps: steps
			.filter((s) => s.ruleId === r.id)
			.map((s) => ({
				stepNo: s.stepNo,
				roleIds: s.roleIds,
				mode: s.mode,
				quorum: s.quorum,
				responseHours: s.responseHours,
				escalateRoleId: s.escalateRoleId
			}))
	};
}

const APPROVED_ONCE = [
	'approved',
	'in_production',
	'shipped',
	'installing',
	'handed_over',
	'closed'
] as const;

/**
 * What the policy looks at for one order: amount, discount, whether the customer has bought
 * before, whether the order takes them over their credit (open invoices plus this order), days
 * to delivery, and non-standard specs.
 */
export async function orderFacts(db: Conn, orderId: number): Promise<OrderFacts> {
	const [o] = await db
		.select({
			companyId: orders.companyId,
			customerId: orders.customerId,
			totalAmount: orders.totalAmount,
			discountBp: orders.discountBp,
			deliveryDate: orders.deliveryDate,
			creditLimit: schema.customers.creditLimit
		})
		.from(orders)
		.innerJoin(schema.customers, eq(schema.customers.id, orders.customerId))
		.where(eq(orders.id, orderId));
	const [[earlier], [open], lines] = await Promise.all([
		db
			.select({ n: sql<number>`count(*)::int` })
			.from(orders)
			.where(
				and(
					eq(orders.customerId, o.customerId),
					ne(orders.id, orderId),
					inArray(orders.status, [...APPROVED_ONCE])
				)
			),
		db
			.select({
				due: sql<number>`coalesce(sum(${invoices.totalAmount} - ${invoices.paidAmount}), 0)::bigint`
			})
			.from(invoices)
			.where(
				and(eq(invoices.customerId, o.customerId), notInArray(invoices.status, ['paid', 'void', 'draft']))
			),
		db
			.select({ specialRequirements: orderLines.specialRequirements })
			.from(orderLines)
			.where(eq(orderLines.orderId, orderId))
	]);
	const today = chinaToday();
	const deliveryDays = o.deliveryDate
		? Math.round((Date.parse(o.deliveryDate) - Date.parse(today)) / 86_400_000)
		: Number.MAX_SAFE_INTEGER;
	return {
		companyId: o.companyId,
		totalAmount: o.totalAmount,
		discountBp: o.discountBp,
		returning: earlier.n > 0,
		overCredit: o.creditLimit > 0 && Number(open.due) + o.totalAmount > o.creditLimit,
		deliveryDays,
		nonStandard: isNonStandard({ lines })
	};
}

/** The route with role names, for the rep to see before submitting and for the order page. */
export async function describeRoute(db: Conn, route: Route | null) {
	if (!route) return null;
	const roleRows = await db.select({ id: roles.id, name: roles.name, nameEn: roles.nameEn }).from(roles);
	const named = (ids: number[]) => roleRows.filter((r) => ids.includes(r.id));
	return {
		ruleId: route.rule.id,
		ruleName: route.rule.name,
		auto: route.auto,
		steps: route.steps.map((s) => ({
			stepNo: s.stepNo,
			mode: s.mode,
			quorum: s.quorum,
			responseHours: s.responseHours,
			roles: named(s.roleIds)
		}))
	};
}

export async function routeOfOrder(db: Conn, a: Actor, orderId: number) {
	const [o] = await db
		.select({ companyId: orders.companyId, salesRepId: orders.salesRepId })
		.from(orders)
		.where(eq(orders.id, orderId));
	assertInScope(a, o, o?.salesRepId);
	const [policy, facts] = await Promise.all([loadPolicy(db, o.companyId), orderFacts(db, orderId)]);
	return { route: routeFor(policy, facts), facts };
}

/** "Before submitting, the rep sees the route the order will take." */
export async function previewRoute({ db, actor }: Ctx, rawId: unknown) {
	const a = authorize(actor, 'orders.read');
	const id = parseId(rawId, a.locale);
	const { route, facts } = await routeOfOrder(db, a, id);
	return { route: await describeRoute(db, route), facts };
}
