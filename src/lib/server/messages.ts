import type { ZodError } from 'zod';
import { m } from '$lib/paraglide/messages';
import { FORBIDDEN, type AppError, type FieldIssue } from './errors';

type Locale = 'zh-CN' | 'en';

/** A typed error in the user's language; the code stays stable for API clients. */
export function messageFor(e: AppError, locale: Locale): string {
	const o = { locale };
	switch (e.code) {
		case 'unauthenticated':
			return m.error_unauthenticated({}, o);
		case 'invalid_credentials':
			return m.login_failed({}, o);
		case 'forbidden':
			return e.message !== FORBIDDEN ? e.message : m.error_forbidden({}, o);
		case 'not_found':
			return m.error_not_found({}, o);
		case 'invalid':
			return e.message && e.message !== 'invalid' ? e.message : m.error_invalid({}, o);
		case 'conflict':
			return m.error_conflict({}, o);
		case 'rate_limited':
			return m.error_rate_limited({}, o);
		case 'bad_origin':
			return m.error_bad_origin({}, o);
	}
}

/** Issues of a ZodError that escaped `parseInput` (already localized there when it did not). */
export function zodIssues(e: ZodError, _locale: Locale): FieldIssue[] {
	return e.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message }));
}
