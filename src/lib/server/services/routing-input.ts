import { z } from 'zod';
import { PRODUCTION_STAGES } from '../../domain/statuses';
import { m } from '../../paraglide/messages';
import { trimmed, type Locale } from '../validate';
import { idField, numeric, twoDecimals, versionField } from './production-setup-input';

/**
 * A routing as the planner's editor sends it: a name and its stages in order, each a stage
 * code at a work centre with standard hours. Built per locale so the routing's own messages
 * are in the user's language like zod's, each on its exact field (`stages.2.standardHours`).
 */
export const MAX_STAGE_HOURS = 500;
export const MAX_STAGES = 40;

function stageSchema(locale: Locale) {
	const o = { locale };
	return z.object({
		seq: z.preprocess(numeric, z.number().int().min(1).max(999)),
		stage: z.enum(PRODUCTION_STAGES),
		workCentreId: idField(),
		standardHours: z.preprocess(
			numeric,
			z
				.number()
				.gt(0, m.wc_err_positive({}, o))
				.max(MAX_STAGE_HOURS, m.wc_err_at_most({ max: MAX_STAGE_HOURS }, o))
				.refine(twoDecimals, m.wc_err_two_decimals({}, o))
		)
	});
}

function stagesSchema(locale: Locale) {
	const o = { locale };
	return z
		.array(stageSchema(locale))
		.min(1, m.rt_err_stages_needed({}, o))
		.max(MAX_STAGES)
		.superRefine(
			(stages, ctx) => {
				// Also when another field of a stage is wrong: the planner sees every problem at once.
				const seqs = stages.map((s) => numeric((s as { seq?: unknown } | null)?.seq));
				seqs.forEach((seq, i) => {
					if (Number.isInteger(seq) && seqs.indexOf(seq) !== i)
						ctx.addIssue({ code: 'custom', path: [i, 'seq'], message: m.rt_err_seq_twice({ seq: seq as number }, o) });
				});
			},
			{ when: (p) => Array.isArray(p.value) }
		);
}

export function routingCreateSchema(locale: Locale) {
	return z.object({
		companyId: idField(),
		modelId: idField(),
		name: trimmed(1, 80),
		active: z.boolean().default(true),
		stages: stagesSchema(locale)
	});
}

/** An edit names the version read; a name, the whole stage list, or the active switch (any of them). */
export function routingUpdateSchema(locale: Locale) {
	const o = { locale };
	return z
		.object({
			version: versionField(),
			name: trimmed(1, 80).optional(),
			active: z.boolean().optional(),
			stages: stagesSchema(locale).optional()
		})
		.refine((r) => r.name !== undefined || r.active !== undefined || r.stages !== undefined, {
			message: m.rt_err_nothing({}, o)
		});
}

export type RoutingStageInput = z.output<ReturnType<typeof stageSchema>>;
