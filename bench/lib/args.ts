/** `--name value`, `--name=value` and bare `--flag` options, enough for the bench scripts. */
export function parseArgs(argv: string[] = process.argv.slice(2)): Map<string, string | true> {
	const out = new Map<string, string | true>();
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
		const eq = a.indexOf('=');
		if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
		else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out.set(a.slice(2), argv[++i]);
		else out.set(a.slice(2), true);
	}
	return out;
}

export function numberArg(args: Map<string, string | true>, name: string, fallback: number): number {
	const v = args.get(name);
	if (v === undefined) return fallback;
	const n = Number(v);
	if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} expects a positive number`);
	return n;
}

export function stringArg(args: Map<string, string | true>, name: string): string | undefined {
	const v = args.get(name);
	if (v === true) throw new Error(`--${name} expects a value`);
	return v;
}
