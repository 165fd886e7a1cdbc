// Names of codes that pages show next to them (regions, industries, alarm types), fetched once per code and kept
// for the session: a list shows a handful of distinct codes.
import { reactive } from 'vue'
import { http } from '@/api/http'
import { registry } from '@/api/ops'

const regionNames = reactive<Record<string, string>>({})
const industryNames = reactive<Record<string, string>>({})
const alarmTypeNames = reactive<Record<string, string>>({})
const asked = new Set<string>()

function once(key: string, fetch: () => Promise<void>) {
  if (asked.has(key)) return
  asked.add(key)
  fetch().catch(() => asked.delete(key))
}

/** 雁塔区 for 610113 (the code until the name is known). */
export function regionName(code: string | null | undefined): string {
  if (!code) return '—'
  once('r' + code, async () => { regionNames[code] = (await registry.region(code)).name })
  return regionNames[code] ?? code
}

export function industryName(code: string | null | undefined): string {
  if (!code) return '—'
  once('i' + code, async () => { industryNames[code] = (await registry.industry(code)).name })
  return industryNames[code] ?? code
}

/** Alarm type names from /api/alarms/types (one request for all). */
export function alarmTypeName(code: string): string {
  once('types', async () => {
    const types = await http.get<{ code: string; name: string }[]>('/api/alarms/types')
    types.forEach((t) => { alarmTypeNames[t.code] = t.name })
  })
  return alarmTypeNames[code] ?? code
}

const enterpriseNames = reactive<Record<string, string>>({})
const facilityNames = reactive<Record<string, string>>({})

export function enterpriseName(id: number | string | null | undefined): string {
  if (id === null || id === undefined || id === '') return '—'
  const key = String(id)
  once('e' + key, async () => { enterpriseNames[key] = (await registry.enterprise(Number(key))).name })
  return enterpriseNames[key] ?? '企业 #' + key
}

export function facilityName(id: number | string | null | undefined): string {
  if (id === null || id === undefined || id === '') return '—'
  const key = String(id)
  once('f' + key, async () => { facilityNames[key] = (await http.get<{ name: string }>(`/api/registry/facilities/${key}`)).name })
  return facilityNames[key] ?? '设施 #' + key
}

/** Names learnt elsewhere (an enterprise's detail already loaded) so they need no request. */
export function rememberNames(e: { id: number; name: string; facilities?: { id: number; name: string }[] }) {
  enterpriseNames[String(e.id)] = e.name
  asked.add('e' + e.id)
  for (const f of e.facilities ?? []) {
    facilityNames[String(f.id)] = f.name
    asked.add('f' + f.id)
  }
}

/** What a rule's scope or an effective value's source means: 区域 · 西安市, 行业 · 水泥制造, 企业 · … */
export function scopeName(level: string, key: string | null | undefined): string {
  switch (level) {
    case 'DEFAULT': return '系统默认'
    case 'GLOBAL': return '全市通用'
    case 'REGION': return '区域 · ' + regionName(key)
    case 'INDUSTRY': return '行业 · ' + industryName(key)
    case 'ENTERPRISE': return '企业 · ' + enterpriseName(key)
    case 'FACILITY': return '设施 · ' + facilityName(key)
    default: return level + (key ? ':' + key : '')
  }
}

/** A source as the effective-rule API writes it: DEFAULT, GLOBAL, REGION:610100, FACILITY:42 … */
export function sourceName(source: string): string {
  const i = source.indexOf(':')
  return i < 0 ? scopeName(source, null) : scopeName(source.slice(0, i), source.slice(i + 1))
}
