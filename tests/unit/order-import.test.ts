import { describe, expect, it } from 'vitest';
import { orderSchema, type CatalogModel, type Locale } from '../../src/lib/domain/order-entry';
import {
	checkOrder,
	groupRows,
	isoDate,
	mapHeaders,
	mapOrder,
	parseNumber,
	splitCodes,
	type ImportLookups,
	type SheetRow
} from '../../src/lib/domain/order-import';

const model: CatalogModel = {
	id: 7,
	code: 'HT-P10',
	name: '乘客电梯 P10',
	nameEn: 'Passenger P10',
	kind: 'passenger',
	loadsKg: [630, 800, 1000],
	speeds: [1, 1.5, 1.75],
	minStops: 2,
	maxStops: 24,
	maxTravelM: 75,
	doorTypes: ['center', 'side'],
	minDoorWidthMm: 800,
	maxDoorWidthMm: 1100,
	machineRoom: false,
	machineRoomLess: true,
	listPrice: 26_800_000,
	pricePerStop: 600_000,
	active: true,
	options: [
		{ code: 'FIN-HL', name: '发纹不锈钢', nameEn: 'Hairline steel', price: 0 },
		{ code: 'IC', name: 'IC 卡', nameEn: 'IC card', price: 600_000 },
		{ code: 'ARD', name: '应急平层', nameEn: 'ARD', price: 900_000 }
	]
};
const catalog = [model];
const models = new Map(catalog.map((x) => [x.id, x]));
const today = '2026-01-10';

const lookups: ImportLookups = {
	companyId: (code) => ({ SH: 1, SZ: 2 })[code.toUpperCase()],
	customerId: (companyId, code) => (companyId === 1 && code === 'C-SH-00001' ? 11 : undefined),
	siteId: (customerId, name) => (customerId === 11 && name === '一号工地' ? 21 : undefined),
	model: (code) => (code.toUpperCase() === 'HT-P10' ? model : undefined)
};

// Chinese headers, not in the template's order, with a star and full-width brackets.
const ZH = [
	'型号代码',
	'外部单号*',
	'公司代码',
	'客户编码',
	'工地名称',
	'交货日期',
	'优先级',
	'折扣 %',
	'数量',
	'额定载重 kg',
	'速度（m/s）',
	'层站数',
	'提升高度 m',
	'门型',
	'开门宽度 mm',
	'有机房',
	'轿厢装潢代码',
	'选项代码'
];
const row = (n: number, cells: string[]): SheetRow => ({ row: n, cells });
const good = (n: number, ref = 'PO-1', extra: Partial<Record<number, string>> = {}) => {
	const cells = [
		'HT-P10',
		ref,
		'SH',
		'C-SH-00001',
		'一号工地',
		'2026/3/1',
		'加急',
		'5%',
		'2',
		'800',
		'1.5',
		'10',
		'27',
		'中分门',
		'900',
		'否',
		'FIN-HL',
		'IC、ARD'
	];
	for (const [i, v] of Object.entries(extra)) cells[Number(i)] = v!;
	return row(n, cells);
};

function run(rows: SheetRow[], locale: Locale = 'zh-CN', headers = ZH) {
	const header = mapHeaders(row(1, headers), locale);
	const schema = orderSchema(catalog, { locale, today });
	return {
		header,
		orders: groupRows(rows, header).map((g) =>
			checkOrder(mapOrder(g, header, lookups, locale), schema, models, locale)
		)
	};
}

describe('order import: headers', () => {
	it('maps Chinese and English headers in any order, loosely', () => {
		const zh = mapHeaders(row(1, ZH), 'zh-CN');
		expect(zh.issues).toEqual([]);
		expect(zh.columns.externalRef).toEqual({ index: 1, header: '外部单号*' });
		expect(zh.columns.speed?.index).toBe(10);
		const en = mapHeaders(
			row(1, [
				'qty',
				'External Reference',
				'COMPANY CODE',
				'Delivery date',
				'Model code',
				'Rated load kg',
				'Speed m/s',
				'Stops',
				'Travel m',
				'Door type',
				'Door width mm',
				'Machine room'
			]),
			'en'
		);
		expect(en.issues).toEqual([]);
		expect(en.columns.qty?.index).toBe(0);
	});

	it('reports unknown, repeated and missing required headers in the user language', () => {
		const h = mapHeaders(row(1, ['外部单号', '颜色', '外部单号', 'External reference']), 'zh-CN');
		expect(h.issues).toContainEqual({ row: 1, column: '颜色', message: '无法识别的列标题“颜色”' });
		expect(h.issues.filter((i) => i.column === '外部单号' || i.column === 'External reference')).toHaveLength(
			2
		);
		expect(h.issues).toContainEqual({ row: 1, column: '型号代码', message: '缺少必需的列“型号代码”' });
		const en = mapHeaders(row(1, ['colour']), 'en');
		expect(en.issues[0].message).toBe('Unknown column header “colour”');
		expect(en.issues).toContainEqual({
			row: 1,
			column: 'Model code',
			message: 'The required column “Model code” is missing'
		});
	});
});

