import { json } from '@sveltejs/kit';
import { ZodError } from 'zod';
import { AppError, ValidationError, type ErrorCode } from './errors';
import { messageFor, zodIssues } from './messages';

/** The API's error shape: {error: {code, message, ...details}}. */
export function jsonError(
	status: number,
	code: ErrorCode | 'internal',
	message: string,
	details?: unknown
): Response {
	const extra = details && typeof details === 'object' ? details : {};
	return json({ error: { code, message, ...extra } }, { status });
}

/**
 * Runs an API handler and maps typed errors to JSON; anything unexpected is logged and
 * answered with a plain 500 without internals.
 */
export async function api(locale: 'zh-CN' | 'en', fn: () => Promise<Response>): Promise<Response> {
	try {
		return await fn();
	} catch (e) {
		return errorResponse(e, locale);
	}
}

export function errorResponse(e: unknown, locale: 'zh-CN' | 'en'): Response {
	if (e instanceof ZodError) e = new ValidationError('invalid', zodIssues(e, locale));
	if (e instanceof AppError) {
		const res = jsonError(e.status, e.code, messageFor(e, locale), e.details);
		if (e.code === 'rate_limited')
			res.headers.set('retry-after', String((e.details as { retryAfterSeconds: number }).retryAfterSeconds));
		return res;
	}
	const id = crypto.randomUUID().slice(0, 8);
	console.error(`[elevator-ops] ${id}`, e);
	return jsonError(500, 'internal', `Internal error (${id})`);
}
