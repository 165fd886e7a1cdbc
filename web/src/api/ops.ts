// 运维: the registry (enterprises and everything below them, code lists, factor dictionary, learned thresholds,
// Excel) and ingestion (statistics, devices and their commands, the raw-message trace). Shapes follow
// registry/*Controller and ingest/*Controller.
import { http, download } from './http'
import type { Page } from './admin'

export interface Region {
  code: string
  name: string
  level: number
  parentCode: string | null
}
export interface Industry {
  code: string
  name: string
  level: number
  parentCode: string | null
}
// one shape of an enterprise in the whole web app: the registry's, as the profile shows it
import type { EnterpriseBasic } from './enterprise'
export type { Contact } from './enterprise'
export type Enterprise = EnterpriseBasic
export interface Line {
  id: number
  enterpriseId: number
  name: string
}
export interface Facility {
  id: number
  enterpriseId: number
  productionLineId: number | null
  name: string
  kind: string
  processType: string | null
  ratedKw: number | null
  thresholdQuantity: string | null
  stopBelow: number | null
  runAbove: number | null
  abnormalBelow: number | null
  normalRunning: number | null
  status: string
}
export interface DataLogger {
  mn: string
  vendor: string | null
  model: string | null
  note: string | null
  assignedAt?: string
  /** WARN 告警放行, ALLOWLIST 地址白名单, REJECT 拒收 */
  accessPolicy: string
  allowedAddresses: string[]
  hasPassword: boolean
  passwordSetAt: string | null
  /** only in the answer that registered the logger: its generated access password, shown once */
  password?: string
}
export interface Point {
  id: number
  facilityId: number
  facilityName: string
  facilityKind: string
  enterpriseId: number
  name: string
  mn: string
  channel: string | null
  profile: string
  ctRatio: number | null
  ptRatio: number | null
  commissionedOn: string | null
  status: string
}
export interface Association {
  productionFacilityId: number
  productionFacilityName: string
  treatmentFacilityId: number
  treatmentFacilityName: string
  startLeadMinutes: number
  stopLagMinutes: number
}
export interface EnterpriseDetail extends Enterprise {
  productionLines: Line[]
  facilities: Facility[]
  dataLoggers: DataLogger[]
  monitoringPoints: Point[]
  associations: Association[]
}
export interface FactorProfile {
  code: string
  name: string
  description: string | null
  mappingCount?: number
  mappings?: { codeTemplate: string; field: string; quantity: string; scale: number }[]
}
export interface Quantity {
  code: string
  label: string
  ratio: string | null
  unit: string | null
}
export interface PreviewResult {
  profile: string
  dataTime: string | null
  values: { source: string; value: number | string; label: string; quantity: string; unit: string | null }[]
  flag: string
  invalid: string[]
  unmapped: string[]
}

const R = '/api/registry'

