import { error, json, type RequestEvent, type RequestHandler } from '@sveltejs/kit';
import { runtime } from './app';
import { AppError, ValidationError } from './errors';
import { errorResponse } from './http';
import { messageFor } from './messages';
import { m } from '$lib/paraglide/messages';
import type { Locale } from './validate';
import { paramsOf } from './services/list';
import type { Ctx } from './services/context';

/**
 * The thin glue between routes and services: build the service context from the request,
 * and turn typed service errors into SvelteKit errors (pages) or JSON errors (API).
 */
export async function contextOf(event: Pick<RequestEvent, 'locals'>): Promise<Ctx> {
	const { database } = await runtime();
	return { db: database.db, actor: event.locals.actor };
}

/** Runs a page load or action's service call; a typed error becomes the error page's status and message. */
export async function serve<T>(
	event: Pick<RequestEvent, 'locals'>,
	fn: (ctx: Ctx) => Promise<T>
): Promise<T> {
	const ctx = await contextOf(event);
	try {
		return await fn(ctx);
	} catch (e) {
		if (e instanceof AppError) error(e.status, { message: messageFor(e, event.locals.locale), code: e.code });
		throw e;
	}
}

/** A JSON endpoint: the service's result as JSON, typed errors as {error: {code, message}}. */
export function endpoint<T>(fn: (ctx: Ctx, event: RequestEvent) => Promise<T>): RequestHandler {
	return async (event) => {
		try {
			return json(await fn(await contextOf(event), event));
		} catch (e) {
			return errorResponse(e, event.locals.locale);
		}
	};
}

/** A list page's load: the query string goes to the service, which validates it. */
export function listPage<T>(list: (ctx: Ctx, input: unknown) => Promise<T>) {
	return (event: Pick<RequestEvent, 'locals' | 'url'>) =>
		serve(event, async (ctx) => ({ list: await list(ctx, paramsOf(event.url)) }));
}

/** GET list endpoint: the query string goes to the service, which validates it. */
export function listEndpoint<T>(list: (ctx: Ctx, input: unknown) => Promise<T>): RequestHandler {
	return endpoint((ctx, event) => list(ctx, paramsOf(event.url)));
}

/** The request's JSON body; malformed or oversized JSON is a 400, never a 500. */
export async function readJson(request: Request, locale: Locale, maxBytes = 1_000_000): Promise<unknown> {
	const text = await request.text();
	if (text.length > maxBytes) throw new ValidationError(m.error_body_too_large({}, { locale }));
	try {
		return JSON.parse(text);
	} catch {
		throw new ValidationError(m.error_bad_json({}, { locale }));
	}
}
