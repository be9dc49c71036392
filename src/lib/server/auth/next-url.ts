/**
 * Where to go after sign-in: only a path on this site, never another origin. Browsers drop
 * tabs and newlines from URLs and read `\` as `/`, so `/\t/evil` would become `//evil`: any
 * control character or backslash is refused, and the result must resolve to this site.
 */
export function safeNext(next: string | null | undefined): string {
	if (!next || !next.startsWith('/') || next.startsWith('//') || /[\u0000-\u001f\u007f\\]/.test(next))
		return '/';
	try {
		const url = new URL(next, 'http://this.site');
		return url.origin === 'http://this.site' ? url.pathname + url.search + url.hash : '/';
	} catch {
		return '/';
	}
}
