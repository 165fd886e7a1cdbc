// The alarm API (docs/alarms.md): the real-time list and history, counts, one alarm with its handling steps and
// photos, the handling actions, the Excel export of a search, and the choices of the filters.
import { http, download, ApiError } from './http'
import { useAuth } from '@/stores/auth'

export interface Alarm {
  id: number
  type: string
  typeName: string
  category: string
  categoryName: string
  level: string
  levelName: string
  initialLevel: string
  status: 'ACTIVE' | 'RECOVERED'
  handling: 'UNCONFIRMED' | 'CONFIRMED' | 'CANCELLED' | 'HANDLED'
  workflow: null | 'DISPATCHED' | 'FEEDBACK' | 'VERIFIED' | 'REVIEWED'
  subjectKey: string
  enterpriseId: number
  enterpriseName: string
  districtCode: string
  districtName: string | null
  industryCode: string | null
  industryName: string | null
  facilityId: number | null
  facilityName: string | null
  pointId: number | null
  mn: string | null
  startedAt: string
  lastSeenAt: string
  endedAt: string | null
  repeats: number
  count: number
  firstEvidence: Record<string, any>
  lastEvidence: Record<string, any>
  endEvidence: Record<string, any> | null
  assigneeUserId: number | null
  assigneeUsername: string | null
  assigneeRegion: string | null
  deadline: string | null
  levelChangedAt: string
  createdAt: string
  updatedAt: string
}

export interface AlarmStep {
  id: number
  action: string
  actionName: string
  actorUserId: number | null
  actor: string | null
  actorRole: string | null
  at: string
  text: string | null
  assigneeUserId: number | null
  assigneeRegion: string | null
  deadline: string | null
  result: string | null
  detail: Record<string, any> | null
}

export interface AlarmAttachment {
  id: number
  fileName: string
  contentType: string
  sizeBytes: number
  note: string | null
  uploadedBy: string | null
  uploadedAt: string
  url: string
}

export interface AlarmDetail extends Alarm {
  steps: AlarmStep[]
  attachments: AlarmAttachment[]
}

export interface AlarmType {
  code: string
  name: string
  category: string
  categoryName: string
  defaultLevel: string
}

export interface AlarmPage {
  items: Alarm[]
  total: number
  page: number
  size: number
}

export interface AlarmCounts {
  total: number
  byLevel: Record<string, number>
  byCategory: Record<string, number>
  byType: { type: string; name: string; count: number }[]
  byDistrict: { districtCode: string; districtName: string; count: number }[]
}

/** The list's filters (GET /api/alarms); empty values are left out of the query. */
export interface AlarmFilter {
  status?: 'active' | 'recovered' | 'cancelled' | 'all'
  from?: string
  to?: string
  level?: string[]
  type?: string[]
  category?: string
  handling?: string
  workflow?: string
  district?: string
  industry?: string
  enterpriseId?: number | null
  minCount?: number | null
  /** severity: most severe first (the real-time list, default); time: latest start first (history) */
  sort?: 'severity' | 'time'
}

export interface Candidates {
  users: { id: number; username: string; displayName: string | null; role: string; regions: string }[]
  units: { code: string; name: string; level: number }[]
}

export interface Dimensions {
  region: { code: string; name: string } | null
  districts: { code: string; name: string; enterprises: number }[]
  industries: { code: string; name: string; enterprises: number }[]
}

/** Body of the handling actions; which fields matter depends on the action (docs/alarms.md §4). */
export interface ActionBody {
  text?: string
  result?: string
  assigneeUserId?: number | null
  assigneeRegion?: string | null
  deadline?: string | null
}

export type AlarmAction = 'confirm' | 'cancel' | 'handle' | 'dispatch' | 'feedback' | 'verify' | 'review' | 'reason'

export const EXPORT_MAX_ROWS = 100_000

let typesCache: Promise<AlarmType[]> | null = null
let dimensionsCache: Promise<Dimensions> | null = null

export const alarmsApi = {
  list: (f: AlarmFilter, page: number, size: number) => http.get<AlarmPage>('/api/alarms', { ...f, page, size } as any),
  counts: (f: AlarmFilter) => http.get<AlarmCounts>('/api/alarms/counts', f as any),
  get: (id: number | string) => http.get<AlarmDetail>(`/api/alarms/${id}`),
  types(): Promise<AlarmType[]> {
    typesCache ??= http.get<AlarmType[]>('/api/alarms/types').catch((e) => { typesCache = null; throw e })
    return typesCache
  },
  /** Districts and industries of the enterprises the caller may see (the filters' choices). */
  dimensions(): Promise<Dimensions> {
    dimensionsCache ??= http.get<Dimensions>('/api/statistics/dimensions').catch((e) => { dimensionsCache = null; throw e })
    return dimensionsCache
  },
  candidates: (id: number) => http.get<Candidates>(`/api/alarms/${id}/assignees`),
  act: (id: number, action: AlarmAction, body: ActionBody) => http.post<AlarmDetail>(`/api/alarms/${id}/${action}`, body),
  upload(id: number, file: File, note?: string) {
    const fd = new FormData()
    fd.append('file', file)
    if (note) fd.append('note', note)
    return http.post<AlarmAttachment>(`/api/alarms/${id}/attachments`, fd)
  },
  exportExcel: (f: AlarmFilter) => download('/api/alarms/export', f as any, '报警记录.xlsx'),
  enterprises: (q: string) =>
    http.get<{ items: { id: number; name: string; districtCode: string }[] }>('/api/registry/enterprises', { q, size: 20 }),
}

const photos = new Map<string, Promise<string>>()

/** A photo fetched once with the session token, as a blob: URL an <img> can show; see releasePhotos. */
export function attachmentUrl(url: string): Promise<string> {
  let p = photos.get(url)
  if (!p) {
    const auth = useAuth()
    p = fetch(url, { headers: { Authorization: 'Bearer ' + auth.token } }).then(async (res) => {
      if (!res.ok) throw new ApiError(res.status, 'ATTACHMENT', '照片加载失败（' + res.status + '）')
      return URL.createObjectURL(await res.blob())
    })
    p.catch(() => photos.delete(url))
    photos.set(url, p)
  }
  return p
}

/** Frees the photos' blob: URLs (when the alarm page goes). */
export function releasePhotos() {
  for (const p of photos.values()) p.then((u) => URL.revokeObjectURL(u)).catch(() => {})
  photos.clear()
}
