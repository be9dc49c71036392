import QRCode from 'qrcode';

/**
 * A QR code drawn as vector squares: sharp at any printer resolution, a few hundred bytes in the
 * PDF, and no image to encode. The quiet zone (4 modules, as the standard asks) is part of
 * `size`, so scanners find the code even beside a table's rules.
 */
export function drawQr(doc: PDFKit.PDFDocument, text: string, x: number, y: number, size: number): void {
	const qr = QRCode.create(text, { errorCorrectionLevel: 'M' });
	const n = qr.modules.size;
	const quiet = 4;
	const cell = size / (n + 2 * quiet);
	doc.save();
	doc.rect(x, y, size, size).fill('#ffffff');
	for (let r = 0; r < n; r++)
		for (let c = 0; c < n; c++)
			// Slightly oversized squares: neighbours overlap, so no hairline gaps show between them.
			if (qr.modules.get(r, c)) doc.rect(x + (quiet + c) * cell, y + (quiet + r) * cell, cell + 0.05, cell + 0.05);
	doc.fill('#000000');
	doc.restore();
}
