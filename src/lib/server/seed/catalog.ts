import type { MODEL_KINDS, DOOR_TYPES } from '../db/schema/catalog';

/** Yuan to fen: every amount in the database is integer fen. */
export const yuan = (v: number): number => Math.round(v * 100);

export interface OptionDef {
	code: string;
	name: string;
	nameEn: string;
	priceYuan: number;
	/** A car finish: a line takes exactly one, stored in `finish` and in `optionCodes`. */
	finish?: boolean;
}

export const OPTIONS: Readonly<Record<string, OptionDef>> = Object.fromEntries(
	(
		[
			{
				code: 'FIN-HL',
				name: '发纹不锈钢轿厢',
				nameEn: 'Hairline stainless car',
				priceYuan: 0,
				finish: true
			},
			{
				code: 'FIN-MR',
				name: '镜面不锈钢轿厢',
				nameEn: 'Mirror stainless car',
				priceYuan: 8000,
				finish: true
			},
			{ code: 'FIN-ET', name: '镜面蚀刻轿厢', nameEn: 'Etched mirror car', priceYuan: 15000, finish: true },
			{ code: 'FIN-GL', name: '全玻璃轿壁', nameEn: 'Glass car walls', priceYuan: 28000, finish: true },
			{ code: 'IC', name: 'IC 卡梯控', nameEn: 'IC card access control', priceYuan: 6000 },
			{ code: 'REGEN', name: '能量回馈装置', nameEn: 'Energy feedback unit', priceYuan: 18000 },
			{ code: 'ARD', name: '停电应急平层装置', nameEn: 'Automatic rescue device', priceYuan: 9000 },
			{ code: 'IOT', name: '远程监控（物联网）', nameEn: 'Remote monitoring (IoT)', priceYuan: 4500 },
			{ code: 'AIR', name: '轿厢空气净化', nameEn: 'Car air purifier', priceYuan: 3000 },
			{ code: 'THRU', name: '贯通门', nameEn: 'Through-car door', priceYuan: 20000 },
			{ code: 'BED', name: '病床专用运行模式', nameEn: 'Bed service mode', priceYuan: 5000 },
			{ code: 'OUT', name: '室外防水型', nameEn: 'Outdoor weatherproof', priceYuan: 30000 },
			{ code: 'AUTO', name: '变频自动启停', nameEn: 'VVVF auto start/stop', priceYuan: 7000 },
			{ code: 'LIGHT', name: '梯级照明', nameEn: 'Step lighting', priceYuan: 4000 }
		] satisfies OptionDef[]
	).map((o) => [o.code, o])
);

export interface ModelDef {
	code: string;
	name: string;
	nameEn: string;
	kind: (typeof MODEL_KINDS)[number];
	loadsKg: number[];
	speeds: number[];
	minStops: number;
	maxStops: number;
	maxTravelM: number;
	doorTypes: (typeof DOOR_TYPES)[number][];
	minDoorWidthMm: number;
	maxDoorWidthMm: number;
	machineRoom: boolean;
	machineRoomLess: boolean;
	listPriceYuan: number;
	pricePerStopYuan: number;
	options: string[];
	/** BOM: [sku, qty per unit, spare part?]. */
	parts: [string, number, boolean?][];
	/** Production effort relative to a standard passenger lift. */
	effort: number;
	/** How often it sells. */
	weight: number;
}

export const CAR = ['FIN-HL', 'FIN-MR', 'FIN-ET', 'IC', 'ARD', 'IOT', 'AIR'];
export const LIFT_PARTS: [string, number, boolean?][] = [
	['CC-STD', 1],
	['INV-15', 1],
	['DO-VF', 1],
	['LD-SET', 10],
	['GR-T89', 120],
	['WR-10', 400],
	['TC-40', 80],
	['COP-01', 1],
	['LOP-01', 10],
	['LC-194', 1],
	['SG-PR', 1],
	['GOV-175', 1],
	['BUF-HY', 2],
	['BRK-EM', 1],
	['ENC-01', 1],
	['CF-STD', 1],
	['CW-BLK', 40],
	['PCB-MB', 1, true],
	['DR-ROLL', 4, true],
	['DR-BELT', 1, true]
];
export const withMachine = (
	sku: string,
	extra: [string, number, boolean?][] = []
): [string, number, boolean?][] => [[sku, 1], ...LIFT_PARTS, ...extra];
export const ESCALATOR_PARTS: [string, number, boolean?][] = [
	['ES-DRV', 1],
	['CC-STD', 1],
	['ES-STEP', 60],
	['ES-HR', 32],
	['ES-CHAIN', 40],
	['ES-COMB', 4],
	['BRK-EM', 1],
	['PCB-MB', 1, true],
	['OIL-GR', 5, true]
];