describe('order import: rows to orders', () => {
	it('turns the rows of one reference into one order, values as typed in a spreadsheet', () => {
		const { orders } = run([
			good(2),
			good(3, 'PO-1', { 2: '', 3: '', 4: '', 5: '', 6: '', 7: '', 8: '1', 15: 'no', 16: '', 17: '' }),
			good(4, 'PO-2')
		]);
		expect(orders).toHaveLength(2);
		expect(orders[0].issues).toEqual([]);
		const o = orders[0].data!;
		expect(o).toMatchObject({
			companyId: 1,
			customerId: 11,
			siteId: 21,
			priority: 'urgent',
			deliveryDate: '2026-03-01',
			discountBp: 500,
			taxRateBp: 1300,
			externalRef: 'PO-1'
		});
		expect(o.lines).toHaveLength(2);
		expect(o.lines[0]).toMatchObject({
			modelId: 7,
			qty: 2,
			loadKg: 800,
			speed: 1.5,
			stops: 10,
			travelM: 27,
			doorType: 'center',
			doorWidthMm: 900,
			machineRoom: false,
			finish: 'FIN-HL',
			optionCodes: ['IC', 'ARD']
		});
		expect(o.lines[1]).toMatchObject({ qty: 1, finish: null, optionCodes: [] });
	});

	it('makes a new customer and site from their columns', () => {
		const headers = [
			'External reference',
			'Company code',
			'New customer name',
			'New customer type',
			'Site name',
			'Province',
			'City',
			'Address',
			'Latitude',
			'Longitude',
			'Delivery date',
			'Model code',
			'Qty',
			'Rated load kg',
			'Speed m/s',
			'Stops',
			'Travel m',
			'Door type',
			'Door width mm',
			'Machine room'
		];
		const { orders } = run(
			[
				row(2, [
					'X-1',
					'sz',
					'Acme Towers',
					'Developer',
					'Tower A',
					'江苏省',
					'苏州',
					'工业园区星湖街 1 号',
					'31.3',
					'120.6',
					'2026-05-01',
					'ht-p10',
					'1',
					'1000',
					'1.75',
					'20',
					'60',
					'side',
					'1100',
					'no'
				])
			],
			'en',
			headers
		);
		expect(orders[0].issues).toEqual([]);
		expect(orders[0].data).toMatchObject({
			companyId: 2,
			customerId: undefined,
			newCustomer: { name: 'Acme Towers', kind: 'developer' },
			newSite: {
				name: 'Tower A',
				province: '江苏省',
				city: '苏州',
				address: '工业园区星湖街 1 号',
				lat: 31.3,
				lng: 120.6
			}
		});
	});

	it('lists every bad cell with its row, the header as written and the reason', () => {
		const rows = [
			good(2, 'PO-1', { 9: '900', 12: 'abc' }), // load not allowed; travel not a number
			good(3, 'PO-1', { 2: 'SZ', 15: '也许' }), // another company than row 2; machine room not yes/no
			good(5, 'PO-2', { 0: 'XX-9', 5: '明天' }), // unknown model; bad date
			good(6, '', {}), // no reference
			good(7, 'PO-3', { 3: 'C-SH-99999', 13: '双开' }) // unknown customer; unknown door type
		];
		const zh = run(rows, 'zh-CN');
		const all = zh.orders.flatMap((o) => o.issues);
		expect(zh.orders.every((o) => !o.data)).toBe(true);
		const at = (r: number, c: string) => all.find((i) => i.row === r && i.column === c)?.message;
		expect(at(2, '额定载重 kg')).toBe('该型号的额定载重只能是 630, 800, 1000 kg');
		expect(at(2, '提升高度 m')).toBe('“abc”不是数字');
		expect(at(3, '公司代码')).toBe('与本订单第 2 行的值“SH”不同');
		expect(at(3, '有机房')).toBe('请填写 是 或 否');
		expect(at(5, '型号代码')).toBe('目录中没有型号“XX-9”');
		expect(at(5, '交货日期')).toBe('日期“明天”无效，请用 YYYY-MM-DD');
		expect(at(6, '外部单号*')).toBe('必填');
		expect(at(7, '客户编码')).toBe('找不到该客户，或您无权为其下单');
		expect(at(7, '门型')).toMatch(/^“双开”无效，可选：中分门/);
		const en = run(rows, 'en').orders.flatMap((o) => o.issues);
		expect(en.find((i) => i.row === 2 && i.column === '额定载重 kg')?.message).toBe(
			'Rated load must be one of 630, 800, 1000 kg for this model'
		);
		expect(en.find((i) => i.row === 5 && i.column === '型号代码')?.message).toBe(
			'No model “XX-9” in the catalog'
		);
	});

	it('puts the schema own rules on their cells: delivery date in the past, discount too high, a finish as an option', () => {
		const { orders } = run([good(2, 'PO-9', { 5: '2025-12-31', 7: '60', 17: 'FIN-HL' })], 'en');
		const byColumn = Object.fromEntries(orders[0].issues.map((i) => [i.column, i.message]));
		expect(Object.keys(byColumn).sort()).toEqual(['交货日期', '折扣 %', '选项代码'].sort());
		expect(byColumn['选项代码']).toBe('This model has no option FIN-HL');
		expect(orders[0].issues.every((i) => i.row === 2)).toBe(true);
	});
});

describe('order import: cell values', () => {
	it('reads numbers, dates and code lists as people type them', () => {
		expect(parseNumber('1,000')).toBe(1000);
		expect(parseNumber('１.５')).toBe(1.5);
		expect(parseNumber('13%')).toBe(13);
		expect(parseNumber('800 kg')).toBe(800);
		expect(parseNumber('abc')).toBeUndefined();
		expect(parseNumber('')).toBeUndefined();
		expect(isoDate('2026/3/1')).toBe('2026-03-01');
		expect(isoDate('2026年3月1日')).toBe('2026-03-01');
		expect(isoDate('3/1/2026')).toBeUndefined();
		expect(splitCodes('IC, ARD、IOT，AIR;  ')).toEqual(['IC', 'ARD', 'IOT', 'AIR']);
	});
});
