import { schema } from '../db';
import {
	TICKET_STATUSES,
	type TicketKind,
	type TicketPriority,
	type TicketStatus
} from '../../domain/statuses';
import { RESPONSE_HOURS } from '../../domain/service-sla';
import { distanceKm, nextNumber, pad, type SeedCtx } from './context';
import { mobile, personName } from './names';
import type { BuiltOrder, BuiltUnit } from './orders';
import type { Rng } from './random';
import { daysBetween, plusHours } from './time';

const DESCRIPTIONS: Record<TicketKind, string[]> = {
	fault: [
		'电梯运行中突然停梯',
		'开关门异常，门反复开关',
		'轿厢内有异响',
		'平层不准，误差约 3 cm',
		'外呼按钮失灵',
		'电梯运行时抖动明显'
	],
	maintenance: ['半月保养', '季度保养：检查曳引钢丝绳与制动器', '年度保养及安全部件检查'],
	inspection: ['年度定期检验（特检院）', '检验前自检', '限速器校验'],
	complaint: ['业主投诉维保人员迟到', '投诉故障反复出现，要求彻底维修', '对上次维修收费有异议']
};
const SPARES = ['PCB-MB', 'DR-ROLL', 'DR-BELT', 'LC-194', 'ENC-01'];
const RATING_COMMENTS = [
	'响应及时，处理专业',
	'师傅很耐心',
	'到场偏慢，但问题解决了',
	'希望以后提前电话通知'
];

/** Service tickets (all statuses and priorities) and 15-day maintenance plans on handed-over units. */
export function seedService(ctx: SeedCtx, rng: Rng, orders: BuiltOrder[]): void {
	const { clock } = ctx;
	const handed: { order: BuiltOrder; unit: BuiltUnit }[] = [];
	for (const o of orders)
		for (const unit of o.units)
			if (unit.status === 'handed_over' || unit.status === 'in_service') handed.push({ order: o, unit });
	if (handed.length === 0) return;

	ctx.load.add(
		schema.maintenancePlans,
		handed.map(({ order, unit }) => ({
			companyId: order.sk.company.id,
			unitId: unit.id!,
			intervalDays: 15,
			nextDueOn: clock.day(rng.int(-4, 14))
		}))
	);
	ctx.counts.maintenancePlans += handed.length;

	const count = Math.max(1, Math.round(handed.length * 0.05));
	const tickets: (typeof schema.serviceTickets.$inferInsert)[] = [];
	const parts: { ticket: number; sku: string; qty: number; issuedAt: Date; companyIndex: number }[] = [];
	for (const { order, unit } of rng.sample(handed, count)) {
		const nth = ctx.counts.serviceTickets + tickets.length;
		// The first tickets cover every status, the very first is an open trapped-passenger call.
		const status: TicketStatus =
			nth < TICKET_STATUSES.length
				? TICKET_STATUSES[nth]
				: rng.weighted([
						['new', 8],
						['assigned', 8],
						['en_route', 5],
						['on_site', 6],
						['resolved', 15],
						['closed', 58]
					] as const);
		const priority: TicketPriority =
			nth === 0
				? 'trapped'
				: rng.weighted([
						['trapped', 5],
						['urgent', 10],
						['high', 20],
						['normal', 50],
						['low', 15]
					] as const);
		const kind: TicketKind =
			priority === 'trapped'
				? 'fault'
				: rng.weighted([
						['fault', 55],
						['maintenance', 25],
						['inspection', 10],
						['complaint', 10]
					] as const);
		const open = status !== 'resolved' && status !== 'closed';
		const handedDay = unit.handedOverOn!;
		const createdAt = open
			? clock.past(plusHours(clock.anchor, -rng.float(0.3, priority === 'trapped' ? 3 : 40)), 10)
			: clock.at(
					clock.day(-rng.int(2, Math.max(2, daysBetween(handedDay, clock.today) - 1))),
					rng.float(7, 21)
				);
		const respondBy = plusHours(createdAt, RESPONSE_HOURS[priority]);
		const company = order.sk.company;
		const site = order.sk.site;
		const crew = [...company.crews].sort((a, b) => distanceKm(a, site) - distanceKm(b, site))[0];
		const assigned = status !== 'new';
		const arrivedAt =
			status === 'on_site' || !open
				? clock.past(plusHours(createdAt, RESPONSE_HOURS[priority] * rng.float(0.4, 1.4)), 5)
				: null;
		const resolvedAt = !open ? clock.past(plusHours(arrivedAt!, rng.float(0.5, 6)), 5) : null;
		const closedAt = status === 'closed' ? clock.past(plusHours(resolvedAt!, rng.float(2, 48)), 5) : null;
		const rated = status === 'closed' && rng.chance(0.8);
		const year = clock.dayOf(createdAt).slice(0, 4);
		tickets.push({
			companyId: company.id,
			number: `ST-${company.code}-${year}-${pad(nextNumber(ctx, `ST-${company.code}-${year}`), 6)}`,
			unitId: unit.id!,
			kind,
			priority,
			status,
			description:
				priority === 'trapped'
					? `电梯困人，轿厢内${rng.int(1, 4)}人，${order.sk.site.cityName}`
					: rng.pick(DESCRIPTIONS[kind]),
			reportedBy: `${personName(rng)}（物业）`,
			reporterPhone: mobile(rng),
			technicianId: assigned ? rng.pick(crew.members) : null,
			crewId: assigned ? crew.id : null,
			assignmentReason: assigned
				? `距离最近的班组（${Math.round(distanceKm(crew, site))} km），具备维保技能`
				: null,
			respondBy,
			arrivedAt,
			resolvedAt,
			closedAt,
			rating: rated
				? rng.weighted([
						[5, 55],
						[4, 30],
						[3, 10],
						[2, 5]
					] as const)
				: null,
			ratingComment: rated && rng.chance(0.5) ? rng.pick(RATING_COMMENTS) : null,
			createdAt,
			updatedAt: closedAt ?? resolvedAt ?? arrivedAt ?? createdAt
		});
		if (!open && kind === 'fault' && rng.chance(0.5))
			for (const sku of rng.sample(SPARES, rng.int(1, 2)))
				parts.push({
					ticket: tickets.length - 1,
					sku,
					qty: rng.int(1, 2),
					issuedAt: resolvedAt!,
					companyIndex: company.index
				});
	}
	const ids = ctx.load.insert(schema.serviceTickets, tickets);
	ctx.load.add(
		schema.ticketParts,
		parts.map((p) => ({
			ticketId: ids[p.ticket],
			itemId: ctx.companies[p.companyIndex].items.get(p.sku)!.id,
			qty: p.qty,
			issuedAt: p.issuedAt
		}))
	);
	ctx.counts.serviceTickets += tickets.length;
}
