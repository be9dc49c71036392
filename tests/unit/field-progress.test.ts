import { describe, expect, it } from 'vitest';
import {
	afterReport,
	jobRefusal,
	nextStage,
	overallPercent,
	progressRefusal,
	projectPercents,
	stagePercents,
	type ReportJob,
	type StagePercents
} from '../../src/lib/domain/installation-progress';
import { INSTALLATION_STAGES } from '../../src/lib/domain/statuses';

/**
 * The stage report rules an installer's phone and the server share: stages in order, never past
 * 100 nor back, only the crew on an open job; and how a report moves the job along.
 */
const zero = (): StagePercents => stagePercents([]);
const job = (over: Partial<ReportJob> = {}): ReportJob => ({
	status: 'in_progress',
	currentStage: 'survey',
	crewId: 1,
	...over
});
const upTo = (stage: (typeof INSTALLATION_STAGES)[number], percent: number): StagePercents => {
	const p = zero();
	for (const s of INSTALLATION_STAGES) {
		if (s === stage) {
			p[s] = percent;
			break;
		}
		p[s] = 100;
	}
	return p;
};

describe('stage percents', () => {
	it('takes the highest report of each stage and weighs the stages equally', () => {
		const p = stagePercents([
			{ stage: 'survey', percent: 40 },
			{ stage: 'survey', percent: 100 },
			{ stage: 'guide_rails', percent: 30 },
			{ stage: 'guide_rails', percent: 20 }
		]);
		expect(p.survey).toBe(100);
		expect(p.guide_rails).toBe(30);
		expect(p.handover).toBe(0);
		expect(overallPercent(p)).toBe(Math.round(130 / 7));
		expect(overallPercent(upTo('handover', 100))).toBe(100);
		expect(nextStage(p)).toBe('guide_rails');
		expect(nextStage(upTo('handover', 100))).toBeNull();
	});
});

describe('who may report', () => {
	it('refuses closed, unassigned and other crews’ jobs', () => {
		expect(jobRefusal(job({ status: 'handed_over' }), true)).toBe('closed');
		expect(jobRefusal(job({ status: 'cancelled' }), true)).toBe('closed');
		expect(jobRefusal(job({ status: 'unassigned', crewId: null }), true)).toBe('not_assigned');
		expect(jobRefusal(job({ status: 'assigned', crewId: null }), true)).toBe('not_assigned');
		expect(jobRefusal(job(), false)).toBe('not_in_crew');
		for (const status of ['assigned', 'in_progress', 'inspection'] as const)
			expect(jobRefusal(job({ status }), true)).toBeNull();
	});
});

describe('a stage report', () => {
	it('goes stage by stage: an earlier stage must be at 100 %', () => {
		expect(progressRefusal(job(), zero(), { stage: 'guide_rails', percent: 10 }, true)).toBe(
			'previous_not_done'
		);
		expect(progressRefusal(job(), upTo('survey', 99), { stage: 'guide_rails', percent: 10 }, true)).toBe(
			'previous_not_done'
		);
		expect(
			progressRefusal(job(), upTo('guide_rails', 0), { stage: 'guide_rails', percent: 10 }, true)
		).toBeNull();
		expect(progressRefusal(job(), upTo('wiring', 50), { stage: 'handover', percent: 10 }, true)).toBe(
			'previous_not_done'
		);
	});

	it('never goes back and closes a stage at 100 %', () => {
		const p = upTo('machine', 60);
		expect(progressRefusal(job(), p, { stage: 'machine', percent: 50 }, true)).toBe('backwards');
		expect(progressRefusal(job(), p, { stage: 'machine', percent: 60 }, true)).toBeNull(); // a note on the same percent
		expect(progressRefusal(job(), p, { stage: 'machine', percent: 100 }, true)).toBeNull();
		expect(progressRefusal(job(), upTo('machine', 100), { stage: 'machine', percent: 100 }, true)).toBe(
			'stage_done'
		);
		expect(progressRefusal(job(), p, { stage: 'survey', percent: 100 }, true)).toBe('stage_done');
	});

	it('is judged on the job before the stages', () => {
		expect(
			progressRefusal(job({ status: 'handed_over' }), zero(), { stage: 'survey', percent: 10 }, true)
		).toBe('closed');
		expect(progressRefusal(job(), zero(), { stage: 'survey', percent: 10 }, false)).toBe('not_in_crew');
	});

	it('moves the job: started, current stage the one under way, inspection after commissioning, handed over', () => {
		expect(afterReport({ status: 'assigned' }, zero(), { stage: 'survey', percent: 0 })).toEqual({
			status: 'in_progress',
			currentStage: 'survey'
		});
		expect(
			afterReport({ status: 'in_progress' }, upTo('survey', 40), { stage: 'survey', percent: 100 })
		).toEqual({ status: 'in_progress', currentStage: 'guide_rails' });
		expect(
			afterReport({ status: 'in_progress' }, upTo('guide_rails', 0), { stage: 'guide_rails', percent: 5 })
		).toEqual({ status: 'in_progress', currentStage: 'guide_rails' });
		expect(
			afterReport({ status: 'in_progress' }, upTo('commissioning', 50), {
				stage: 'commissioning',
				percent: 90
			})
		).toEqual({ status: 'in_progress', currentStage: 'commissioning' });
		expect(
			afterReport({ status: 'in_progress' }, upTo('commissioning', 50), {
				stage: 'commissioning',
				percent: 100
			})
		).toEqual({ status: 'inspection', currentStage: 'inspection' });
		expect(
			afterReport({ status: 'inspection' }, upTo('inspection', 20), { stage: 'inspection', percent: 100 })
		).toEqual({ status: 'inspection', currentStage: 'handover' });
		expect(
			afterReport({ status: 'inspection' }, upTo('handover', 20), { stage: 'handover', percent: 90 })
		).toEqual({ status: 'inspection', currentStage: 'handover' });
		expect(
			afterReport({ status: 'inspection' }, upTo('handover', 90), { stage: 'handover', percent: 100 })
		).toEqual({ status: 'handed_over', currentStage: 'handover' });
		// An assigned job whose crew reports straight to the end of commissioning is in inspection.
		expect(
			afterReport({ status: 'assigned' }, upTo('commissioning', 0), { stage: 'commissioning', percent: 100 })
				.status
		).toBe('inspection');
	});
});

describe('queued reports on the phone', () => {
	it('show as the server will apply them, and a report it would refuse changes nothing', () => {
		const { job: j, percents } = projectPercents(job({ status: 'assigned', currentStage: null }), zero(), [
			{ stage: 'survey', percent: 50 },
			{ stage: 'guide_rails', percent: 20 }, // refused: survey not finished
			{ stage: 'survey', percent: 100 },
			{ stage: 'guide_rails', percent: 30 },
			{ stage: 'guide_rails', percent: 10 } // refused: backwards
		]);
		expect(percents.survey).toBe(100);
		expect(percents.guide_rails).toBe(30);
		expect(j).toMatchObject({ status: 'in_progress', currentStage: 'guide_rails' });
		const done = projectPercents(
			job({ status: 'inspection', currentStage: 'handover' }),
			upTo('handover', 50),
			[{ stage: 'handover', percent: 100 }]
		);
		expect(done.job.status).toBe('handed_over');
	});
});
