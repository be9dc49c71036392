import { schema } from '../db';
import { INSTALLATION_STAGES, type InstallationStatus } from '../../domain/statuses';
import { distanceKm, nextNumber, pad, type CrewRef, type SeedCtx } from './context';
import type { BuiltOrder } from './orders';
import type { Rng } from './random';
import { addDays, daysBetween, maxDay } from './time';

type JobRow = typeof schema.installationJobs.$inferInsert;
type ProgressRow = Omit<typeof schema.installationProgress.$inferInsert, 'jobId'>;

export interface JobPlan {
	order: BuiltOrder;
	row: Omit<JobRow, 'orderId'>;
	progress: ProgressRow[];
}

const NOTES = [
	'现场勘测完成，井道尺寸符合图纸',
	'导轨安装校正完毕',
	'主机吊装就位',
	'电气接线完成，待调试',
	'慢车试运行正常',
	'自检完成，已报特检院',
	'移交物业，培训完成'
];
const PROBLEMS = [
	'井道尺寸偏差，需土建整改',
	'现场未通电，等待临时用电',
	'导轨支架预埋件缺失',
	'甲方要求变更层门装潢，暂停施工'
];

/** The nearest crew of the company, most of the time: what a dispatcher would pick. */
function crewFor(rng: Rng, crews: CrewRef[], site: { lat: number; lng: number }): CrewRef {
	const sorted = [...crews].sort((a, b) => distanceKm(a, site) - distanceKm(b, site));
	return rng.chance(0.8) ? sorted[0] : rng.pick(sorted);
}

/**
 * One installation job per order that was shipped or is being installed or handed over (and, in
 * the detail window, closed ones), at the order's site. Sets the units' status to match.
 */
export function planInstallation(ctx: SeedCtx, rng: Rng, orders: BuiltOrder[]): JobPlan[] {
	const { clock } = ctx;
	const plans: JobPlan[] = [];
	for (const o of orders) {
		const s = o.sk.status;
		if (s !== 'shipped' && s !== 'installing' && s !== 'handed_over' && !(o.detail && s === 'closed'))
			continue;
		const site = o.sk.site;
		const crew = crewFor(rng, o.sk.company.crews, site);
		let status: InstallationStatus;
		let plannedStart: string;
		let plannedEnd: string;
		let stage = -1; // index of the current stage
		if (s === 'shipped') {
			status = rng.chance(0.55) ? 'unassigned' : 'assigned';
			plannedStart = clock.day(rng.int(2, 25));
			plannedEnd = addDays(plannedStart, rng.int(25, 50));
		} else if (s === 'installing') {
			plannedStart = o.t.installDay!;
			// Most still within plan, a fifth of them overrunning it.
			const end = rng.chance(0.2) ? clock.day(-rng.int(1, 20)) : clock.day(rng.int(5, 45));
			plannedEnd = maxDay(addDays(plannedStart, rng.int(25, 55)), end);
			status = rng.chance(0.2) ? 'inspection' : 'in_progress';
			stage =
				status === 'inspection'
					? 5
					: rng.weighted([
							[0, 10],
							[1, 20],
							[2, 25],
							[3, 25],
							[4, 20]
						] as const);
			for (const u of o.units) u.status = status === 'inspection' ? 'installed' : 'installing';
		} else {
			status = 'handed_over';
			plannedStart = o.t.installDay!;
			plannedEnd = o.t.handoverDay!;
			stage = INSTALLATION_STAGES.length - 1;
		}
		const assigned = status !== 'unassigned';
		const progress: ProgressRow[] = [];
		// Active jobs always show their progress; finished ones only in the detail window.
		if (stage >= 0 && (status !== 'handed_over' || o.detail)) {
			const span = Math.max(
				1,
				Math.min(daysBetween(plannedStart, clock.today) - 1, daysBetween(plannedStart, plannedEnd))
			);
			for (let i = 0; i <= stage; i++) {
				const finished = i < stage || status === 'handed_over';
				const day = addDays(plannedStart, Math.floor((span * (i + 1)) / (stage + 1)));
				progress.push({
					stage: INSTALLATION_STAGES[i],
					percent: finished ? 100 : rng.int(10, 90),
					note: NOTES[i],
					problem: !finished && rng.chance(0.25) ? rng.pick(PROBLEMS) : null,
					reporterId: rng.pick(crew.members),
					at: clock.past(clock.at(day, rng.float(10, 18)))
				});
			}
		}
		const year = plannedStart.slice(0, 4);
		const created = clock.past(clock.at(o.t.shipDay ?? plannedStart, 9));
		plans.push({
			order: o,
			row: {
				companyId: o.sk.company.id,
				number: `IJ-${o.sk.company.code}-${year}-${pad(nextNumber(ctx, `IJ-${o.sk.company.code}-${year}`), 5)}`,
				siteId: site.id,
				crewId: assigned ? crew.id : null,
				status,
				priority: o.sk.urgent ? 'urgent' : 'normal',
				currentStage: stage >= 0 ? INSTALLATION_STAGES[stage] : null,
				plannedStart,
				plannedEnd,
				lat: site.lat,
				lng: site.lng,
				createdAt: created,
				updatedAt: progress.length ? progress[progress.length - 1].at! : created
			},
			progress
		});
	}
	return plans;
}

export function insertInstallation(ctx: SeedCtx, plans: JobPlan[]): void {
	const ids = ctx.load.insert(
		schema.installationJobs,
		plans.map((p) => ({ ...p.row, orderId: p.order.id! }))
	);
	ctx.load.add(
		schema.installationJobUnits,
		plans.flatMap((p, i) => p.order.units.map((u) => ({ jobId: ids[i], unitId: u.id! })))
	);
	ctx.load.add(
		schema.installationProgress,
		plans.flatMap((p, i) => p.progress.map((r) => ({ ...r, jobId: ids[i] })))
	);
	ctx.counts.installationJobs += plans.length;
}
