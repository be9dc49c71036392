import type { WorkCentreView } from '$lib/server/services/work-centres';

/**
 * The work-centre form's state: numbers stay what the user typed; the server parses and
 * explains. This only converts both ways.
 */
export interface CentreDraft {
	id: number | null;
	version: number | null;
	companyId: number | null;
	code: string;
	name: string;
	nameEn: string;
	dailyCapacityHours: string;
	shifts: number;
	workDays: number[];
	holidays: string[];
}

export function emptyDraft(companyId: number | null): CentreDraft {
	return {
		id: null,
		version: null,
		companyId,
		code: '',
		name: '',
		nameEn: '',
		dailyCapacityHours: '8',
		shifts: 1,
		workDays: [1, 2, 3, 4, 5],
		holidays: []
	};
}

export function draftOf(c: WorkCentreView): CentreDraft {
	return {
		id: c.id,
		version: c.version,
		companyId: c.companyId,
		code: c.code,
		name: c.name,
		nameEn: c.nameEn,
		dailyCapacityHours: String(c.dailyCapacityHours),
		shifts: c.shifts,
		workDays: [...c.workDays],
		holidays: [...c.holidays]
	};
}

/** The JSON the API takes: the company only when creating, the version only when editing. */
export function inputOf(d: CentreDraft) {
	return {
		code: d.code,
		name: d.name,
		nameEn: d.nameEn,
		dailyCapacityHours: d.dailyCapacityHours,
		shifts: d.shifts,
		workDays: [...d.workDays].sort((a, b) => a - b),
		holidays: [...d.holidays].sort(),
		...(d.id === null ? { companyId: d.companyId } : { version: d.version })
	};
}

/** Short weekday names in the reader's language, ISO numbering (1 = Monday). */
export function weekdayNames(locale: string): Record<number, string> {
	const f = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
	// 2024-01-01 was a Monday.
	return Object.fromEntries(
		[1, 2, 3, 4, 5, 6, 7].map((d) => [d, f.format(new Date(Date.UTC(2024, 0, d)))])
	);
}
