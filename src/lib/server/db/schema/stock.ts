import { sql } from 'drizzle-orm';
import {
	check,
	index,
	integer,
	pgTable,
	primaryKey,
	text,
	timestamp,
	uniqueIndex,
	date
} from 'drizzle-orm/pg-core';
import { id, money, oneOf, timestamps, version } from './columns';
import { companies } from './org';
import { users } from './auth';
import { MOVEMENT_KINDS, ITEM_CATEGORIES } from '../../../domain/statuses';

/** Parts and materials. Quantities are whole units of measure (pieces, metres, sets). */
export const items = pgTable(
	'items',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		sku: text('sku').notNull(),
		name: text('name').notNull(),
		nameEn: text('name_en'),
		category: text('category').$type<(typeof ITEM_CATEGORIES)[number]>().notNull(),
		uom: text('uom').notNull().default('pcs'),
		barcode: text('barcode'),
		safetyStock: integer('safety_stock').notNull().default(0),
		reorderQty: integer('reorder_qty').notNull().default(0),
		/** Moving-average unit cost in fen. */
		avgCost: money('avg_cost').notNull().default(0),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('items_company_sku_uq').on(t.companyId, t.sku),
		index('items_barcode_idx').on(t.barcode),
		index('items_name_trgm_idx').using('gin', sql`${t.name} gin_trgm_ops`),
		check('items_category_ck', sql.raw(`category in (${oneOf(ITEM_CATEGORIES)})`)),
		check('items_safety_ck', sql`${t.safetyStock} >= 0 and ${t.reorderQty} >= 0 and ${t.avgCost} >= 0`)
	]
);

export const warehouses = pgTable(
	'warehouses',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		code: text('code').notNull(),
		name: text('name').notNull(),
		city: text('city'),
		version: version(),
		...timestamps
	},
	(t) => [uniqueIndex('warehouses_company_code_uq').on(t.companyId, t.code)]
);

/** On hand and reserved per item and warehouse; changed only together with a movement. */
export const stockLevels = pgTable(
	'stock_levels',
	{
		itemId: integer('item_id')
			.notNull()
			.references(() => items.id),
		warehouseId: integer('warehouse_id')
			.notNull()
			.references(() => warehouses.id),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		onHand: integer('on_hand').notNull().default(0),
		reserved: integer('reserved').notNull().default(0),
		version: version(),
		updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		primaryKey({ columns: [t.itemId, t.warehouseId] }),
		check('stock_levels_nonneg_ck', sql`${t.onHand} >= 0 and ${t.reserved} >= 0`)
	]
);

export const stockMovements = pgTable(
	'stock_movements',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		itemId: integer('item_id')
			.notNull()
			.references(() => items.id),
		warehouseId: integer('warehouse_id')
			.notNull()
			.references(() => warehouses.id),
		kind: text('kind').$type<(typeof MOVEMENT_KINDS)[number]>().notNull(),
		/** Signed: positive in, negative out. */
		qty: integer('qty').notNull(),
		unitCost: money('unit_cost').notNull().default(0),
		reason: text('reason').notNull(),
		/** What the movement was for: 'work_order:12', 'ticket:7', 'po:3'. */
		reference: text('reference'),
		actorId: integer('actor_id').references(() => users.id),
		at: timestamp('at', { withTimezone: true }).notNull().defaultNow()
	},
	(t) => [
		index('stock_movements_item_at_idx').on(t.itemId, t.at),
		index('stock_movements_company_at_idx').on(t.companyId, t.at),
		check('stock_movements_kind_ck', sql.raw(`kind in (${oneOf(MOVEMENT_KINDS)})`)),
		check('stock_movements_qty_ck', sql`${t.qty} <> 0`)
	]
);

/** Stock held for a work order or a service ticket. */
export const stockReservations = pgTable(
	'stock_reservations',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		itemId: integer('item_id')
			.notNull()
			.references(() => items.id),
		warehouseId: integer('warehouse_id')
			.notNull()
			.references(() => warehouses.id),
		qty: integer('qty').notNull(),
		reference: text('reference').notNull(),
		status: text('status').$type<'open' | 'issued' | 'released'>().notNull().default('open'),
		version: version(),
		...timestamps
	},
	(t) => [
		index('stock_reservations_ref_idx').on(t.reference),
		index('stock_reservations_item_idx').on(t.itemId, t.status),
		check('stock_reservations_qty_ck', sql`${t.qty} > 0`),
		check('stock_reservations_status_ck', sql`${t.status} in ('open', 'issued', 'released')`)
	]
);

export const suppliers = pgTable(
	'suppliers',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		code: text('code').notNull(),
		name: text('name').notNull(),
		contact: text('contact'),
		phone: text('phone'),
		version: version(),
		...timestamps
	},
	(t) => [uniqueIndex('suppliers_company_code_uq').on(t.companyId, t.code)]
);

export const purchaseOrders = pgTable(
	'purchase_orders',
	{
		id: id(),
		companyId: integer('company_id')
			.notNull()
			.references(() => companies.id),
		number: text('number').notNull(),
		supplierId: integer('supplier_id')
			.notNull()
			.references(() => suppliers.id),
		status: text('status')
			.$type<'draft' | 'sent' | 'partially_received' | 'received' | 'cancelled'>()
			.notNull()
			.default('draft'),
		expectedOn: date('expected_on'),
		totalAmount: money('total_amount').notNull().default(0),
		version: version(),
		...timestamps
	},
	(t) => [
		uniqueIndex('purchase_orders_number_uq').on(t.number),
		check(
			'purchase_orders_status_ck',
			sql`${t.status} in ('draft', 'sent', 'partially_received', 'received', 'cancelled')`
		)
	]
);

export const purchaseOrderLines = pgTable(
	'purchase_order_lines',
	{
		id: id(),
		purchaseOrderId: integer('purchase_order_id')
			.notNull()
			.references(() => purchaseOrders.id, { onDelete: 'cascade' }),
		itemId: integer('item_id')
			.notNull()
			.references(() => items.id),
		qty: integer('qty').notNull(),
		receivedQty: integer('received_qty').notNull().default(0),
		unitPrice: money('unit_price').notNull()
	},
	(t) => [check('purchase_order_lines_qty_ck', sql`${t.qty} > 0 and ${t.receivedQty} between 0 and ${t.qty}`)]
);
