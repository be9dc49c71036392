import type { RequestEvent, RequestHandler } from '@sveltejs/kit';
import { contextOf } from './route';
import { errorResponse } from './http';
import type { Ctx } from './services/context';

export interface FileResult {
	filename: string;
	contentType: string;
	body: Buffer;
}

/**
 * Like route.ts's endpoint(), for a file shown in the browser (a PDF): the service's bytes with
 * an inline Content-Disposition, typed errors as {error: {code, message}} in the user's language.
 */
export function fileEndpoint(fn: (ctx: Ctx, event: RequestEvent) => Promise<FileResult>): RequestHandler {
	return async (event) => {
		try {
			const file = await fn(await contextOf(event), event);
			const ascii = file.filename.replace(/[^\w.-]/g, '_');
			return new Response(new Uint8Array(file.body), {
				headers: {
					'content-type': file.contentType,
					'content-length': String(file.body.length),
					'content-disposition': `inline; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
					// Orders are private to their company: no shared cache may keep them.
					'cache-control': 'private, no-store'
				}
			});
		} catch (e) {
			return errorResponse(e, event.locals.locale);
		}
	};
}
