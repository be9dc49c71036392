/**
 * A site's address as one line without the repeats Chinese addresses often carry: a
 * municipality is its own province (上海市 上海市), and the street address often starts with the
 * district already.
 */
export function siteLine(s: {
	province?: string;
	city: string;
	district?: string | null;
	address: string;
}): string {
	const parts = [s.province && s.province !== s.city ? s.province : '', s.city];
	if (s.district && !s.address.startsWith(s.district)) parts.push(s.district);
	parts.push(s.address);
	return parts.filter(Boolean).join(' ');
}
