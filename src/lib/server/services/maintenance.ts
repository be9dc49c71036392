import { sql } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { rows, type Db, type Tx } from '../db';
import { realtime } from '../realtime/hub';
import { chinaDayEnd } from '../../domain/service-sla';
import { horizonFrom, visitDays } from '../../domain/maintenance';
import { nextNumbers } from './order-common';
import { chinaToday, ticketPayload, type TicketPayload } from './tickets-common';
import { ticketNumbers } from './tickets';
import { autoAssignment } from './tickets-assign';
import { loadWorkforce, openOn, rankFor } from './tickets-rank';

/**
 * Planned maintenance visits: every active plan gets one 'maintenance' ticket per due day up to
 * HORIZON_DAYS ahead, auto-assigned like a call, so the visits show on the dispatcher's map in
 * time. Plans go in batches, each one transaction: plans locked with SKIP LOCKED (another node's
 * sweep takes the others), tickets inserted in one statement with ON CONFLICT DO NOTHING on
 * (plan, day), so two runs at once, or a run after a crash, never make a visit twice.
 */

export const SWEEP_BATCH = 2000;
/** Visits are generated (and their reasons written) in the group's working language. */
const SYSTEM_LOCALE = 'zh-CN';

type PlanRow = {
	id: number;
	companyId: number;
	companyCode: string;
	unitId: number;
	intervalDays: number;
	nextDueOn: string;
	serialNo: string;
	city: string | null;
	address: string | null;
	lat: number | null;
	lng: number | null;
};

export interface GenerateOptions {
	/** The last day to generate (default today + HORIZON_DAYS, China time). */
	through?: string;
	now?: Date;
	batch?: number;
}

export async function generateVisits(
	db: Db,
	opts: GenerateOptions = {}
): Promise<{ created: number; plans: number }> {
	const now = opts.now ?? new Date();
	const today = chinaToday(now);
	const through = opts.through ?? horizonFrom(today);
	const total = { created: 0, plans: 0 };
	if (through < today) return total;
	for (;;) {
		let emitted = false;
		const batch = await db.transaction(async (tx) => {
			const r = await generateBatch(tx, today, through, now, opts.batch ?? SWEEP_BATCH);
			emitted = r.created > 0;
			return r;
		});
		// As runCommand does: the event tail is woken only after the commit.
		if (emitted) realtime()?.committed();
		total.created += batch.created;
		total.plans += batch.plans;
		if (batch.plans < (opts.batch ?? SWEEP_BATCH)) return total;
	}
}

