/**
 * Links that hand a site's location to the phone's navigation: Amap's URI API (opens the Amap
 * app on Chinese phones, its web page elsewhere) and a geo: URI for whatever maps app is set.
 * The coordinates are WGS84, as the office map shows them.
 */
export function amapLink(lat: number, lng: number, name: string): string {
	const to = `${lng},${lat},${encodeURIComponent(name)}`;
	return `https://uri.amap.com/navigation?to=${to}&mode=car&coordinate=wgs84&callnative=1&src=elevator-ops`;
}

export function geoLink(lat: number, lng: number, name: string): string {
	return `geo:${lat},${lng}?q=${lat},${lng}(${encodeURIComponent(name)})`;
}
