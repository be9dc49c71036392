import { terminalNext, terminalRefusal } from '../domain/step-progress';
import type { AndonReason, StepStatus, TerminalAction } from '../domain/statuses';
import { newKey, Outbox, type OutboxOptions, type OutboxState, type Sent } from '../client/outbox';

export { newKey };

/**
 * A terminal's presses: the shared outbox (client/outbox.ts) sending each as JSON with its
 * idempotency key; a refusal stays on screen until the worker has read it.
 */
export interface QueuedAction {
	key: string;
	stepId: number;
	action: TerminalAction;
	reason?: AndonReason;
	note?: string;
	/** When the worker pressed, on this device's clock (the server corrects it). */
	occurredAt: number;
	/** What the screen calls it while it waits, e.g. "WO-SH-2026-000123 · Start". */
	label: string;
}

export interface Attention {
	key: string;
	stepId: number;
	action: TerminalAction;
	label: string;
	message: string;
}

export interface Answer {
	outcome: 'applied' | 'refused';
	code: string | null;
	message: string;
	step: { id: number; status: StepStatus; version: number; [k: string]: unknown } | null;
	occurredAt?: string;
	replayed?: boolean;
}

export type QueueState = OutboxState<QueuedAction, Attention>;
export type QueueOptions = OutboxOptions<QueuedAction, Answer>;

const REQUEST_TIMEOUT_MS = 15_000;

/** The terminal's presses on the shared outbox, sent as JSON. */
export class ActionQueue extends Outbox<QueuedAction, Answer, Attention> {
	/** Stores a press and starts sending; returns its idempotency key. */
	enqueue(a: Omit<QueuedAction, 'key' | 'occurredAt'> & { occurredAt?: number }): string {
		const item: QueuedAction = { ...a, key: newKey(), occurredAt: a.occurredAt ?? this.now() };
		this.add(item);
		return item.key;
	}

	protected send(a: QueuedAction): Promise<Sent<Answer>> {
		const { label: _, ...body } = a;
		return this.post(
			'/api/v1/terminal/actions',
			{
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ ...body, sentAt: this.now() })
			},
			REQUEST_TIMEOUT_MS,
			(message) => ({ outcome: 'refused', code: 'invalid', message, step: null })
		);
	}

	protected attentionOf(a: QueuedAction, answer: Answer): Attention {
		return { key: a.key, stepId: a.stepId, action: a.action, label: a.label, message: answer.message };
	}
}

/**
 * The status a step will have once the queued presses for it are applied, as the screen shows
 * it before the server has answered; a press the server would refuse changes nothing here.
 */
export function projectedStatus(
	status: StepStatus,
	previousDone: boolean,
	queued: readonly QueuedAction[]
): StepStatus {
	let s = status;
	for (const q of queued) if (!terminalRefusal(s, q.action, previousDone)) s = terminalNext(s, q.action);
	return s;
}
