/**
 * Amounts typed by people are yuan ("12500", "12,500.5"); the services take fen. Shared by the
 * filter form (to check as the user types) and the server edge (to convert).
 */

/** Largest amount a filter accepts: 10 billion yuan, far above any order and safe as a double. */
const MAX_FEN = 1_000_000_000_000;

/** Fen from a yuan string: undefined when empty, null when it is not an amount of 0 or more. */
export function yuanToFen(text: string | null | undefined): number | null | undefined {
	const s = (text ?? '').trim().replace(/[,，\s]/g, '');
	if (s === '') return undefined;
	const match = /^(\d{1,12})(?:\.(\d{0,2}))?$/.exec(s);
	if (!match) return null;
	const fen = Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
	return fen <= MAX_FEN ? fen : null;
}

/** A problem with a min/max pair of yuan strings, or null when they make a valid range. */
export function amountRangeProblem(
	min: string | null | undefined,
	max: string | null | undefined
): 'invalid' | 'range' | null {
	const lo = yuanToFen(min);
	const hi = yuanToFen(max);
	if (lo === null || hi === null) return 'invalid';
	if (lo !== undefined && hi !== undefined && lo > hi) return 'range';
	return null;
}
