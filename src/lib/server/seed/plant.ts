import { schema } from '../db';
import { OPTIONS, yuan } from './catalog';
import { MODELS } from './models';
import { HOLIDAYS, ITEMS, STAGES } from './plant-data';
import { CITIES } from './cities';
import { COMPANIES } from './companies';
import type { ModelRef, SeedCtx } from './context';

/** EAN-13 with a valid check digit, so a scanner in the stocktaking screen accepts it. */
function ean13(body12: string): string {
	let sum = 0;
	for (let i = 0; i < 12; i++) sum += Number(body12[i]) * (i % 2 === 0 ? 1 : 3);
	return body12 + ((10 - (sum % 10)) % 10);
}

/** Models and options (group-wide), items, warehouses and BOMs (per company). */
export function seedCatalog(ctx: SeedCtx): void {
	const { load } = ctx;
	const modelIds = load.insert(
		schema.elevatorModels,
		MODELS.map((m) => ({
			code: m.code,
			name: m.name,
			nameEn: m.nameEn,
			kind: m.kind,
			loadsKg: m.loadsKg,
			speeds: m.speeds,
			minStops: m.minStops,
			maxStops: m.maxStops,
			maxTravelM: m.maxTravelM,
			doorTypes: m.doorTypes,
			minDoorWidthMm: m.minDoorWidthMm,
			maxDoorWidthMm: m.maxDoorWidthMm,
			machineRoom: m.machineRoom,
			machineRoomLess: m.machineRoomLess,
			listPrice: yuan(m.listPriceYuan),
			pricePerStop: yuan(m.pricePerStopYuan)
		}))
	);
	ctx.models = MODELS.map((def, i): ModelRef => ({
		id: modelIds[i],
		def,
		listPrice: yuan(def.listPriceYuan),
		pricePerStop: yuan(def.pricePerStopYuan),
		optionPrices: new Map(def.options.map((c) => [c, yuan(OPTIONS[c].priceYuan)])),
		finishes: def.options.filter((c) => OPTIONS[c].finish),
		features: def.options.filter((c) => !OPTIONS[c].finish)
	}));
	load.add(
		schema.modelOptions,
		ctx.models.flatMap((m) =>
			m.def.options.map((c) => ({
				modelId: m.id,
				code: c,
				name: OPTIONS[c].name,
				nameEn: OPTIONS[c].nameEn,
				price: yuan(OPTIONS[c].priceYuan)
			}))
		)
	);

	const rng = ctx.rng.fork('items');
	for (const company of ctx.companies) {
		// Costs differ a little per company: each buys from its own suppliers.
		const rows = ITEMS.map(([sku, name, nameEn, category, uom, cost, safety, reorder], i) => ({
			companyId: company.id,
			sku,
			name,
			nameEn,
			category,
			uom,
			barcode: ean13(`69${company.index + 1}${String(7000 + i).padStart(4, '0')}${rng.digits(5)}`),
			safetyStock: safety,
			reorderQty: reorder,
			avgCost: yuan(Math.round(cost * rng.float(0.95, 1.06) * 100) / 100)
		}));
		const ids = load.insert(schema.items, rows);
		rows.forEach((r, i) => company.items.set(r.sku, { id: ids[i], cost: r.avgCost }));
		const def = COMPANIES[company.index];
		const second = CITIES[def.branches[1].city];
		company.warehouses = load.insert(schema.warehouses, [
			{ companyId: company.id, code: 'WH-01', name: `${company.city.key}总仓`, city: company.city.city },
			{ companyId: company.id, code: 'WH-02', name: `${second.key}备件库`, city: second.city }
		]);
	}
	ctx.counts.stockItems = ITEMS.length * ctx.companies.length;

	// model_parts has no company: a group-wide model gets one BOM row per company's item.
	load.add(
		schema.modelParts,
		ctx.models.flatMap((m) =>
			ctx.companies.flatMap((c) =>
				m.def.parts.map(([sku, qty, spare]) => ({
					modelId: m.id,
					itemId: c.items.get(sku)!.id,
					qtyPerUnit: qty,
					spare: spare ?? false
				}))
			)
		)
	);
}

/** Work centres and one routing per model and company, with the eight stages. */
export function seedProductionSetup(ctx: SeedCtx): void {
	const { load } = ctx;
	for (const company of ctx.companies) {
		const scale = company.code === 'GZ' ? 1.25 : company.code === 'SZ' ? 1 : 0.85;
		const centreIds = load.insert(
			schema.workCentres,
			STAGES.map(([, code, name, nameEn, , capacity]) => ({
				companyId: company.id,
				code,
				name: `${name}工位`,
				nameEn: `${nameEn} station`,
				dailyCapacityHours: String(Math.round(capacity * scale)),
				shifts: capacity >= 56 ? 2 : 1,
				holidays: HOLIDAYS
			}))
		);
		const routingIds = load.insert(
			schema.routings,
			ctx.models.map((m) => ({ companyId: company.id, modelId: m.id, name: `${m.def.code} 标准工艺路线` }))
		);
		const stageRows = ctx.models.flatMap((m, mi) => {
			const stages = STAGES.map(([stage, , , , hours], i) => ({
				seq: i + 1,
				stage,
				workCentreId: centreIds[i],
				hours: Math.round(hours * m.def.effort * 4) / 4
			}));
			company.routings.set(m.id, { id: routingIds[mi], stages });
			return stages.map((s) => ({
				routingId: routingIds[mi],
				seq: s.seq,
				stage: s.stage,
				workCentreId: s.workCentreId,
				standardHours: s.hours.toFixed(2)
			}));
		});
		load.add(schema.routingStages, stageRows);
	}
}
