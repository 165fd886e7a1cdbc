// WGS-84 (GPS; what the registry stores and the offline base map uses) and GCJ-02 (the offset coordinates of 高德 and
// other Chinese web maps). Data stay WGS-84 everywhere; convert only on the way to a GCJ-02 tile layer.
// The forward transform is the public one on the Krasovsky ellipsoid (as platform/.../registry/Coordinates.java);
// the inverse is iterated until the forward image matches to ~1e-9°. Outside China there is no offset.
const A = 6378245.0
const EE = 0.00669342162296594323

export type LngLat = [number, number]

export function outOfChina(lng: number, lat: number): boolean {
  return lng < 72.004 || lng > 137.8347 || lat < 0.8293 || lat > 55.8271
}

function transformLat(x: number, y: number): number {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3
  return r
}

function transformLng(x: number, y: number): number {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3
  return r
}

export function wgs84ToGcj02(lng: number, lat: number): LngLat {
  if (outOfChina(lng, lat)) return [lng, lat]
  const rad = (lat / 180) * Math.PI
  const magic = 1 - EE * Math.sin(rad) ** 2
  const sq = Math.sqrt(magic)
  const dLat = (transformLat(lng - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sq)) * Math.PI)
  const dLng = (transformLng(lng - 105, lat - 35) * 180) / ((A / sq) * Math.cos(rad) * Math.PI)
  return [lng + dLng, lat + dLat]
}

export function gcj02ToWgs84(lng: number, lat: number): LngLat {
  if (outOfChina(lng, lat)) return [lng, lat]
  let w: LngLat = [lng, lat]
  for (let i = 0; i < 30; i++) {
    const g = wgs84ToGcj02(w[0], w[1])
    const d = [g[0] - lng, g[1] - lat]
    w = [w[0] - d[0], w[1] - d[1]]
    if (Math.abs(d[0]) < 1e-9 && Math.abs(d[1]) < 1e-9) break
  }
  return w
}

/** The projection of WGS-84 data onto a base map drawn in {@code coordinates} (WGS84 or GCJ02). */
export function projector(coordinates: string | undefined): (lng: number, lat: number) => LngLat {
  return coordinates === 'GCJ02' ? wgs84ToGcj02 : (lng, lat) => [lng, lat]
}
