const t0 = performance.now();

/** A progress line on stdout, stamped with seconds since the script began. */
export function progress(message: string): void {
	console.log(`[${((performance.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${message}`);
}

/** The one machine-readable result: always the last line of stdout. */
export function result(figures: unknown): void {
	console.log(JSON.stringify(figures));
}

export const round = (n: number, digits = 1): number => Math.round(n * 10 ** digits) / 10 ** digits;
