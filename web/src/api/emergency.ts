// 重污染天气应急: plans (企业应急管理), warnings (启动应急预警), the live board and reports (应急报告).
import { http, download } from './http'

const P = '/api/emergency/plans'
const W = '/api/emergency/warnings'

export type Level = 'YELLOW' | 'ORANGE' | 'RED'
export type MeasureKind = 'STOP' | 'LIMIT' | 'SELF'
export type PlanScope = 'ENTERPRISE' | 'LINE' | 'FACILITY'
export type VerdictKind = 'COMPLIANT' | 'NON_COMPLIANT' | 'UNDETERMINED' | 'NOT_STARTED' | 'SELF'

export const LEVEL_NAMES: Record<Level, string> = { YELLOW: '黄色', ORANGE: '橙色', RED: '红色' }
export const LEVEL_COLORS: Record<Level, string> = { YELLOW: '#f2c200', ORANGE: '#f08c00', RED: '#e03131' }
export const MEASURE_NAMES: Record<MeasureKind, string> = { STOP: '停产', LIMIT: '限产', SELF: '自主减排' }
export const SCOPE_NAMES: Record<PlanScope, string> = { ENTERPRISE: '整厂', LINE: '生产线', FACILITY: '设施' }
export const GRADE_NAMES: Record<string, string> = { A: 'A级', B: 'B级', C: 'C级', D: 'D级', LEADING: '引领性' }
export const VERDICT_NAMES: Record<VerdictKind, string> = {
  COMPLIANT: '达标', NON_COMPLIANT: '未达标', UNDETERMINED: '无法判断', NOT_STARTED: '未开始', SELF: '自主减排',
}
/** Tag types: 未达标 red (an alarm), 达标 green, 无法判断 grey (no data), the rest neutral. */
export const VERDICT_TAG: Record<VerdictKind, 'success' | 'danger' | 'info' | 'warning' | 'primary'> = {
  COMPLIANT: 'success', NON_COMPLIANT: 'danger', UNDETERMINED: 'info', NOT_STARTED: 'primary', SELF: 'primary',
}
export const CHANGE_NAMES: Record<string, string> = {
  START: '启动', UPGRADE: '升级', DOWNGRADE: '降级', EXTEND: '延长', SHORTEN: '提前结束', LIFT: '解除', END: '到期结束',
}
export const BASELINE_METHOD_NAMES: Record<string, string> = {
  HISTORY_30D: '前30天历史', RATED: '额定功率×负荷率', MANUAL: '核定/人工',
}

export interface Plan {
  id: number
  year: number
  level: Level
  enterpriseId: number
  enterpriseName: string
  creditCode: string | null
  districtCode: string
  districtName: string | null
  industryName: string | null
  participates: boolean
  grade: string | null
  reductionCode: string | null
  measure: MeasureKind | null
  scope: PlanScope
  limitPercent: number | null
  rotatable: boolean
  rotationGroup: string | null
  baselineKw: number | null
  measureText: string | null
  economicLoss: number | null
  note: string | null
  facilities: number
  lines: number
  ratedKw: number | null
  targets: { id: number; name: string }[]
  attachment: { fileName: string; size: number } | null
  updatedBy: string | null
  updatedAt: string | null
}

export interface PlanInput {
  year: number
  level: Level
  enterpriseId: number | null
  participates: boolean
  grade?: string | null
  reductionCode?: string | null
  measure?: MeasureKind | null
  scope?: PlanScope
  targetIds?: number[]
  limitPercent?: number | null
  rotatable?: boolean
  rotationGroup?: string | null
  baselineKw?: number | null
  measureText?: string | null
  economicLoss?: number | null
  note?: string | null
}

export interface Page<T> {
  items: T[]
  total: number
  page: number
  size: number
}

export interface IndicatorRow {
  group: string
  groupName: string
  measure: MeasureKind
  enterprises: number
  lines: number
  facilities: number
  ratedKw: number
  baselineKw: number
  reductionKw: number
}

export interface Indicators {
  year: number
  level: Level
  byDistrict: IndicatorRow[]
  byGrade: IndicatorRow[]
  total: IndicatorRow[]
  notParticipating: number
}

export interface PlanImportReport {
  dryRun: boolean
  imported: boolean
  rows: number
  created: number
  updated: number
  errors: { row: number; column: string; value: string | null; message: string }[]
}

export interface WarningChange {
  id: number
  kind: string
  effectiveAt: string
  levelBefore: Level | null
  levelAfter: Level | null
  endsBefore: string | null
  endsAfter: string | null
  document: string | null
  reason: string | null
  by: string | null
  recordedAt: string
}

export interface Warning {
  id: number
  level: Level
  levelName: string
  planYear: number
  startsAt: string
  endsAt: string
  document: string | null
  status: 'ACTIVE' | 'ENDED'
  liftedAt: string | null
  createdBy: string | null
  districtNames?: string
  enterprises?: number
  districts?: { code: string; name: string }[]
  changes?: WarningChange[]
  measuresInForce?: Record<MeasureKind, number>
}

export interface RateRow {
  code: string
  name: string
  enterprises: number
  obliged: number
  compliant: number
  nonCompliant: number
  undetermined: number
  notStarted: number
  selfReduction: number
  rate: number | null
}

