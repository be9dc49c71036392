import { z } from 'zod';
import { endpoint } from '$lib/server/route';
import { parseInput } from '$lib/server/validate';
import { readUpload } from '$lib/server/services/order-import-file';
import { commitImport, previewImport } from '$lib/server/services/order-import';

const modeInput = z.object({ mode: z.enum(['preview', 'commit']).default('preview') });

/**
 * An order spreadsheet (.xlsx or .csv) as the raw body or multipart: `?mode=preview` answers
 * every order, bad cell and total; `?mode=commit` imports it all or nothing.
 */
export const POST = endpoint(async (ctx, { request, url, locals }) => {
	const { mode } = parseInput(modeInput, { mode: url.searchParams.get('mode') ?? undefined }, locals.locale);
	const { bytes, filename } = await readUpload(request, url, locals.locale);
	return mode === 'commit' ? commitImport(ctx, bytes, filename) : previewImport(ctx, bytes, filename);
});
