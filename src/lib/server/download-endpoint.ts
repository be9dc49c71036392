import { Readable } from 'node:stream';
import type { RequestEvent, RequestHandler } from '@sveltejs/kit';
import { contextOf } from './route';
import { errorResponse } from './http';
import type { Ctx } from './services/context';

export interface Download {
	filename: string;
	contentType: string;
	body: Readable;
}

/**
 * A file to save (an export): streamed as the service writes it, with an attachment
 * Content-Disposition. Everything that can fail with a typed error (sign-in, permission,
 * validation) happens before the first byte, so those still answer JSON in the user's language.
 */
export function downloadEndpoint(fn: (ctx: Ctx, event: RequestEvent) => Promise<Download>): RequestHandler {
	return async (event) => {
		try {
			const file = await fn(await contextOf(event), event);
			const ascii = file.filename.replace(/[^\w.-]/g, '_');
			return new Response(Readable.toWeb(file.body) as ReadableStream<Uint8Array>, {
				headers: {
					'content-type': file.contentType,
					'content-disposition': `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
					// Orders are private to their company: no shared cache may keep them.
					'cache-control': 'private, no-store',
					'x-content-type-options': 'nosniff'
				}
			});
		} catch (e) {
			return errorResponse(e, event.locals.locale);
		}
	};
}
