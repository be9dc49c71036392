import type { StepStatus } from './statuses';

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