async function generateBatch(tx: Tx, today: string, through: string, now: Date, limit: number) {
	const plans = await rows<PlanRow>(
		tx,
		sql`select p.id, p.company_id as "companyId", c.code as "companyCode", p.unit_id as "unitId",
				p.interval_days as "intervalDays", p.next_due_on::text as "nextDueOn", u.serial_no as "serialNo",
				s.city, s.address, s.lat, s.lng
			from maintenance_plans p
			join units u on u.id = p.unit_id
			join companies c on c.id = p.company_id
			left join sites s on s.id = u.site_id
			where p.active = 1 and p.next_due_on <= ${through}::date
			order by p.id
			limit ${limit}
			for update of p skip locked`
	);
	if (plans.length === 0) return { created: 0, plans: 0 };
	const w = await loadWorkforce(tx, [...new Set(plans.map((p) => Number(p.companyId)))], today);
	// Each day's load per technician, updated as visits are handed out, so they spread.
	const loads = new Map<string, ReturnType<typeof openOn>>();
	const loadOn = (day: string) => loads.get(day) ?? loads.set(day, openOn(w, day)).get(day)!;
	const visits: Record<string, unknown>[] = [];
	const advance: { id: number; next: string; through: string }[] = [];
	const perCompany = new Map<string, number>();
	for (const p of plans) {
		const { days, nextDueOn } = visitDays(p, today, through);
		advance.push({ id: Number(p.id), next: nextDueOn, through });
		for (const day of days) {
			const need = {
				companyId: Number(p.companyId),
				kind: 'maintenance' as const,
				priority: 'normal' as const,
				lat: p.lat,
				lng: p.lng,
				plannedOn: day
			};
			const open = loadOn(day);
			const a = autoAssignment(w, need, rankFor(w, need, open), SYSTEM_LOCALE, now);
			if (a.technicianId !== null) {
				const o = open.get(a.technicianId) ?? {};
				o.normal = (o.normal ?? 0) + 1;
				open.set(a.technicianId, o);
			}
			perCompany.set(p.companyCode, (perCompany.get(p.companyCode) ?? 0) + 1);
			visits.push({
				plan: p,
				company_id: p.companyId,
				company_code: p.companyCode,
				unit_id: p.unitId,
				kind: 'maintenance',
				priority: 'normal',
				status: a.status,
				description: m.svc_visit_description({ days: p.intervalDays }, { locale: SYSTEM_LOCALE }),
				technician_id: a.technicianId,
				crew_id: a.crewId,
				assignment_reason: a.assignmentReason,
				assigned_at: a.assignedAt?.toISOString() ?? null,
				respond_by: chinaDayEnd(day).toISOString(),
				maintenance_plan_id: p.id,
				planned_on: day,
				created_at: now.toISOString()
			});
		}
	}
	// Numbers per company, one upsert each, always in the same order so two runs never deadlock
	// on the counters; a visit that already exists leaves a gap in the numbers, never a clash.
	const numbers = new Map<string, string[]>();
	for (const [code, n] of [...perCompany].sort(([a], [b]) => (a < b ? -1 : 1))) {
		const { prefix, existing } = ticketNumbers(code, today);
		numbers.set(code, await nextNumbers(tx, prefix, existing, n));
	}
	for (const v of visits) v.number = numbers.get(v.company_code as string)!.shift();
	const inserted = visits.length
		? await rows<{ id: number; plan: number; day: string; version: number }>(
				tx,
				sql`insert into service_tickets (company_id, number, unit_id, kind, priority, status, description, technician_id,
						crew_id, assignment_reason, assigned_at, respond_by, maintenance_plan_id, planned_on, created_at, updated_at)
					select company_id, number, unit_id, kind, priority, status, description, technician_id, crew_id,
						assignment_reason, assigned_at, respond_by, maintenance_plan_id, planned_on, created_at, created_at
					from json_to_recordset(${JSON.stringify(visits.map(({ plan: _, ...v }) => v))}::json) as x(company_id int, number text, unit_id int,
						kind text, priority text, status text, description text, technician_id int, crew_id int,
						assignment_reason text, assigned_at timestamptz, respond_by timestamptz, maintenance_plan_id int,
						planned_on date, created_at timestamptz)
					on conflict (maintenance_plan_id, planned_on) where maintenance_plan_id is not null do nothing
					returning id, maintenance_plan_id as plan, planned_on::text as day, version`
			)
		: [];
	await tx.execute(sql`
		update maintenance_plans p
		set next_due_on = x.next, generated_through = x.through, version = p.version + 1, updated_at = now()
		from json_to_recordset(${JSON.stringify(advance)}::json) as x(id int, next date, through date)
		where p.id = x.id`);
	if (inserted.length) {
		// The events' payloads from what is in hand: the same fields as any ticket's (ticketPayload).
		const byKey = new Map(visits.map((v) => [`${v.maintenance_plan_id}:${v.planned_on}`, v]));
		const names = new Map(w.technicians.map((t) => [t.userId, t.name]));
		await appendCreated(
			tx,
			inserted.map((r) => {
				const v = byKey.get(`${r.plan}:${r.day}`)!;
				const p = v.plan as PlanRow;
				return {
					id: Number(r.id),
					companyId: Number(p.companyId),
					number: v.number as string,
					unitId: Number(p.unitId),
					serialNo: p.serialNo,
					kind: 'maintenance',
					priority: 'normal',
					status: v.status as 'new' | 'assigned',
					description: v.description as string,
					technicianId: (v.technician_id as number | null) ?? null,
					technicianName: v.technician_id ? (names.get(v.technician_id as number) ?? null) : null,
					crewId: (v.crew_id as number | null) ?? null,
					respondBy: new Date(v.respond_by as string),
					createdAt: now,
					arrivedAt: null,
					resolvedAt: null,
					closedAt: null,
					plannedOn: r.day,
					maintenancePlanId: Number(r.plan),
					rating: null,
					city: p.city,
					address: p.address,
					lat: p.lat,
					lng: p.lng,
					version: Number(r.version)
				};
			})
		);
	}
	return { created: inserted.length, plans: plans.length };
}

/**
 * One 'service_ticket.created' event per new visit, all in one statement with one JSON
 * parameter (a bind parameter per cell is several times slower for thousands of rows).
 */
async function appendCreated(tx: Tx, tickets: TicketPayload[]) {
	const json = JSON.stringify(
		tickets.map((t) => ({
			company_id: t.companyId,
			entity_id: t.id,
			entity_version: t.version,
			payload: ticketPayload(t)
		}))
	);
	await tx.execute(sql`
		insert into events (company_id, topic, entity, entity_id, entity_version, type, payload)
		select company_id, 'service', 'service_ticket', entity_id, entity_version, 'service_ticket.created', payload
		from json_to_recordset(${json}::json) as x(company_id int, entity_id int, entity_version int, payload jsonb)
		order by entity_id`);
}

/** Runs the generator every `everyMs` on this node (and once at start); a failed run is logged and retried next time. */
export function startMaintenanceSweep(db: Db, everyMs = 600_000): () => void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			await generateVisits(db);
		} catch (e) {
			console.error('maintenance visit generation failed', e);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(tick, everyMs);
	timer.unref();
	void tick();
	return () => clearInterval(timer);
}
