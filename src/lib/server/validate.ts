import { z } from 'zod';
import { ValidationError } from './errors';

export type Locale = 'zh-CN' | 'en';

const localeErrors = { 'zh-CN': z.locales.zhCN().localeError, en: z.locales.en().localeError };

/**
 * Parses input at an edge (form, query string, API body, socket message) with messages in the
 * user's language; a failure is a ValidationError naming each field.
 */
export function parseInput<S extends z.ZodType>(
	schema: S,
	input: unknown,
	locale: Locale = 'en'
): z.output<S> {
	const result = schema.safeParse(input, { error: localeErrors[locale] as never });
	if (result.success) return result.data;
	const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
	const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
	throw new ValidationError(summary, issues);
}

/**
 * Text as PostgreSQL can store it: no NUL characters (the database refuses them with an error
 * a user should never see). Every free-text input goes through this.
 */
export const text = (min: number, max: number) =>
	z
		.string()
		.min(min)
		.max(max)
		.refine((s) => !s.includes('\u0000'));

/** The same, with surrounding spaces removed first (names, codes, search words). */
export const trimmed = (min: number, max: number) =>
	z
		.string()
		.trim()
		.min(min)
		.max(max)
		.refine((s) => !s.includes('\u0000'));

const idInput = z.object({ id: z.coerce.number().int().min(1).max(2_147_483_647) });

/** A row id from a path or form; a malformed one is a 400 that names the `id` field. */
export function parseId(raw: unknown, locale: Locale = 'en'): number {
	return parseInput(idInput, { id: raw }, locale).id;
}
