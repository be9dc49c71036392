import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

/**
 * The embedded font: Noto Sans SC (SIL Open Font License 1.1) from the npm package
 * @expo-google-fonts/noto-sans-sc, so a fresh machine with only the npm registry prints Chinese
 * without system fonts. Chosen over the other registry packages with Simplified Chinese because
 * it ships static TrueType files (pdfkit's most reliable subsetting path, embedded as
 * /FontFile2) covering the whole GB 18030 set of Hanzi (rare characters in customer names
 * included), with Latin glyphs too, so one family serves both languages. pdfkit embeds only
 * the glyphs a document uses: a page costs kilobytes, not the 10 MB of the file.
 */
export const FONT_NAME = 'NotoSansSC';
export const FONT_REGULAR = 'NotoSansSC-Regular';
export const FONT_BOLD = 'NotoSansSC-Bold';

const FILES = {
	[FONT_REGULAR]: '@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf',
	[FONT_BOLD]: '@expo-google-fonts/noto-sans-sc/700Bold/NotoSansSC_700Bold.ttf'
} as const;

// Read once per process and never written to: sharing the bytes between requests is safe, and
// it saves reading 21 MB from disk for every document.
let fonts: Record<keyof typeof FILES, Buffer> | null = null;

/** The font files' bytes, read on the first print. */
export function fontData(): Record<keyof typeof FILES, Buffer> {
	if (!fonts) {
		// Resolved from node_modules at run time (adapter-node leaves dependencies unbundled).
		const require = createRequire(import.meta.url);
		fonts = {
			[FONT_REGULAR]: readFileSync(require.resolve(FILES[FONT_REGULAR])),
			[FONT_BOLD]: readFileSync(require.resolve(FILES[FONT_BOLD]))
		};
	}
	return fonts;
}