export const registry = {
  regions: (parentCode?: string) => http.get<Region[]>(R + '/regions', { parentCode }),
  region: (code: string) => http.get<Region>(`${R}/regions/${code}`),
  industries: (q: { q?: string; level?: number; parentCode?: string; code?: string }) => http.get<Industry[]>(R + '/industries', q),
  industry: (code: string) => http.get<Industry>(`${R}/industries/${code}`),

  enterprises: (q: Record<string, string | number | undefined>) => http.get<Page<Enterprise>>(R + '/enterprises', q),
  enterprise: (id: number) => http.get<EnterpriseDetail>(`${R}/enterprises/${id}`),
  saveEnterprise: (id: number | null, body: Partial<Enterprise>) =>
    id ? http.put<Enterprise>(`${R}/enterprises/${id}`, body) : http.post<Enterprise>(R + '/enterprises', body),
  closeEnterprise: (id: number) => http.del(`${R}/enterprises/${id}`),

  saveLine: (enterpriseId: number, id: number | null, name: string) =>
    id ? http.put<Line>(`${R}/lines/${id}`, { name }) : http.post<Line>(`${R}/enterprises/${enterpriseId}/lines`, { name }),
  deleteLine: (id: number) => http.del(`${R}/lines/${id}`),

  saveFacility: (enterpriseId: number, id: number | null, body: Partial<Facility>) =>
    id ? http.put<Facility>(`${R}/facilities/${id}`, body) : http.post<Facility>(`${R}/enterprises/${enterpriseId}/facilities`, body),
  deleteFacility: (id: number) => http.del(`${R}/facilities/${id}`),

  saveAssociation: (body: Association | Omit<Association, 'productionFacilityName' | 'treatmentFacilityName'>, existing: boolean) =>
    existing
      ? http.put(`${R}/associations/${body.productionFacilityId}/${body.treatmentFacilityId}`, body)
      : http.post(R + '/associations', body),
  deleteAssociation: (productionId: number, treatmentId: number) => http.del(`${R}/associations/${productionId}/${treatmentId}`),

  saveLogger: (enterpriseId: number, existingMn: string | null, body: Partial<DataLogger>) =>
    existingMn
      ? http.put<DataLogger>(`${R}/data-loggers/${encodeURIComponent(existingMn)}`, body)
      : http.post<DataLogger>(`${R}/enterprises/${enterpriseId}/data-loggers`, body),
  deleteLogger: (mn: string) => http.del(`${R}/data-loggers/${encodeURIComponent(mn)}`),
  /** A generated access password (returned once) or, with {@code password}, the one set on the device. */
  setLoggerPassword: (mn: string, body: { password?: string; length?: number }) =>
    http.post<{ mn: string; passwordSetAt: string; password?: string }>(`${R}/data-loggers/${encodeURIComponent(mn)}/password`, body),
  setLoggerAccess: (mn: string, body: { policy: string; allowedAddresses: string[] }) =>
    http.put<DataLogger>(`${R}/data-loggers/${encodeURIComponent(mn)}/access`, body),

  savePoint: (facilityId: number, id: number | null, body: Partial<Point>, moveTo?: number) =>
    id
      ? http.put<Point>(`${R}/points/${id}` + (moveTo && moveTo !== facilityId ? `?facilityId=${moveTo}` : ''), body)
      : http.post<Point>(`${R}/facilities/${facilityId}/points`, body),
  deletePoint: (id: number) => http.del(`${R}/points/${id}`),

  quantities: () => http.get<Quantity[]>(R + '/canonical-quantities'),
  profiles: () => http.get<FactorProfile[]>(R + '/factor-profiles'),
  profile: (code: string) => http.get<FactorProfile>(`${R}/factor-profiles/${code}`),
  saveProfile: (existing: boolean, body: FactorProfile) =>
    existing ? http.put<FactorProfile>(`${R}/factor-profiles/${body.code}`, body) : http.post<FactorProfile>(R + '/factor-profiles', body),
  deleteProfile: (code: string) => http.del(`${R}/factor-profiles/${code}`),
  preview: (code: string, body: { channel?: string; ct?: number | null; pt?: number | null; cp: string }) =>
    http.post<PreviewResult>(
      `${R}/factor-profiles/${code}/preview`, body),

  proposals: (q: Record<string, string | number | undefined>) => http.get<Page<any>>(R + '/threshold-proposals', q),
  learn: (facilityId: number, days?: number) => http.post(`${R}/facilities/${facilityId}/threshold-proposals`, days ? { days } : {}),
  accept: (id: number, body: Record<string, number | string | null | undefined>) =>
    http.post(`${R}/threshold-proposals/${id}/accept`, body),
  reject: (id: number, note: string) => http.post(`${R}/threshold-proposals/${id}/reject`, { note }),

  excelTemplate: () => download(R + '/excel/template', undefined, 'registry-template.xlsx'),
  excelExport: () => download(R + '/excel/export', undefined, 'registry-export.xlsx'),
  /** 200 with counts, or 422 whose body is the same report with the bad rows: both come back as the report. */
  excelImport: async (file: File, dryRun: boolean): Promise<ImportReport> => {
    const form = new FormData()
    form.append('file', file)
    try {
      return await http.post<ImportReport>(R + '/excel/import', form, { dryRun })
    } catch (e: any) {
      if (e?.status === 422 && e.body?.errors) return e.body as ImportReport
      throw e
    }
  },
}

