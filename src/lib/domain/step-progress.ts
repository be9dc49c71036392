import type { StepStatus, TerminalAction } from './statuses';

/** What a shop-floor worker can do to a work-order step, and from which states. */
export const STEP_ACTIONS = ['start', 'pause', 'finish'] as const;
export type StepAction = (typeof STEP_ACTIONS)[number];

const FROM: Record<StepAction, readonly StepStatus[]> = {
	start: ['pending', 'ready', 'paused'],
	pause: ['in_progress'],
	finish: ['in_progress', 'paused']
};
const TO: Record<StepAction, StepStatus> = { start: 'in_progress', pause: 'paused', finish: 'done' };

/** The step's next status, or null when the action does not apply to its current one. */
export function nextStepStatus(status: StepStatus, action: StepAction): StepStatus | null {
	return FROM[action].includes(status) ? TO[action] : null;
}

/**
 * Why a terminal action cannot apply to a step (null: it can). The terminal is stricter than
 * the planner's manual progress: a step starts only once the step before it is done, and
 * "report problem" blocks any step not yet done. The browser runs the same rule to show
 * queued actions before the server has answered.
 */
export type Refusal = 'not_started' | 'previous_not_done' | 'blocked' | 'already_done' | 'not_applicable';

export function terminalRefusal(status: StepStatus, action: TerminalAction, previousDone: boolean): Refusal | null {
	if (status === 'done') return 'already_done';
	if (action === 'problem') return null;
	if (status === 'blocked') return 'blocked';
	if (action === 'start') {
		if (!previousDone && status !== 'paused') return 'previous_not_done';
		return nextStepStatus(status, 'start') ? null : 'not_applicable';
	}
	if (status === 'pending' || status === 'ready') return 'not_started';
	return nextStepStatus(status, action) ? null : 'not_applicable';
}

/** The status after a terminal action that applies. */
export function terminalNext(status: StepStatus, action: TerminalAction): StepStatus {
	return action === 'problem' ? 'blocked' : (nextStepStatus(status, action) ?? status);
}

/** How a job looks on a station's screen, in the order the checks are made. */
export const JOB_STATES = ['in_progress', 'blocked', 'paused', 'waiting_previous', 'waiting_material', 'ready'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobFacts {
	status: StepStatus;
	/** Every earlier step of the work order is done. */
	previousDone: boolean;
	/** An andon raised on the step is not closed yet. */
	openAndon: boolean;
	/** Parts are missing with no known date. */
	shortage: boolean;
	/** The day missing parts are expected (YYYY-MM-DD), if any. */
	materialReadyOn: string | null;
	/** Today in the factory's time zone (YYYY-MM-DD). */
	today: string;
}

export function jobState(f: JobFacts): JobState {
	if (f.status === 'in_progress') return 'in_progress';
	if (f.status === 'blocked' || f.openAndon) return 'blocked';
	if (f.status === 'paused') return 'paused';
	if (!f.previousDone) return 'waiting_previous';
	if (f.shortage || (f.materialReadyOn !== null && f.materialReadyOn > f.today)) return 'waiting_material';
	return 'ready';
}
