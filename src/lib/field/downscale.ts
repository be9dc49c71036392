/**
 * A phone photo (often 4000 px and 5 MB) made small enough to send over a weak network: at most
 * 1600 px on its longer side, re-encoded as JPEG. Decoding it also proves it is a picture: a
 * file the browser cannot decode is refused here, before it is queued.
 */
export const MAX_SIDE = 1600;
const QUALITY = 0.82;

export class NotAnImageError extends Error {}

export async function downscale(file: Blob, maxSide = MAX_SIDE): Promise<Blob> {
	let bitmap: ImageBitmap;
	try {
		// EXIF orientation applied, so a portrait photo stays upright.
		bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
	} catch {
		throw new NotAnImageError();
	}
	const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
	const w = Math.max(1, Math.round(bitmap.width * scale));
	const h = Math.max(1, Math.round(bitmap.height * scale));
	const canvas = document.createElement('canvas');
	canvas.width = w;
	canvas.height = h;
	const ctx = canvas.getContext('2d');
	if (!ctx) throw new NotAnImageError();
	ctx.drawImage(bitmap, 0, 0, w, h);
	bitmap.close();
	const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY));
	if (!blob) throw new NotAnImageError();
	return blob;
}
