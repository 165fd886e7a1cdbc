// 一企一档: the enterprise page's data (GET /api/enterprises/{id}/profile, /load) and its alarm list.
import { http } from './http'
import { bjDate, bjIso } from '@/utils/format'

export interface Contact { name: string; role?: string; phone?: string }

export interface EnterpriseBasic {
  id: number
  name: string
  creditCode: string | null
  address: string | null
  longitude: number | null
  latitude: number | null
  districtCode: string
  districtName: string | null
  industryCode: string | null
  industryName: string | null
  permitClass: 'KEY' | 'SIMPLIFIED' | 'REGISTERED' | null
  emergencyGrade: 'A' | 'B' | 'C' | 'D' | 'LEADING' | null
  contacts: Contact[]
  status: string
}

export interface LiveState {
  state: string
  reason: string | null
  since: string | null
  facilityCounts: Record<string, number>
}

export interface EnergyCells { total: number | null; production: number | null; treatment: number | null }
export interface Energy {
  unit: 'kWh'
  basis: 'TOTAL' | 'PRODUCTION_TREATMENT' | 'NONE'
  day: string
  today: EnergyCells
  month: EnergyCells
  year: EnergyCells
}

export interface FacilityView {
  id: number
  name: string
  kind: 'PRODUCTION' | 'TREATMENT' | 'TOTAL'
  productionLineId: number | null
  productionLineName: string | null
  processType: string | null
  ratedKw: number | null
  thresholdQuantity: 'P' | 'I'
  unit: 'kW' | 'A'
  state: string
  reason: string | null
  since: string | null
  value: number | null
  stopBelow: number | null
  runAbove: number | null
  abnormalBelow: number | null
  powerKw: number | null
  pointIds: number[]
  underOrder: boolean
}

export interface Association {
  productionFacilityId: number
  productionFacilityName: string
  treatmentFacilityId: number
  treatmentFacilityName: string
  startLeadMinutes: number
  stopLagMinutes: number
}

export interface OrderView {
  id: number
  kind: 'STOP' | 'LIMIT'
  limitPercent: number | null
  facilityIds: number[]
  validFrom: string
  validTo: string
  source: string
  sourceRef: string | null
  reason: string | null
  status: 'ACTIVE' | 'REVOKED'
  inForce: boolean
}

export interface AlarmBrief {
  id: number
  type: string
  typeName: string
  level: string
  status: string
  handling: string
  startedAt: string
  lastSeenAt: string
  facilityName: string | null
  mn: string | null
}

export interface AlarmSummary {
  open: number
  openByLevel: Record<string, number>
  awaitingReason: number
  awaitingReasonDays: number
  awaitingReasonItems: AlarmBrief[]
}

export interface LoggerPoint {
  id: number
  name: string
  channel: string
  facilityId: number
  facilityName: string
  facilityKind: string
  status: string
  state: string
  reason: string | null
  dataTime: string | null
}

export interface LoggerView {
  mn: string
  vendor: string | null
  model: string | null
  online: boolean
  connected: boolean | null
  lastFrameAt: string | null
  framesToday: number
  rejectedToday: number
  points: LoggerPoint[]
}

export interface Profile {
  enterprise: EnterpriseBasic
  state: LiveState
  energy: Energy
  lines: { id: number; name: string }[]
  facilities: FacilityView[]
  associations: Association[]
  orders: OrderView[]
  alarms: AlarmSummary
  loggers: LoggerView[]
  generatedAt: string
}

export interface SeriesPoint { t: string; p: number | null; pMin: number | null; pMax: number | null; energy: number | null; n: number }
export interface Thresholds { stopBelow: number | null; runAbove: number | null; abnormalBelow: number | null }
export interface LoadSeries {
  key: string
  kind: string
  basis?: string
  facilityId?: number
  facilityIds?: number[]
  name?: string
  thresholds: Thresholds | null
  points: SeriesPoint[]
}
/** An order in force during the chart's range, to shade. */
export type LoadOrder = Pick<OrderView, 'id' | 'kind' | 'limitPercent' | 'facilityIds' | 'validFrom' | 'validTo' | 'reason' | 'source'>
export interface Load {
  enterpriseId: number
  from: string
  to: string
  bucket: string | null
  bucketSeconds: number | null
  unit: 'kW'
  series: LoadSeries[]
  orders: LoadOrder[]
}

export interface AlarmRow {
  id: number
  type: string
  typeName: string
  category: string
  level: string
  levelName: string
  status: 'ACTIVE' | 'RECOVERED'
  handling: string
  workflow: string | null
  facilityName: string | null
  mn: string | null
  startedAt: string
  lastSeenAt: string
  endedAt: string | null
  count: number
}

export interface Page<T> { items: T[]; total: number; page: number; size: number }

/** 今日 on the load curve: Beijing midnight until now, the axis running to the next midnight. */
export function todayWindow(now = new Date()): { from: string; to: string; axisMax: string } {
  const day = bjDate(now)
  const next = bjDate(new Date(Date.parse(bjIso(day)) + 36 * 3600 * 1000))
  return { from: bjIso(day), to: now.toISOString(), axisMax: bjIso(next) }
}

export const enterpriseApi = {
  profile: (id: number) => http.get<Profile>(`/api/enterprises/${id}/profile`),
  load: (id: number, from: string, to: string, facilityIds: number[] = []) =>
    http.get<Load>(`/api/enterprises/${id}/load`, { from, to, facilityIds: facilityIds.length ? facilityIds : undefined }),
  alarms: (enterpriseId: number, status: 'active' | 'all', page: number, size: number) =>
    http.get<Page<AlarmRow>>('/api/alarms', { enterpriseId, status, page, size }),
}

export const PERMIT_CLASS_NAMES: Record<string, string> = { KEY: '重点管理', SIMPLIFIED: '简化管理', REGISTERED: '登记管理' }
export const EMERGENCY_GRADE_NAMES: Record<string, string> = { A: 'A级', B: 'B级', C: 'C级', D: 'D级', LEADING: '引领性' }
export const HANDLING_NAMES: Record<string, string> = {
  UNCONFIRMED: '未确认', CONFIRMED: '已确认', CANCELLED: '已取消', HANDLED: '已处理',
}
export const WORKFLOW_NAMES: Record<string, string> = {
  DISPATCHED: '已派发', FEEDBACK: '已反馈', VERIFIED: '已核查', REVIEWED: '已审核',
}