export interface ImportRowError {
  sheet: string
  row: number
  column: string | null
  value: string | null
  message: string
}
export interface ImportReport {
  dryRun: boolean
  imported: boolean
  /** the first row errors (at most powerwatch.registry.excel-import.max-errors) … */
  errors: ImportRowError[]
  /** … of this many */
  errorCount: number
  counts: Record<string, { created: number; updated: number }>
}

// ---- ingestion

export interface IngestStats {
  gateway: {
    connections: number
    connectionsTotal: number
    devicesOnline: number
    devicesKnown: number
    framesReceived: number
    framesRejected: number
    rejectedByReason: Record<string, number>
    acksSent: number
    journalFailures: number
    peersDroppedForJunk: number
    ackLatency: { count: number; p50Millis: number; p99Millis: number; maxMillis: number; buckets: number[] }
    /** connection caps and read deadlines (docs/ingest.md "Gateway guards") */
    guards: {
      maxConnections: number
      maxConnectionsPerAddress: number
      addresses: number
      refusedOverTotal: number
      refusedOverAddressCap: number
      droppedSlowFrame: number
      droppedIdle: number
      junkRuns: number
    }
    /** frames dated too far ahead of their receive time: kept and traced, applied nowhere */
    quarantine: { futureToleranceSeconds: number; framesQuarantined: number }
  }
  journal: {
    recordsAppended: number
    headPosition: number
    oldestPosition: number
    bytesOnDisk: number
    segmentCount: number
    appendQueueDepth: number
    fsyncMeanNanos: number
    fsyncMaxNanos: number
    corruptRecordsSkipped: number
    recordsDroppedUnconsumed: number
    consumers: Record<string, { committedPosition: number; lag: number }>
  }
  store: {
    state: string
    lastError: string | null
    framesStored: number
    valuesStored: number
    rowsWritten: number
    batches: number
    failures: number
    lag: number
    lastReceivedAtStoredMillis: number
  }
}
export interface Device {
  mn: string
  online: boolean
  peer: string
  connectedAt: string
  lastSeenAt: string
  frames: number
  registered: boolean
  /** how its latest frame was admitted: VERIFIED, ADDRESS_ALLOWED, WARNED, UNREGISTERED */
  admission: string | null
  version: string | null
}
/** A 9011 (accepted?) or 9012 (executed?) answer with the standard's meaning of its code, or why there is none. */
export interface CommandAnswer {
  code?: number
  meaning?: string
  success?: boolean
  error?: string
}
export interface CommandResult {
  qn: string
  command: string
  accepted: CommandAnswer | null
  executed: CommandAnswer | null
}
export interface RawFrame {
  journalPos: number
  receivedAt: string
  channel: string
  peer: string | null
  mn: string | null
  cn: string | null
  qn: string | null
  verdict: string
  reason: string | null
  raw: string
}

export const ingest = {
  stats: () => http.get<IngestStats>('/api/ingest/stats'),
  /** One page of the devices heard; state: all, online, offline, unregistered. */
  devices: (q: { q?: string; state?: string; page?: number; size?: number }) => http.get<Page<Device>>('/api/ingest/devices', q),
  command: (mn: string, body: Record<string, string | number | undefined>) =>
    http.post<CommandResult>(`/api/ingest/devices/${encodeURIComponent(mn)}/commands`, body),
  rawFrames: (q: Record<string, string | number | undefined>) => http.get<{ frames: RawFrame[]; size: number }>('/api/ingest/raw-frames', q),
}
