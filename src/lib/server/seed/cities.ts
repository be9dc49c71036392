/** Real Chinese cities: centre coordinates (WGS-84, rounded), districts and telephone area codes. */
export interface City {
	key: string;
	province: string;
	/** As written in an address: '苏州市'. */
	city: string;
	lat: number;
	lng: number;
	areaCode: string;
	districts: readonly string[];
}

const list: City[] = [
	{
		key: '上海',
		province: '上海市',
		city: '上海市',
		lat: 31.2304,
		lng: 121.4737,
		areaCode: '021',
		districts: [
			'浦东新区',
			'黄浦区',
			'徐汇区',
			'静安区',
			'闵行区',
			'宝山区',
			'嘉定区',
			'松江区',
			'青浦区',
			'普陀区'
		]
	},
	{
		key: '苏州',
		province: '江苏省',
		city: '苏州市',
		lat: 31.299,
		lng: 120.5853,
		areaCode: '0512',
		districts: ['姑苏区', '吴中区', '相城区', '虎丘区', '吴江区', '苏州工业园区']
	},
	{
		key: '杭州',
		province: '浙江省',
		city: '杭州市',
		lat: 30.2741,
		lng: 120.1551,
		areaCode: '0571',
		districts: ['上城区', '拱墅区', '西湖区', '滨江区', '萧山区', '余杭区']
	},
	{
		key: '南京',
		province: '江苏省',
		city: '南京市',
		lat: 32.0603,
		lng: 118.7969,
		areaCode: '025',
		districts: ['玄武区', '秦淮区', '建邺区', '鼓楼区', '江宁区', '浦口区']
	},
	{
		key: '无锡',
		province: '江苏省',
		city: '无锡市',
		lat: 31.4912,
		lng: 120.3119,
		areaCode: '0510',
		districts: ['梁溪区', '滨湖区', '新吴区', '锡山区', '惠山区']
	},
	{
		key: '宁波',
		province: '浙江省',
		city: '宁波市',
		lat: 29.8683,
		lng: 121.544,
		areaCode: '0574',
		districts: ['海曙区', '江北区', '鄞州区', '镇海区', '北仑区']
	},
	{
		key: '合肥',
		province: '安徽省',
		city: '合肥市',
		lat: 31.8206,
		lng: 117.2272,
		areaCode: '0551',
		districts: ['蜀山区', '包河区', '庐阳区', '瑶海区']
	},
	{
		key: '北京',
		province: '北京市',
		city: '北京市',
		lat: 39.9042,
		lng: 116.4074,
		areaCode: '010',
		districts: ['朝阳区', '海淀区', '东城区', '西城区', '丰台区', '通州区']
	},
	{
		key: '天津',
		province: '天津市',
		city: '天津市',
		lat: 39.3434,
		lng: 117.3616,
		areaCode: '022',
		districts: ['和平区', '河西区', '南开区', '河东区', '滨海新区']
	},
	{
		key: '郑州',
		province: '河南省',
		city: '郑州市',
		lat: 34.7466,
		lng: 113.6254,
		areaCode: '0371',
		districts: ['金水区', '二七区', '中原区', '管城回族区']
	},
	{
		key: '武汉',
		province: '湖北省',
		city: '武汉市',
		lat: 30.5928,
		lng: 114.3055,
		areaCode: '027',
		districts: ['江岸区', '武昌区', '洪山区', '汉阳区', '江汉区']
	},
	{
		key: '西安',
		province: '陕西省',
		city: '西安市',
		lat: 34.3416,
		lng: 108.9398,
		areaCode: '029',
		districts: ['雁塔区', '碑林区', '未央区', '长安区', '新城区']
	},
	{
		key: '广州',
		province: '广东省',
		city: '广州市',
		lat: 23.1291,
		lng: 113.2644,
		areaCode: '020',
		districts: ['天河区', '越秀区', '海珠区', '番禺区', '白云区', '黄埔区']
	},
	{
		key: '深圳',
		province: '广东省',
		city: '深圳市',
		lat: 22.5431,
		lng: 114.0579,
		areaCode: '0755',
		districts: ['福田区', '南山区', '罗湖区', '宝安区', '龙岗区', '龙华区']
	},
	{
		key: '佛山',
		province: '广东省',
		city: '佛山市',
		lat: 23.0218,
		lng: 113.1219,
		areaCode: '0757',
		districts: ['禅城区', '南海区', '顺德区']
	},
	{
		key: '东莞',
		province: '广东省',
		city: '东莞市',
		lat: 23.0207,
		lng: 113.7518,
		areaCode: '0769',
		districts: ['南城街道', '东城街道', '莞城街道', '松山湖']
	},
	{
		key: '厦门',
		province: '福建省',
		city: '厦门市',
		lat: 24.4798,
		lng: 118.0894,
		areaCode: '0592',
		districts: ['思明区', '湖里区', '集美区']
	},
	{
		key: '长沙',
		province: '湖南省',
		city: '长沙市',
		lat: 28.2282,
		lng: 112.9388,
		areaCode: '0731',
		districts: ['岳麓区', '芙蓉区', '天心区', '开福区']
	},
	{
		key: '成都',
		province: '四川省',
		city: '成都市',
		lat: 30.5728,
		lng: 104.0668,
		areaCode: '028',
		districts: ['锦江区', '青羊区', '武侯区', '成华区', '金牛区']
	},
	{
		key: '重庆',
		province: '重庆市',
		city: '重庆市',
		lat: 29.563,
		lng: 106.5516,
		areaCode: '023',
		districts: ['渝中区', '江北区', '南岸区', '渝北区', '九龙坡区']
	}
];

export const CITIES: Readonly<Record<string, City>> = Object.fromEntries(list.map((c) => [c.key, c]));

/** Mainland China's bounding box, for the seed's own sanity test. */
export const CHINA_BOUNDS = { minLat: 18, maxLat: 54, minLng: 73, maxLng: 135 } as const;
