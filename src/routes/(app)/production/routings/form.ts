import type { ProductionStage } from '$lib/domain/statuses';
import type { RoutingView } from '$lib/server/services/routings';

/**
 * The routing form's state: numbers stay what the user typed; the server parses and explains.
 * The stages are edited as a list whose order the planner arranges; `seq` goes with each row.
 */
export interface StageDraft {
	/** Stable key for the {#each}: stages are added, removed and moved. */
	key: number;
	seq: string;
	stage: ProductionStage | '';
	workCentreId: number | null;
	standardHours: string;
}

export interface RoutingDraft {
	id: number | null;
	version: number | null;
	companyId: number | null;
	modelId: number | null;
	name: string;
	active: boolean;
	stages: StageDraft[];
}

let keys = 0;

export function newStage(after: StageDraft[]): StageDraft {
	const last = Math.max(0, ...after.map((s) => Number(s.seq) || 0));
	return { key: ++keys, seq: String(last + 1), stage: '', workCentreId: null, standardHours: '' };
}

export function emptyDraft(companyId: number | null, modelId: number | null): RoutingDraft {
	return { id: null, version: null, companyId, modelId, name: '', active: true, stages: [newStage([])] };
}

/** Edit a routing, or (`copy`) start a new one from its stages. */
export function draftOf(r: RoutingView, copy?: { name: string }): RoutingDraft {
	return {
		id: copy ? null : r.id,
		version: copy ? null : r.version,
		companyId: r.companyId,
		modelId: r.modelId,
		name: copy ? copy.name : r.name,
		active: copy ? false : r.active,
		stages: r.stages.map((s) => ({
			key: ++keys,
			seq: String(s.seq),
			stage: s.stage as ProductionStage,
			workCentreId: s.workCentreId,
			standardHours: String(s.standardHours)
		}))
	};
}

/** Swaps a stage with its neighbour, and their sequence numbers, so the order shown is the order saved. */
export function move(stages: StageDraft[], i: number, j: number): StageDraft[] {
	if (j < 0 || j >= stages.length) return stages;
	const out = [...stages];
	[out[i], out[j]] = [{ ...out[j], seq: out[i].seq }, { ...out[i], seq: out[j].seq }];
	return out;
}

/** The JSON the API takes: a new routing names company and model, an edit its version (not `active`: a switch of its own). */
export function inputOf(d: RoutingDraft) {
	const stages = d.stages.map((s) => ({
		seq: s.seq,
		stage: s.stage,
		workCentreId: s.workCentreId,
		standardHours: s.standardHours
	}));
	return d.id === null
		? { companyId: d.companyId, modelId: d.modelId, name: d.name, active: d.active, stages }
		: { version: d.version, name: d.name, stages };
}
