import { z } from 'zod';
import { and, eq, inArray, notInArray, sql, type SQL } from 'drizzle-orm';
import { m } from '../../paraglide/messages';
import { schema } from '../db';
import { authorize, scopeFilter } from '../authz';
import { parseInput, trimmed } from '../validate';
import { parseScan } from '../../domain/scan';
import { likePattern } from './list';
import type { Ctx } from './context';

/**
 * Finding the unit a caller means: the QR on its controller (`EOU:<serial>`), its serial number
 * (exact, or the start of it), or words of its address, site or customer. Only units of the
 * actor's companies; the open tickets show so a second call about the same fault is noticed.
 */

const { units, sites, customers, companies, elevatorModels, serviceTickets } = schema;

/** A unit's model, customer and site as lists of units and tickets show them (joins elevator_models, customers, sites). */
export const unitPlaceColumns = {
	modelCode: elevatorModels.code,
	modelName: elevatorModels.name,
	modelNameEn: elevatorModels.nameEn,
	customerId: customers.id,
	customerName: customers.name,
	siteName: sites.name,
	city: sites.city,
	district: sites.district,
	address: sites.address,
	lat: sites.lat,
	lng: sites.lng
};

export const LOOKUP_LIMIT = 20;
const lookupInput = z.object({ q: z.preprocess((v) => v ?? '', trimmed(0, 100)) }).strict();
/** What a typed serial looks like: no spaces, letters and digits with - . _ /, a digit somewhere. */
const SERIALISH = /^(?=.*\d)[A-Za-z0-9][A-Za-z0-9._/-]*$/;

function findUnits(ctx: Ctx, where: SQL) {
	return (
		ctx.db
			.select({
				id: units.id,
				companyId: units.companyId,
				companyCode: companies.code,
				serialNo: units.serialNo,
				status: units.status,
				handedOverOn: units.handedOverOn,
				...unitPlaceColumns
			})
			.from(units)
			.innerJoin(companies, eq(companies.id, units.companyId))
			.innerJoin(elevatorModels, eq(elevatorModels.id, units.modelId))
			.leftJoin(sites, eq(sites.id, units.siteId))
			.leftJoin(customers, eq(customers.id, sites.customerId))
			.where(where)
			// Units in service first: those are the ones people call about.
			.orderBy(sql`${units.status} in ('handed_over', 'in_service') desc`, units.serialNo)
			.limit(LOOKUP_LIMIT)
	);
}

type LookupUnitRow = Awaited<ReturnType<typeof findUnits>>[number] & { openTickets: OpenTicket[] };
type OpenTicket = {
	id: number;
	unitId: number;
	number: string;
	kind: string;
	priority: string;
	status: string;
	respondBy: Date;
	plannedOn: string | null;
};

export async function lookupUnits(ctx: Ctx, input: unknown) {
	const a = authorize(ctx.actor, 'service.read');
	const { q } = parseInput(lookupInput, input, a.locale);
	// Nothing typed yet: nothing to find, and nothing to complain about.
	if (!q) return { q, by: 'text' as const, units: [] as LookupUnitRow[], message: null };
	const scope = scopeFilter(a, units.companyId);
	const scan = parseScan(q);
	let by: 'qr' | 'serial' | 'text' = 'text';
	let found: Awaited<ReturnType<typeof findUnits>> = [];
	if (scan.kind === 'unit') {
		by = 'qr';
		found = await findUnits(ctx, and(scope, eq(units.serialNo, scan.serial))!);
	} else if (SERIALISH.test(q)) {
		by = 'serial';
		const upper = q.toUpperCase();
		const exact = await findUnits(ctx, and(scope, eq(units.serialNo, upper))!);
		found = exact.length
			? exact
			: await findUnits(
					ctx,
					and(scope, sql`${units.serialNo} like ${upper.replace(/[\\%_]/g, (c) => '\\' + c) + '%'}`)!
				);
	}
	if (found.length === 0 && by !== 'qr') {
		const p = likePattern(q);
		found = await findUnits(
			ctx,
			and(
				scope,
				sql`(${sites.address} ilike ${p} or ${sites.name} ilike ${p} or ${customers.name} ilike ${p} or ${sites.city} ilike ${p} or ${sites.district} ilike ${p})`
			)!
		);
		if (found.length) by = 'text';
	}
	const open = found.length
		? await ctx.db
				.select({
					id: serviceTickets.id,
					unitId: serviceTickets.unitId,
					number: serviceTickets.number,
					kind: serviceTickets.kind,
					priority: serviceTickets.priority,
					status: serviceTickets.status,
					respondBy: serviceTickets.respondBy,
					plannedOn: serviceTickets.plannedOn
				})
				.from(serviceTickets)
				.where(
					and(
						inArray(
							serviceTickets.unitId,
							found.map((u) => u.id)
						),
						notInArray(serviceTickets.status, ['resolved', 'closed'])
					)
				)
				.orderBy(serviceTickets.respondBy)
		: [];
	return {
		q,
		by,
		units: found.map((u) => ({ ...u, openTickets: open.filter((t) => t.unitId === u.id) })),
		message: found.length ? null : m.svc_lookup_none({ q }, { locale: a.locale })
	};
}
export type LookupUnit = Awaited<ReturnType<typeof lookupUnits>>['units'][number];
