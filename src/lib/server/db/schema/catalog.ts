import { sql } from 'drizzle-orm';
import {
	boolean,
	check,
	doublePrecision,
	integer,
	pgTable,
	primaryKey,
	text,
	uniqueIndex
} from 'drizzle-orm/pg-core';
import { id, money, oneOf, timestamps, version } from './columns';
import { items } from './stock';

export const MODEL_KINDS = ['passenger', 'freight', 'hospital', 'home', 'escalator', 'sightseeing'] as const;
export const DOOR_TYPES = ['center', 'side', 'telescopic'] as const;

/**
 * An elevator model and the specs it allows. A unit's specs are checked against these ranges
 * and lists (domain/catalog.ts).
 */
export const elevatorModels = pgTable(
	'elevator_models',
	{
		id: id(),
		code: text('code').notNull(),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
		kind: text('kind').$type<(typeof MODEL_KINDS)[number]>().notNull(),
		/** Allowed rated loads in kg, e.g. {630,800,1000}. */
		loadsKg: integer('loads_kg').array().notNull(),
		/** Allowed speeds in m/s. Speeds are physical quantities, not money. */
		speeds: doublePrecision('speeds').array().notNull(),
		minStops: integer('min_stops').notNull(),
		maxStops: integer('max_stops').notNull(),
		maxTravelM: doublePrecision('max_travel_m').notNull(),
		doorTypes: text('door_types').array().notNull(),
		minDoorWidthMm: integer('min_door_width_mm').notNull(),
		maxDoorWidthMm: integer('max_door_width_mm').notNull(),
		machineRoom: boolean('machine_room').notNull(),
		machineRoomLess: boolean('machine_room_less').notNull(),
		listPrice: money('list_price').notNull(),
		/** Price per stop above `minStops`. */
		pricePerStop: money('price_per_stop').notNull().default(0),
		active: boolean('active').notNull().default(true),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('elevator_models_code_uq').on(t.code),
		check('elevator_models_kind_ck', sql.raw(`kind in (${oneOf(MODEL_KINDS)})`)),
		check('elevator_models_stops_ck', sql`${t.minStops} >= 2 and ${t.maxStops} >= ${t.minStops}`),
		check('elevator_models_door_ck', sql`${t.maxDoorWidthMm} >= ${t.minDoorWidthMm}`),
		check('elevator_models_price_ck', sql`${t.listPrice} >= 0 and ${t.pricePerStop} >= 0`),
		check('elevator_models_room_ck', sql`${t.machineRoom} or ${t.machineRoomLess}`)
	]
);

/** Finish and feature options for a model (car finish, landing doors, IC card…). */
export const modelOptions = pgTable(
	'model_options',
	{
		id: id(),
		modelId: integer('model_id')
			.notNull()
			.references(() => elevatorModels.id, { onDelete: 'cascade' }),
		code: text('code').notNull(),
		name: text('name').notNull(),
		nameEn: text('name_en').notNull(),
		price: money('price').notNull().default(0),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('model_options_model_code_uq').on(t.modelId, t.code),
		check('model_options_price_ck', sql`${t.price} >= 0`)
	]
);

/** Parts a model is built from (bill of materials) and the spare parts it takes. */
export const modelParts = pgTable(
	'model_parts',
	{
		modelId: integer('model_id')
			.notNull()
			.references(() => elevatorModels.id, { onDelete: 'cascade' }),
		itemId: integer('item_id')
			.notNull()
			.references(() => items.id),
		qtyPerUnit: integer('qty_per_unit').notNull(),
		spare: boolean('spare').notNull().default(false)
	},
	(t) => [
		primaryKey({ columns: [t.modelId, t.itemId] }),
		check('model_parts_qty_ck', sql`${t.qtyPerUnit} > 0`)
	]
);
