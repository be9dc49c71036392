import { amountRangeProblem, yuanToFen } from '$lib/amount';
import { m } from '$lib/paraglide/messages';
import { ValidationError } from './errors';
import type { Locale } from './validate';

/**
 * The orders page's URL speaks yuan (`minYuan`, `maxYuan`: what people type); the orders
 * service and the API speak fen (`minAmount`, `maxAmount`). This converts at the page edge, for
 * the page and its exports alike, and says in the user's language what is wrong with a range.
 */
export function ordersPageInput(
	params: Record<string, string>,
	locale: Locale
): { input: Record<string, string>; amountProblem: string | null } {
	const { minYuan, maxYuan, ...rest } = params;
	const input: Record<string, string> = Object.assign(Object.create(null), rest);
	const problem = amountRangeProblem(minYuan, maxYuan);
	if (problem) {
		const message =
			problem === 'range'
				? m.track_amount_range_invalid({}, { locale })
				: m.track_amount_invalid({}, { locale });
		return { input, amountProblem: message };
	}
	const lo = yuanToFen(minYuan);
	const hi = yuanToFen(maxYuan);
	if (lo != null) input.minAmount = String(lo);
	if (hi != null) input.maxAmount = String(hi);
	return { input, amountProblem: null };
}

/** The same for an export: a bad range is a 400 naming the field, never a file of everything. */
export function ordersExportInput(params: Record<string, string>, locale: Locale): Record<string, string> {
	const { input, amountProblem } = ordersPageInput(params, locale);
	if (amountProblem) throw new ValidationError(amountProblem, [{ path: 'maxYuan', message: amountProblem }]);
	return input;
}
