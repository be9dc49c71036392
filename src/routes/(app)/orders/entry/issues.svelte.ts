import { z } from 'zod';
import {
	lineIssues,
	orderLineInput,
	orderSchema,
	type CatalogModel,
	type Locale
} from '$lib/domain/order-entry';
import { m } from '$lib/paraglide/messages';

const localeErrors = { 'zh-CN': z.locales.zhCN().localeError, en: z.locales.en().localeError };

/**
 * Judges the typed order with the one schema the server uses, path → first reason. The lines
 * are also judged on their own: the whole order's spec checks wait for its shape, but a rep
 * typing a load should hear about it before the customer or the date are in.
 */
export function judge(
	input: Record<string, unknown>,
	catalog: readonly CatalogModel[],
	opts: { locale: Locale; today: string }
): Record<string, string> {
	const out: Record<string, string> = {};
	const put = (path: PropertyKey[], message: string) => {
		const key = path.map(String).join('.');
		if (path.at(-1) === 'modelId' && path[0] === 'lines')
			message = m.spec_unknown_model({}, { locale: opts.locale });
		out[key] ??= message;
	};
	const params = { error: localeErrors[opts.locale] as never };
	try {
		const r = orderSchema(catalog, opts).safeParse(input, params);
		if (!r.success) for (const i of r.error.issues) put(i.path, i.message);
	} catch {
		// A half-typed order may trip the order-level rules; the line checks below still run.
	}
	const models = new Map(catalog.map((c) => [c.id, c]));
	(input.lines as unknown[]).forEach((raw, i) => {
		const line = orderLineInput.safeParse(raw, params);
		if (!line.success) return;
		for (const issue of lineIssues(line.data, models.get(line.data.modelId), opts.locale))
			put(['lines', i, ...issue.path], issue.message);
	});
	return out;
}

/**
 * Which reasons the form shows: the browser's for fields the user has touched (or all of
 * them once they tried to save), and the server's until the field is edited again.
 */
export class Issues {
	client = $state.raw<Record<string, string>>({});
	server = $state.raw<Record<string, string>>({});
	touched = $state.raw<ReadonlySet<string>>(new Set());
	showAll = $state(false);

	/** The user edited `path` (a field's name): a line's reasons show as soon as it is touched. */
	touch(path: string) {
		const next = new Set(this.touched);
		next.add(path);
		const line = /^lines\.\d+/.exec(path);
		if (line) next.add(line[0]);
		this.touched = next;
		// Its reasons were about the value before this edit: the next judgement (a moment away) says.
		const drop = (from: Record<string, string>) => {
			const { [path]: _, ...rest } = from;
			return rest;
		};
		if (path in this.server) this.server = drop(this.server);
		if (path in this.client) this.client = drop(this.client);
	}

	#visible(path: string) {
		if (this.showAll || this.touched.has(path)) return true;
		const line = /^lines\.\d+/.exec(path);
		return !!line && this.touched.has(line[0]);
	}

	/** The reason to show next to the field `path`, if any. */
	of = (path: string): string | undefined =>
		this.server[path] ?? (this.#visible(path) ? this.client[path] : undefined);

	/** Every reason now, the server's first: what blocks a save. */
	get all(): [string, string][] {
		return Object.entries({ ...this.client, ...this.server });
	}
}
