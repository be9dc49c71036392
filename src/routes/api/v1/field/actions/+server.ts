import { endpoint, readJson } from '$lib/server/route';
import { ValidationError } from '$lib/server/errors';
import { fieldAction, recentFieldActions } from '$lib/server/services/field-actions';
import { MAX_PHOTOS, MAX_PHOTO_BYTES, type PhotoUpload } from '$lib/server/services/field-photos';
import { m } from '$lib/paraglide/messages';
import type { Locale } from '$lib/server/validate';

/** Room for the form fields around the largest allowed set of photos. */
const MAX_BODY = MAX_PHOTOS * MAX_PHOTO_BYTES + 1024 * 1024;

/**
 * One report from an installer's phone, applied once per idempotency key. JSON
 * {key, jobId, action, stage?, percent?, note?, problem?, occurredAt, sentAt}, or multipart with
 * that JSON in the field `action` and up to 4 files in `photo`.
 */
export const POST = endpoint(async (ctx, { request, locals }) =>
	fieldAction(ctx, await readReport(request, locals.locale))
);

/** The user's latest reports and their outcome. */
export const GET = endpoint((ctx) => recentFieldActions(ctx));

async function readReport(
	request: Request,
	locale: Locale
): Promise<{ fields: unknown; photos: PhotoUpload[] }> {
	const type = request.headers.get('content-type') ?? '';
	if (!type.startsWith('multipart/form-data'))
		return { fields: await readJson(request, locale, 8_000), photos: [] };
	if (Number(request.headers.get('content-length') ?? 0) > MAX_BODY)
		throw new ValidationError(m.fld_err_upload_too_large({ max: MAX_PHOTOS * 2 }, { locale }));
	let form: FormData;
	try {
		form = await request.formData();
	} catch {
		throw new ValidationError(m.fld_err_bad_form({}, { locale }));
	}
	let fields: unknown;
	try {
		fields = JSON.parse(String(form.get('action') ?? ''));
	} catch {
		throw new ValidationError(m.error_bad_json({}, { locale }));
	}
	const photos: PhotoUpload[] = [];
	for (const f of form.getAll('photo'))
		if (typeof f !== 'string') photos.push({ name: f.name, bytes: new Uint8Array(await f.arrayBuffer()) });
	return { fields, photos };
}
