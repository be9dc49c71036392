/** A point on the map in degrees (WGS-84). */
export interface Point {
	lat: number;
	lng: number;
}

/** Great-circle distance in km (haversine): close enough for ranking crews within a country. */
export function distanceKm(a: Point, b: Point): number {
	const rad = Math.PI / 180;
	const dLat = (b.lat - a.lat) * rad;
	const dLng = (b.lng - a.lng) * rad;
	const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
	return 2 * 6371 * Math.asin(Math.sqrt(h));
}

/** Latitude and longitude in range and finite: what every map and distance needs. */
export const validPoint = (p: Point): boolean =>
	Number.isFinite(p.lat) && Number.isFinite(p.lng) && Math.abs(p.lat) <= 90 && Math.abs(p.lng) <= 180;
