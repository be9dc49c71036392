import { inArray, sql } from 'drizzle-orm';
import { rows, schema, type Db } from '../db';
import { runCommand } from '../events/command';
import { emitAlert } from './alerts';

const { alerts } = schema;

/** A running step is late once it has taken this much more than its standard hours… */
export const OVERRUN_FACTOR = 1.25;
/** …and at least this many hours more (a one-hour step is not late after 75 minutes). */
export const OVERRUN_MIN_HOURS = 0.5;

/**
 * Raises a late_step alert for each step that runs late against the plan: not done and its
 * planned end day is before today (China time), or in progress well past its standard hours.
 *
 * One step gets one alert per episode: not while one is open or acknowledged (the partial
 * unique index; ON CONFLICT DO NOTHING makes sweeps on several nodes at once safe), and not
 * again after it was closed unless the step has changed since (re-planned, paused, resumed).
 * Steps another transaction holds (a terminal finishing one this instant) are skipped this
 * round rather than waited for.
 */
export async function sweepLateSteps(db: Db, now?: Date, limit = 500): Promise<{ raised: number }> {
	// The database's clock by default, the one steps' updated_at is written with; tests pass their own.
	const at = now ? sql`${now.toISOString()}::timestamptz` : sql`now()`;
	const today = sql`(${at} at time zone 'Asia/Shanghai')::date`;
	return runCommand(db, async (tx, emit) => {
		const inserted = await rows<{ id: number }>(
			tx,
			sql`
			with late as (
				select s.id as step_id, s.company_id, s.work_order_id, s.work_centre_id, s.planned_end,
					s.standard_hours, w.number, c.name as centre,
					s.planned_end is not null and s.planned_end < ${today} as past_end,
					(s.worked_seconds + coalesce(extract(epoch from (${at} - s.run_started_at)), 0)) / 3600.0 as worked_h
				from work_order_steps s
				join work_orders w on w.id = s.work_order_id
				join work_centres c on c.id = s.work_centre_id
				where s.status <> 'done'
					and w.status not in ('done', 'cancelled')
					and (
						s.planned_end < ${today}
						or (s.status = 'in_progress'
							and s.worked_seconds + coalesce(extract(epoch from (${at} - s.run_started_at)), 0)
								> greatest(s.standard_hours * ${OVERRUN_FACTOR}, s.standard_hours + ${OVERRUN_MIN_HOURS}) * 3600)
					)
					and not exists (
						select 1 from alerts a
						where a.step_id = s.id and a.kind = 'late_step'
							and (a.status <> 'closed' or a.raised_at >= s.updated_at)
					)
				order by s.id
				limit ${limit}
				for share of s skip locked
			)
			insert into alerts (company_id, kind, message, work_order_id, step_id, work_centre_id, raised_at)
			select company_id, 'late_step',
				number || ' · ' || centre || case
					when past_end then '：计划 ' || to_char(planned_end, 'YYYY-MM-DD') || ' 完成，已落后于计划'
					else '：已用 ' || round(worked_h::numeric, 1) || ' 小时，超出标准工时 ' || standard_hours || ' 小时'
				end,
				work_order_id, step_id, work_centre_id, ${at}
			from late
			on conflict (step_id) where kind = 'late_step' and status <> 'closed' do nothing
			returning id`
		);
		if (inserted.length === 0) return { raised: 0 };
		const raised = await tx
			.select()
			.from(alerts)
			.where(inArray(alerts.id, inserted.map((r) => Number(r.id))))
			.orderBy(alerts.id);
		for (const row of raised) await emitAlert(emit, row, 'alert.raised', null);
		return { raised: raised.length };
	});
}

/** Runs the sweep every `everyMs` on this node until stopped; a failed run is logged and retried next time. */
export function startLateStepSweep(db: Db, everyMs = 60_000): () => void {
	let running = false;
	const tick = async () => {
		if (running) return;
		running = true;
		try {
			// Drain in batches so a backlog (e.g. after a holiday) clears in one tick.
			for (let i = 0; i < 20; i++) if ((await sweepLateSteps(db)).raised < 500) break;
		} catch (e) {
			console.error('late step sweep failed', e);
		} finally {
			running = false;
		}
	};
	const timer = setInterval(tick, everyMs);
	timer.unref();
	void tick();
	return () => clearInterval(timer);
}
