// A data-check finding's evidence (datacheck rules' JSON, docs/data-checks.md) as short Chinese "name: value" pairs.
import { fmtTime } from '@/utils/format'

const KEYS: Record<string, string> = {
  creditCode: '信用代码', industryCode: '行业代码', industryName: '行业', level: '行业级别', requiredLevel: '要求级别',
  kind: '设施类型', stopBelow: '停机阈值', runAbove: '运行阈值', abnormalBelow: '异常低阈值', thresholdQuantity: '阈值量',
  ratedKw: '额定功率(kW)', activePoints: '在用点位', activeFacilities: '在用设施', totalFacilities: '总用电设施',
  totalPoints: '总表点位', facilityKind: '设施类型', facilitiesOfKind: '该类设施', retiredPoints: '停用点位',
  reason: '情况', goLive: '联网日期', firstSampleAt: '首条数据', lastSampleAt: '最后数据', checkTime: '核查时点',
  silentHours: '无数据(小时)', limitHours: '限值(小时)', negativeSteps: '负电量次数', energyKwh: '日电量(kWh)',
  maxLoadKw: '最大负荷(kW)', ratio: '比值', limit: '限值', ratedLimitKwh: '额定上限(kWh)', baselineDays: '基线天数',
  medianKwh: '中位数(kWh)', stddevKwh: '标准差(kWh)', statLimitKwh: '统计上限(kWh)', exceeded: '超出依据',
  productionKwh: '生产电量(kWh)', treatmentKwh: '治污电量(kWh)', sumKwh: '合计(kWh)', totalKwh: '总电量(kWh)',
  tolerance: '容差', limitKwh: '上限(kWh)', negativeSamples: '负功率样本', minKw: '最小功率(kW)', firstAt: '首次',
  lastAt: '最后', daySamples: '当日样本', toleranceKw: '容差(kW)', valueKw: '恒定功率(kW)', samples: '连续样本',
  runs: '恒值段数', minSamples: '判定样本数',
}
const VALUES: Record<string, string> = {
  NEVER_REPORTED: '联网后从未上报', SILENT: '近期无数据', LATE_FIRST_REPORT: '联网后迟迟未上报', RATED: '超额定', BASELINE: '超历史基线',
  PRODUCTION: '产污', TREATMENT: '治污', TOTAL: '总用电', P: '功率', I: '电流',
}
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/

function value(v: unknown): string {
  if (v === null || v === undefined) return '—'
  if (typeof v === 'string') return TIME.test(v) ? fmtTime(v) : VALUES[v] ?? v
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 1000) / 1000)
  if (Array.isArray(v)) return v.length && typeof v[0] === 'object' ? v.length + ' 条' : v.map(value).join('、')
  if (typeof v === 'object') return Object.entries(v as object).map(([k, x]) => (KEYS[k] ?? k) + ' ' + value(x)).join('，')
  return String(v)
}

export function evidencePairs(evidence: Record<string, unknown> | null | undefined): { key: string; label: string; value: string }[] {
  return Object.entries(evidence ?? {})
    .filter(([k, v]) => k !== 'meterEvents' || (Array.isArray(v) && v.length))
    .map(([k, v]) => ({ key: k, label: k === 'meterEvents' ? '表计事件' : KEYS[k] ?? k, value: value(v) }))
}
