export interface CompanyDef {
	code: string;
	name: string;
	nameEn: string;
	city: string;
	address: string;
	taxNo: string;
	phone: string;
	branches: readonly { code: string; name: string; city: string }[];
	/** Where its customers' sites are, with weights. */
	market: readonly (readonly [string, number])[];
}

export const GROUP_NAME = '华梯电梯集团';

/** The three subsidiaries of the demo group; company 2 (SZ) is the one `scoped1` sees. */
export const COMPANIES: readonly CompanyDef[] = [
	{
		code: 'SH',
		name: '华梯电梯（上海）有限公司',
		nameEn: 'Huati Elevator (Shanghai) Co., Ltd.',
		city: '上海',
		address: '上海市闵行区春东路508号',
		taxNo: '91310112MA1GB2XK3P',
		phone: '021-5488 2600',
		branches: [
			{ code: 'SH-HQ', name: '上海总部', city: '上海' },
			{ code: 'SH-HZ', name: '杭州分公司', city: '杭州' },
			{ code: 'SH-NB', name: '宁波办事处', city: '宁波' },
			{ code: 'SH-BJ', name: '北京分公司', city: '北京' }
		],
		market: [
			['上海', 40],
			['杭州', 14],
			['宁波', 8],
			['南京', 6],
			['北京', 14],
			['天津', 8],
			['郑州', 10]
		]
	},
	{
		code: 'SZ',
		name: '华梯电梯（苏州）有限公司',
		nameEn: 'Huati Elevator (Suzhou) Co., Ltd.',
		city: '苏州',
		address: '江苏省苏州市吴中区吴中大道1688号',
		taxNo: '91320506MA1N7QF28K',
		phone: '0512-6628 1900',
		branches: [
			{ code: 'SZ-HQ', name: '苏州总部', city: '苏州' },
			{ code: 'SZ-WX', name: '无锡分公司', city: '无锡' },
			{ code: 'SZ-NJ', name: '南京分公司', city: '南京' },
			{ code: 'SZ-WH', name: '武汉办事处', city: '武汉' }
		],
		market: [
			['苏州', 40],
			['无锡', 14],
			['南京', 16],
			['合肥', 10],
			['武汉', 12],
			['西安', 8]
		]
	},
	{
		code: 'GZ',
		name: '华梯电梯（广州）有限公司',
		nameEn: 'Huati Elevator (Guangzhou) Co., Ltd.',
		city: '广州',
		address: '广东省广州市番禺区市广路88号',
		taxNo: '91440113MA59C8TP4W',
		phone: '020-3482 7700',
		branches: [
			{ code: 'GZ-HQ', name: '广州总部', city: '广州' },
			{ code: 'GZ-SZ', name: '深圳分公司', city: '深圳' },
			{ code: 'GZ-FS', name: '佛山办事处', city: '佛山' },
			{ code: 'GZ-CD', name: '成都分公司', city: '成都' }
		],
		market: [
			['广州', 32],
			['深圳', 20],
			['佛山', 10],
			['东莞', 8],
			['厦门', 6],
			['长沙', 8],
			['成都', 9],
			['重庆', 7]
		]
	}
];

/** Installation and service crews: two per company, each with a home base. */
export const CREWS: readonly { company: string; name: string; city: string }[] = [
	{ company: 'SH', name: '上海安装一队', city: '上海' },
	{ company: 'SH', name: '杭州安装维保队', city: '杭州' },
	{ company: 'SZ', name: '苏州安装一队', city: '苏州' },
	{ company: 'SZ', name: '南京安装维保队', city: '南京' },
	{ company: 'GZ', name: '广州安装一队', city: '广州' },
	{ company: 'GZ', name: '深圳安装维保队', city: '深圳' }
];
