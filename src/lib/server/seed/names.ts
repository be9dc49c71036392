import type { Rng } from './random';
import type { City } from './cities';

const SURNAMES = [
	...'王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛郝龚邵万钱严武戴孔汤'
];
const GIVEN_ONE = [
	...'伟芳娜敏静丽强磊军洋勇艳杰涛明超霞平刚辉鹏华红玲飞斌宇浩凯健俊帆旭宁琳晨欣婷雪慧颖倩波峰亮琴云萍'
];
const GIVEN_TWO = [
	'建国',
	'志强',
	'海燕',
	'丽华',
	'晓东',
	'晓燕',
	'子涵',
	'思远',
	'文博',
	'嘉怡',
	'国强',
	'红梅',
	'建华',
	'雨欣',
	'志明',
	'秀兰',
	'春燕',
	'永刚',
	'立新',
	'玉兰',
	'海涛',
	'晓峰',
	'俊杰',
	'欣怡',
	'浩然',
	'宏伟',
	'明辉',
	'文静'
];

export function personName(rng: Rng): string {
	const given = rng.chance(0.45)
		? rng.pick(GIVEN_ONE)
		: rng.chance(0.5)
			? rng.pick(GIVEN_TWO)
			: rng.pick(GIVEN_ONE) + rng.pick(GIVEN_ONE);
	return rng.pick(SURNAMES) + given;
}

const MOBILE_PREFIXES = [
	'130',
	'131',
	'133',
	'135',
	'136',
	'137',
	'138',
	'139',
	'150',
	'151',
	'158',
	'159',
	'177',
	'186',
	'187',
	'188',
	'189'
];

export function mobile(rng: Rng): string {
	return `${rng.pick(MOBILE_PREFIXES)}${rng.digits(8)}`;
}

export function landline(rng: Rng, city: City): string {
	return `${city.areaCode}-${rng.int(2, 8)}${rng.digits(3)} ${rng.digits(4)}`;
}

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';

/** An 18-character unified social credit code (统一社会信用代码) lookalike. */
export function taxNo(rng: Rng): string {
	let s = `91${rng.int(11, 65)}${rng.digits(4)}`;
	for (let i = 0; i < 10; i++) s += CREDIT_CHARS[rng.int(0, CREDIT_CHARS.length - 1)];
	return s;
}

// Brand-like cores built from two characters; real company brands are filtered out below.
const CORE_FIRST = [...'华中金恒锦泰瑞嘉宏盛德天海明东南云兴长信博永汇宇君启鼎卓晟翰'];
const CORE_SECOND = [...'润茂泽川城宇邦悦诚和景源安祥辉峰隆汇达创禾璟越坤屹澜瀚弘岳骏'];
const REAL_BRANDS = new Set([
	'卓越',
	'天润',
	'海悦',
	'中梁',
	'鸿达',
	'宏泰',
	'瑞和',
	'华润',
	'金茂',
	'华宇',
	'天安',
	'恒达',
	'中建',
	'中南',
	'华夏',
	'金地',
	'德信',
	'宏达',
	'永安',
	'中和',
	'东方',
	'海澜',
	'长城',
	'盛达',
	'泰禾',
	'明源',
	'瑞安',
	'金辉',
	'恒隆',
	'信达',
	'华安',
	'中安',
	'华创',
	'中创',
	'天创',
	'长安',
	'宇达',
	'嘉和',
	'博源',
	'永达',
	'中泽',
	'金隆',
	'信和'
]);

export const CORES: readonly string[] = CORE_FIRST.flatMap((a) => CORE_SECOND.map((b) => a + b)).filter(
	(c) => c[0] !== c[1] && !REAL_BRANDS.has(c)
);

export const CUSTOMER_KINDS_WEIGHTED = [
	['developer', 44],
	['contractor', 18],
	['property', 14],
	['government', 10],
	['hospital', 8],
	['other', 6]
] as const;
export type CustomerKind = (typeof CUSTOMER_KINDS_WEIGHTED)[number][0];

