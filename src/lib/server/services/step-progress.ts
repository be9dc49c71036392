import { z } from 'zod';
import { eq, sql } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, assertInScope } from '../authz';
import { parseId, parseInput } from '../validate';
import { ConflictError } from '../errors';
import { runCommand } from '../events/command';
import { STEP_ACTIONS, nextStepStatus } from '../../domain/step-progress';
import type { Ctx } from './context';

const { workOrderSteps, users } = schema;

export const stepProgressInput = z
	.object({
		action: z.enum(STEP_ACTIONS),
		/** The version the user read: a stale one is a conflict, never a silent overwrite. */
		version: z.number().int().min(1).max(2_147_483_647)
	})
	.strict();

/**
 * Start, pause or finish a work-order step. Times are the server's: a pause adds the run to
 * the worked seconds, so a reload or a lost terminal never loses time.
 */
export async function reportStepProgress({ db, actor }: Ctx, rawId: unknown, input: unknown) {
	const a = authorize(actor, 'production.report');
	const id = parseId(rawId, a.locale);
	const { action, version } = parseInput(stepProgressInput, input, a.locale);
	return runCommand(db, async (tx, emit) => {
		const [step] = await tx.select().from(workOrderSteps).where(eq(workOrderSteps.id, id)).for('update');
		assertInScope(a, step);
		// A refusal carries the step as it is now and who changed it last, for the user to judge.
		const refuse = async (why: string) => {
			const [who] = step.operatorId
				? await tx.select({ name: users.displayName }).from(users).where(eq(users.id, step.operatorId))
				: [];
			return new ConflictError(why, { ...step, operatorName: who?.name ?? null });
		};
		if (step.version !== version) throw await refuse('stale version');
		const status = nextStepStatus(step.status, action);
		if (!status) throw await refuse(`cannot ${action} a step that is ${step.status}`);
		const runSeconds = sql`coalesce(extract(epoch from now() - ${workOrderSteps.runStartedAt})::int, 0)`;
		const [updated] = await tx
			.update(workOrderSteps)
			.set({
				status,
				version: sql`${workOrderSteps.version} + 1`,
				updatedAt: sql`now()`,
				operatorId: a.id,
				...(action === 'start'
					? { runStartedAt: sql`now()`, startedAt: sql`coalesce(${workOrderSteps.startedAt}, now())` }
					: { runStartedAt: null, workedSeconds: sql`${workOrderSteps.workedSeconds} + ${runSeconds}` }),
				...(action === 'finish' ? { finishedAt: sql`now()` } : {})
			})
			.where(eq(workOrderSteps.id, id))
			.returning();
		await emit({
			companyId: updated.companyId,
			topic: 'production',
			entity: 'work_order_step',
			entityId: updated.id,
			entityVersion: updated.version,
			type: `work_order_step.${action}`,
			// The step's new state, not a delta: applying it twice or late changes nothing.
			payload: {
				workOrderId: updated.workOrderId,
				status: updated.status,
				workedSeconds: updated.workedSeconds,
				runStartedAt: updated.runStartedAt,
				startedAt: updated.startedAt,
				finishedAt: updated.finishedAt,
				operatorId: a.id,
				operatorName: a.displayName
			},
			actorId: a.id
		});
		return updated;
	});
}
