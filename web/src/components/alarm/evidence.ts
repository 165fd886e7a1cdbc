// What the evidence chart of an alarm draws, read from the alarm's subject and evidence (docs/analysis-models.md):
// the facilities involved (a treatment facility and its associated production, the running facilities of a stop
// order, the facility or meter of the alarm, else the enterprise), their thresholds, and the abnormal window.
import type { Alarm } from '@/api/alarms'

export interface Threshold {
  label: string
  value: number
}

export interface Track {
  /** production / treatment go to their own panels; other tracks share one */
  role: 'production' | 'treatment' | 'other'
  subject: 'facility' | 'point' | 'enterprise'
  id: number
  name: string
  thresholds: Threshold[]
}

const DATA_SUBJECT_TYPES = new Set(['METER_OFFLINE', 'METER_POWER_LOSS', 'PHASE_LOSS', 'INVALID_DATA', 'FROZEN_VALUE', 'IMPOSSIBLE_READING'])

function num(v: unknown): number | null {
  return typeof v === 'number' && isFinite(v) ? v : null
}

/** Thresholds of a facility as the engine reported them (kW only: a current threshold would not fit a kW axis). */
function facilityThresholds(ev: Record<string, any>, run: string): Threshold[] {
  if (ev.quantity === 'I') return []
  const out: Threshold[] = []
  const runAbove = num(ev.runAbove)
  if (runAbove !== null) out.push({ label: run, value: runAbove })
  const abnormal = num(ev.abnormalBelow)
  if (abnormal !== null) out.push({ label: '异常阈值', value: abnormal })
  return out
}

export function tracksOf(a: Alarm): Track[] {
  const ev = { ...(a.firstEvidence ?? {}), ...(a.lastEvidence ?? {}) } as Record<string, any>
  const tracks: Track[] = []
  if (Array.isArray(ev.production) && a.facilityId) {
    // treatment models: the treatment facility and the production facilities associated with it
    tracks.push({
      role: 'treatment', subject: 'facility', id: a.facilityId, name: ev.facility ?? a.facilityName ?? '治污设施',
      thresholds: facilityThresholds(ev, '启停阈值'),
    })
    for (const p of ev.production as Record<string, any>[]) {
      if (typeof p.facilityId === 'number') {
        tracks.push({ role: 'production', subject: 'facility', id: p.facilityId, name: p.facility ?? '生产设施',
          thresholds: facilityThresholds(p, '生产启停阈值') })
      }
    }
    return tracks
  }
  if (Array.isArray(ev.runningFacilities) && ev.runningFacilities.length) {
    for (const p of ev.runningFacilities as Record<string, any>[]) {
      if (typeof p.facilityId === 'number') {
        tracks.push({ role: 'production', subject: 'facility', id: p.facilityId, name: p.facility ?? '生产设施',
          thresholds: facilityThresholds(p, '生产启停阈值') })
      }
    }
    if (tracks.length) return tracks
  }
  if (a.pointId && (a.category === 'DATA' || DATA_SUBJECT_TYPES.has(a.type))) {
    return [{ role: 'other', subject: 'point', id: a.pointId, name: a.facilityName ? a.facilityName + ' 电表' : '监测点', thresholds: [] }]
  }
  if (a.facilityId) {
    const thresholds = facilityThresholds(ev, '启停阈值')
    const limit = num(ev.limitKw)
    if (limit !== null) thresholds.push({ label: '超负荷限值', value: limit })
    return [{
      role: a.category === 'TREATMENT' ? 'treatment' : a.category === 'PRODUCTION' ? 'production' : 'other',
      subject: 'facility', id: a.facilityId, name: a.facilityName ?? ev.facility ?? '设施', thresholds,
    }]
  }
  const thresholds: Threshold[] = []
  const allowed = num(ev.allowedKw)
  if (allowed !== null) thresholds.push({ label: '限产允许功率', value: allowed })
  const baseline = num(ev.baselineKw)
  if (baseline !== null) {
    thresholds.push({ label: '生产基线', value: baseline })
    const share = num(ev.baselineShareMax)
    if (share !== null) thresholds.push({ label: '停产允许上限', value: Math.round(baseline * share * 10) / 10 })
  }
  return [{ role: 'other', subject: 'enterprise', id: a.enterpriseId, name: a.enterpriseName + ' 总用电', thresholds }]
}

/** When the abnormal condition began: the model's first abnormal time when it gave one, else the alarm's start. */
export function abnormalStart(a: Alarm): number {
  const t = a.firstEvidence?.firstAbnormalAt
  const first = typeof t === 'string' ? new Date(t).getTime() : NaN
  const started = new Date(a.startedAt).getTime()
  return isFinite(first) && first < started ? first : started
}

/** The chart's time window: the abnormal period with some context before and after (never past now). */
export function windowOf(a: Alarm, now = Date.now()): { from: number; to: number; start: number; end: number } {
  const start = abnormalStart(a)
  const end = a.endedAt ? new Date(a.endedAt).getTime() : now
  const span = Math.max(end - start, 60000)
  const pad = Math.min(Math.max(span * 0.5, 3600000), 86400000)
  const from = Math.max(start - pad, end - 31 * 86400000)
  return { from, to: Math.min(end + pad, now), start, end }
}