const CN_NUMBERS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十'];

/** An invented but plausible organisation name for a customer of the given kind. */
export function customerName(rng: Rng, kind: CustomerKind, city: City): string {
	const core = rng.pick(CORES);
	const c = city.key;
	const district = rng.pick(city.districts);
	switch (kind) {
		case 'developer':
			return rng.pick([
				`${core}置业（${c}）有限公司`,
				`${c}${core}房地产开发有限公司`,
				`${core}地产集团有限公司`,
				`${core}控股（${c}）有限公司`,
				`${c}${core}置地有限公司`
			]);
		case 'contractor':
			return rng.pick([
				`${c}${core}建设工程有限公司`,
				`${core}建工集团有限公司`,
				`${c}${core}机电安装工程有限公司`
			]);
		case 'property':
			return rng.pick([`${c}${core}物业服务有限公司`, `${core}物业管理（${c}）有限公司`]);
		case 'government':
			return rng.pick([
				`${c}市${district}城市更新建设管理中心`,
				`${c}市${district}老旧小区加装电梯办公室`,
				`${c}${core}城市建设投资集团有限公司`,
				`${c}市${district}保障性住房建设中心`
			]);
		case 'hospital':
			return rng.pick([
				`${c}市第${rng.pick(CN_NUMBERS)}人民医院`,
				`${c}${core}医院`,
				`${c}市${district}中医医院`,
				`${c}${core}妇产医院`
			]);
		default:
			return rng.pick([
				`${c}${core}酒店管理有限公司`,
				`${core}商业管理（${c}）有限公司`,
				`${c}${core}实验学校`,
				`${c}${core}物流园有限公司`
			]);
	}
}

const SITE_SUFFIX = [
	'花园',
	'广场',
	'中心',
	'大厦',
	'公馆',
	'府',
	'国际',
	'天地',
	'华庭',
	'名苑',
	'湾',
	'雅苑',
	'御园',
	'科技园',
	'产业园'
];
const PHASES = ['', '', '一期', '二期', '三期', 'A区', 'B区'];

/** A project site's name, in keeping with the customer's kind. */
export function siteName(rng: Rng, kind: CustomerKind, city: City, district: string): string {
	const core = rng.pick(CORES);
	switch (kind) {
		case 'hospital':
			return rng.pick(['门诊综合楼', '住院部大楼', '医技楼', '新院区一期']);
		case 'government':
			return rng.pick([
				`${district}老旧小区加装电梯项目（${rng.int(1, 40)} 号楼）`,
				`${city.key}${core}安置房项目`,
				`${district}人才公寓`
			]);
		case 'property':
			return `${core}${rng.pick(SITE_SUFFIX)}（电梯更新改造）`;
		default:
			return `${core}${rng.pick(SITE_SUFFIX)}${rng.pick(PHASES)}`;
	}
}

const ROADS = [
	'人民路',
	'中山路',
	'解放路',
	'建设路',
	'长江路',
	'滨江大道',
	'科技路',
	'新华路',
	'文化路',
	'和平路',
	'学府路',
	'世纪大道',
	'创业路',
	'东风路',
	'迎宾大道',
	'春华路',
	'青年路',
	'湖滨路',
	'金融街',
	'振兴路'
];

export function streetAddress(rng: Rng, district: string): string {
	return `${district}${rng.pick(ROADS)}${rng.int(1, 1999)}号`;
}

export const CONTACT_TITLES = [
	'项目经理',
	'采购经理',
	'工程部经理',
	'总经理',
	'物业经理',
	'设备科科长',
	'基建处处长',
	'机电工程师'
];

/** A point near the city centre: within about ±9 km. */
export function jitter(rng: Rng, city: City, spread = 0.08): { lat: number; lng: number } {
	const round = (v: number) => Math.round(v * 1e6) / 1e6;
	return {
		lat: round(city.lat + rng.float(-spread, spread)),
		lng: round(city.lng + rng.float(-spread, spread))
	};
}
