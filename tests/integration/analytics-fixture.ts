import { schema, type Db } from '../../src/lib/server/db';
import { addDays } from '../../src/lib/domain/days';
import { chinaToday } from '../../src/lib/server/services/order-common';

/**
 * A small plant with known numbers for production analytics, written straight into an empty
 * database: companies A and B, two models, work orders done in and before the range, steps
 * with exact times (China time), work in progress now and andons. The expected figures are in
 * production-analytics.test.ts beside each assertion.
 */
export const TODAY = chinaToday();
/** A moment `days` from today at `hour` o'clock, China time. */
export const at = (days: number, hour: number) =>
	new Date(`${addDays(TODAY, days)}T${String(hour).padStart(2, '0')}:00:00+08:00`);

type StepSpec = [stage: string, centre: string, std: number, status: string, start?: Date, finish?: Date, workedH?: number];

export async function makePlant(db: Db) {
	const [group] = await db.insert(schema.companyGroups).values({ name: 'Test group' }).returning();
	const [a, b] = await db
		.insert(schema.companies)
		.values([
			{ groupId: group.id, code: 'TA', name: '测试甲公司', nameEn: 'Test A' },
			{ groupId: group.id, code: 'TB', name: '测试乙公司', nameEn: 'Test B' }
		])
		.returning();
	const [rep] = await db
		.insert(schema.users)
		.values({ username: 'rep', displayName: '销售', passwordHash: 'x' })
		.returning();
	const model = (code: string) => ({
		code,
		name: `型号 ${code}`,
		nameEn: `Model ${code}`,
		kind: 'passenger' as const,
		loadsKg: [1000],
		speeds: [1.75],
		minStops: 2,
		maxStops: 30,
		maxTravelM: 100,
		doorTypes: ['center'],
		minDoorWidthMm: 800,
		maxDoorWidthMm: 1100,
		machineRoom: true,
		machineRoomLess: true,
		listPrice: 100_000_00
	});
	const [m1, m2] = await db.insert(schema.elevatorModels).values([model('M1'), model('M2')]).returning();
	const centres = new Map<string, number>();
	for (const [company, code] of [[a, 'CF'], [a, 'WR'], [b, 'CF']] as const) {
		const [c] = await db
			.insert(schema.workCentres)
			.values({ companyId: company.id, code, name: code, nameEn: code, dailyCapacityHours: '16' })
			.returning();
		centres.set(`${company.code}:${code}`, c.id);
	}
	let n = 0;
	async function workOrder(
		company: typeof a,
		m: typeof m1,
		wo: { status: string; due: number; started?: Date; finished?: Date },
		steps: StepSpec[]
	) {
		n++;
		const [customer] = await db
			.insert(schema.customers)
			.values({ companyId: company.id, code: `C${n}`, name: `客户${n}`, kind: 'developer' })
			.returning();
		const [order] = await db
			.insert(schema.orders)
			.values({ companyId: company.id, number: `SO-T-${n}`, customerId: customer.id, salesRepId: rep.id, orderDate: addDays(TODAY, -90), status: 'in_production' })
			.returning();
		const [line] = await db
			.insert(schema.orderLines)
			.values({ orderId: order.id, lineNo: 1, modelId: m.id, qty: 1, loadKg: 1000, speed: 1.75, stops: 10, travelM: 30, doorType: 'center', doorWidthMm: 900, machineRoom: true, unitPrice: 1, lineAmount: 1 })
			.returning();
		const [unit] = await db
			.insert(schema.units)
			.values({ companyId: company.id, orderId: order.id, lineId: line.id, serialNo: `EL-T-${n}`, modelId: m.id })
			.returning();
		const [w] = await db
			.insert(schema.workOrders)
			.values({
				companyId: company.id,
				number: `WO-T-${n}`,
				orderId: order.id,
				unitId: unit.id,
				status: wo.status as never,
				dueDate: addDays(TODAY, wo.due),
				startedAt: wo.started ?? null,
				finishedAt: wo.finished ?? null
			})
			.returning();
		await db.insert(schema.workOrderSteps).values(
			steps.map(([stage, centre, std, status, start, finish, workedH], i) => ({
				companyId: company.id,
				workOrderId: w.id,
				seq: i + 1,
				stage,
				workCentreId: centres.get(`${company.code}:${centre}`)!,
				standardHours: String(std),
				status: status as never,
				startedAt: start ?? null,
				finishedAt: finish ?? null,
				workedSeconds: Math.round((workedH ?? 0) * 3600)
			}))
		);
		return w;
	}

	// Company A. WO1 on time: done T-6 10:00, due T-5, 50 h from start to finish.
	const wo1 = await workOrder(a, m1, { status: 'done', due: -5, started: at(-8, 8), finished: at(-6, 10) }, [
		['car_frame', 'CF', 4, 'done', at(-8, 8), at(-8, 12), 3.5],
		['wiring', 'WR', 6, 'done', at(-7, 8), at(-6, 10), 6]
	]);
	// WO2 late: done T-6 15:00, due T-10, 79 h.
	await workOrder(a, m2, { status: 'done', due: -10, started: at(-9, 8), finished: at(-6, 15) }, [
		['car_frame', 'CF', 3, 'done', at(-9, 8), at(-9, 10), 2],
		['wiring', 'WR', 6, 'done', at(-7, 9), at(-6, 15), 5]
	]);
	// WO3 in progress: car frame done T-2 (6 h), wiring running at WR.
	await workOrder(a, m1, { status: 'in_progress', due: 20, started: at(-2, 8) }, [
		['car_frame', 'CF', 4, 'done', at(-2, 8), at(-2, 14), 6],
		['wiring', 'WR', 6, 'in_progress', at(-1, 8)]
	]);
	// WO4 released (car frame ready at CF), WO5 blocked at CF.
	await workOrder(a, m1, { status: 'released', due: 30 }, [
		['car_frame', 'CF', 4, 'ready'],
		['wiring', 'WR', 6, 'pending']
	]);
	const wo5 = await workOrder(a, m2, { status: 'in_progress', due: 30, started: at(-1, 9) }, [
		['car_frame', 'CF', 3, 'blocked', at(-1, 9)],
		['wiring', 'WR', 6, 'pending']
	]);
	// WO6 done two months ago: outside the default range.
	await workOrder(a, m1, { status: 'done', due: -50, started: at(-61, 8), finished: at(-60, 9) }, [
		['car_frame', 'CF', 4, 'done', at(-61, 8), at(-61, 13), 5]
	]);
	// Company B. WO7 done on time T-1; WO8 paused at B's car frame centre.
	await workOrder(b, m1, { status: 'done', due: 0, started: at(-2, 8), finished: at(-1, 9) }, [
		['car_frame', 'CF', 4, 'done', at(-2, 8), at(-2, 11), 3]
	]);
	await workOrder(b, m2, { status: 'paused', due: 10, started: at(-1, 8) }, [['car_frame', 'CF', 3, 'paused', at(-1, 8)]]);

	const alert = (company: typeof a, v: Partial<typeof schema.alerts.$inferInsert>) => ({
		companyId: company.id,
		kind: 'andon' as const,
		message: 'x',
		...v
	});
	await db.insert(schema.alerts).values([
		alert(a, { reason: 'quality', raisedAt: at(-3, 10), workOrderId: wo5.id }),
		alert(a, { reason: 'quality', raisedAt: at(-4, 10), status: 'closed', closedAt: at(-4, 12), closeNote: 'ok' }),
		alert(a, { reason: 'material', raisedAt: at(-2, 10), status: 'acknowledged', acknowledgedAt: at(-2, 11) }),
		alert(a, { reason: 'material', raisedAt: at(-45, 10) }),
		alert(a, { kind: 'late_step', reason: null, raisedAt: at(-1, 10), workOrderId: wo1.id }),
		alert(b, { reason: 'equipment', raisedAt: at(-1, 10) })
	]);
	return { a: a.id, b: b.id };
}
