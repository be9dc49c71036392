import { z } from 'zod';
import { eq } from 'drizzle-orm';
import { schema } from '../db';
import { authorize, assertInScope } from '../authz';
import { parseId, parseInput } from '../validate';
import { ConflictError } from '../errors';
import { runCommand } from '../events/command';
import { STEP_ACTIONS, nextStepStatus } from '../../domain/step-progress';
import { applyStepAction } from './step-transition';
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
 * Start, pause or finish a work-order step (the planner's manual progress on the work order
 * page). Times are the server's: a pause adds the run to the worked seconds, so a reload or a
 * lost terminal never loses time. The change itself is step-transition.ts's, as at terminals.
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
		if (!nextStepStatus(step.status, action)) throw await refuse(`cannot ${action} a step that is ${step.status}`);
		return applyStepAction(tx, emit, step, action, { actorId: a.id, actorName: a.displayName, followWorkOrder: false });
	});
}
