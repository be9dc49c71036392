import { eq } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema } from '../db';
import { assertInScope, authorize, type Actor } from '../authz';
import { parseId } from '../validate';
import { ValidationError } from '../errors';
import type { Ctx } from './context';

/**
 * Site photos: what an upload must be, and serving one back. A photo is judged by its bytes,
 * never by its name or the type the browser claims: only real JPEG, PNG or WebP files are
 * kept, at most 2 MB each (the phone downscales to 1600 px first, which is well below).
 */

export const MAX_PHOTO_BYTES = 2 * 1024 * 1024;
export const MAX_PHOTOS = 4;

export type PhotoMime = 'image/jpeg' | 'image/png' | 'image/webp';

export interface PhotoUpload {
	name: string;
	bytes: Uint8Array;
}

/** The image type by its magic bytes, or null for anything else. */
export function sniffImage(b: Uint8Array): PhotoMime | null {
	if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
	const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	if (b.length >= 8 && png.every((x, i) => b[i] === x)) return 'image/png';
	const ascii = (from: number, to: number) => String.fromCharCode(...b.subarray(from, to));
	if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
	return null;
}

/** Checks every upload before anything is written; the first bad one is named in the message. */
export function checkPhotos(a: Actor, photos: readonly PhotoUpload[]): (PhotoUpload & { mime: PhotoMime })[] {
	const o = { locale: a.locale };
	if (photos.length > MAX_PHOTOS)
		throw new ValidationError(m.fld_err_too_many_photos({ max: MAX_PHOTOS }, o), [
			{ path: 'photos', message: m.fld_err_too_many_photos({ max: MAX_PHOTOS }, o) }
		]);
	return photos.map((p, i) => {
		const name = p.name || `#${i + 1}`;
		const fail = (message: string) => {
			throw new ValidationError(message, [{ path: `photos.${i}`, message }]);
		};
		if (p.bytes.length > MAX_PHOTO_BYTES)
			fail(m.fld_err_photo_too_large({ name, mb: (p.bytes.length / 1048576).toFixed(1), max: 2 }, o));
		const mime = sniffImage(p.bytes);
		if (!mime) return fail(m.fld_err_photo_not_image({ name }, o)) as never;
		return { ...p, mime };
	});
}

/** One photo's bytes for GET /api/v1/installation-photos/:id: within the reader's companies only. */
export async function photoFile({ db, actor }: Ctx, rawId: unknown) {
	const a = authorize(actor, 'installation.read');
	const id = parseId(rawId, a.locale);
	const [row] = await db
		.select({
			companyId: schema.installationPhotos.companyId,
			mime: schema.installationPhotos.mime,
			size: schema.installationPhotos.size,
			data: schema.installationPhotos.data,
			at: schema.installationPhotos.at
		})
		.from(schema.installationPhotos)
		.where(eq(schema.installationPhotos.id, id));
	const p = assertInScope(a, row);
	return { id, mime: p.mime, size: p.size, data: p.data, at: new Date(p.at) };
}