export interface BoardRow {
  measureId: number
  enterpriseId: number
  enterpriseName: string
  districtCode: string
  districtName: string | null
  industryName: string | null
  grade: string | null
  level: Level
  measure: MeasureKind
  limitPercent: number | null
  wholeEnterprise: boolean
  facilities: number
  validFrom: string
  validTo: string
  productionOrderId: number | null
  baselineKw: number | null
  baselineMethod: string | null
  baselineNote: string | null
  currentKw: number | null
  currentAt: string | null
  reductionPercent: number | null
  coverage: number | null
  verdict: VerdictKind
  reason: string
  firstRunningAt: string | null
  openAlarms: number
  openOrderAlarms: number
  rotationPicked: boolean
}

export interface BoardData {
  warningId: number
  at: string
  computedAt: string
  summary: RateRow
  byDistrict: RateRow[]
  byGrade: RateRow[]
  enterprises: Page<BoardRow>
}

export interface RotationSetting {
  year: number
  level: Level
  enabled: boolean
  mode: 'ORDER' | 'GROUPS'
  targetKind: 'COUNT' | 'CAPACITY' | 'BASELINE'
  targetValue: number | null
  seasonStart: string
}

export interface RotationCandidate {
  enterpriseId: number
  enterpriseName: string
  districtName: string | null
  grade: string | null
  group: string | null
  timesLimited: number
  lastLimitedAt: string | null
  ratedKw: number
  weight: number
  picked: boolean
}

export interface LedgerRow extends RotationCandidate {
  id: number
  changeId: number
  changeKind: string
  level: Level
  effectiveAt: string
  rank: number
  overriddenAt: string | null
  overrideBy: string | null
  overrideReason: string | null
}

export interface ReportItem {
  id: number
  kind: 'FINAL' | 'INTERIM'
  generatedAt: string
  generatedBy: string | null
  dataAt: string
  summary: RateRow & { enterprises: number }
  durationMs: number
  pdfSize: number
  xlsxSize: number
}

type Q = Record<string, string | number | boolean | undefined | null>

export const emergencyApi = {
  plans: (q: Q) => http.get<Page<Plan>>(P, q),
  plan: (id: number) => http.get<Plan>(`${P}/${id}`),
  createPlan: (body: PlanInput) => http.post<Plan>(P, body),
  updatePlan: (id: number, body: PlanInput) => http.put<Plan>(`${P}/${id}`, body),
  deletePlan: (id: number) => http.del(`${P}/${id}`),
  copyPlans: (fromYear: number, toYear: number) => http.post<{ copied: number; skipped: number }>(`${P}/copy`, { fromYear, toYear }),
  indicators: (q: Q) => http.get<Indicators>(`${P}/indicators`, q),
  template: (year: number) => download(`${P}/excel/template`, { year }, '应急预案导入模板.xlsx'),
  exportPlans: (year: number, level?: Level) => download(`${P}/excel/export`, { year, level }, `${year}年应急预案.xlsx`),
  importPlans: async (file: File, dryRun: boolean): Promise<PlanImportReport> => {
    const form = new FormData()
    form.append('file', file)
    try {
      return await http.post<PlanImportReport>(`${P}/excel/import`, form, { dryRun })
    } catch (e: any) {
      if (e?.status === 422 && e.body?.errors) return e.body as PlanImportReport
      throw e
    }
  },
  uploadAttachment: (id: number, file: File) => {
    const form = new FormData()
    form.append('file', file)
    return http.post<Plan>(`${P}/${id}/attachment`, form)
  },
  downloadAttachment: (plan: Plan) => download(`${P}/${plan.id}/attachment`, undefined, plan.attachment?.fileName ?? 'attachment'),
  deleteAttachment: (id: number) => http.del<Plan>(`${P}/${id}/attachment`),

  warnings: (q: Q) => http.get<Page<Warning>>(W, q),
  warning: (id: number) => http.get<Warning>(`${W}/${id}`),
  startWarning: (body: Record<string, unknown>) => http.post<Warning>(W, body),
  changeLevel: (id: number, body: Record<string, unknown>) => http.post<Warning>(`${W}/${id}/level`, body),
  changeEnd: (id: number, body: Record<string, unknown>) => http.post<Warning>(`${W}/${id}/end`, body),
  lift: (id: number, body: Record<string, unknown>) => http.post<Warning>(`${W}/${id}/lift`, body),
  board: (id: number, q: Q) => http.get<BoardData>(`${W}/${id}/board`, q),
  rotationSettings: (year: number) => http.get<RotationSetting[]>('/api/emergency/rotation', { year }),
  saveRotation: (year: number, level: Level, body: Omit<RotationSetting, 'year' | 'level'>) =>
    http.put<RotationSetting>(`/api/emergency/rotation/${year}/${level}`, body),
  rotationPreview: (year: number, level: Level) =>
    http.get<{ enabled: boolean; group: string | null; candidates: RotationCandidate[] }>(`/api/emergency/rotation/${year}/${level}/preview`),
  reports: (id: number) => http.get<ReportItem[]>(`${W}/${id}/reports`),
  generateReport: (id: number) => http.post<ReportItem>(`${W}/${id}/reports`),
  downloadReport: (id: number, r: ReportItem, format: 'pdf' | 'xlsx') =>
    download(`${W}/${id}/reports/${r.id}/${format}`, undefined, `应急评估报告-预警${id}-${r.id}.${format}`),
  ledger: (id: number) => http.get<LedgerRow[]>(`${W}/${id}/rotation`),
  override: (id: number, pickId: number, picked: boolean, reason: string) => http.post(`${W}/${id}/rotation/${pickId}`, { picked, reason }),
}
