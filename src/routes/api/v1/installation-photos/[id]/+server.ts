import type { RequestHandler } from './$types';
import { contextOf } from '$lib/server/route';
import { errorResponse } from '$lib/server/http';
import { photoFile } from '$lib/server/services/field-photos';

/**
 * A site photo's bytes with its real type. A photo never changes once stored, so the browser
 * may keep it a long time, but only for this signed-in user (private), and the type is never
 * guessed from the content (nosniff).
 */
export const GET: RequestHandler = async (event) => {
	try {
		const p = await photoFile(await contextOf(event), event.params.id);
		return new Response(p.data as Uint8Array<ArrayBuffer>, {
			headers: {
				'content-type': p.mime,
				'content-length': String(p.size),
				'cache-control': 'private, max-age=604800, immutable',
				'last-modified': p.at.toUTCString(),
				'x-content-type-options': 'nosniff',
				'content-disposition': `inline; filename="photo-${p.id}.${p.mime.slice(6)}"`
			}
		});
	} catch (e) {
		return errorResponse(e, event.locals.locale);
	}
};
