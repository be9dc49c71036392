/** Dates, numbers and money per the user's locale; amounts are fen (CNY minor units). */
type Locale = 'zh-CN' | 'en';

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function fmt<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
	let f = cache.get(key) as T | undefined;
	if (!f) cache.set(key, (f = make()));
	return f;
}

export function money(fen: number | null | undefined, locale: Locale): string {
	if (fen === null || fen === undefined) return '—';
	return fmt(
		`m:${locale}`,
		() =>
			new Intl.NumberFormat(locale, { style: 'currency', currency: 'CNY', currencyDisplay: 'narrowSymbol' })
	).format(fen / 100);
}

export function number(n: number | null | undefined, locale: Locale): string {
	if (n === null || n === undefined) return '—';
	return fmt(`n:${locale}`, () => new Intl.NumberFormat(locale)).format(n);
}

/** A calendar date ('2026-11-23' or a Date), shown without a time-zone shift. */
export function date(d: string | Date | null | undefined, locale: Locale): string {
	if (!d) return '—';
	const value =
		typeof d === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(d) ? new Date(`${d}T00:00:00Z`) : new Date(d);
	const tz = typeof d === 'string' && d.length === 10 ? 'UTC' : 'Asia/Shanghai';
	return fmt(
		`d:${locale}:${tz}`,
		() => new Intl.DateTimeFormat(locale, { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: tz })
	).format(value);
}

/** A moment, in China time: the users and their sites are there. */
export function dateTime(d: string | Date | null | undefined, locale: Locale): string {
	if (!d) return '—';
	return fmt(
		`dt:${locale}`,
		() =>
			new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Shanghai' })
	).format(new Date(d));
}

export function percentBp(bp: number, locale: Locale): string {
	return fmt(
		`p:${locale}`,
		() => new Intl.NumberFormat(locale, { style: 'percent', maximumFractionDigits: 2 })
	).format(bp / 10_000);
}
