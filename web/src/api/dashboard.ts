// 首页一张图 and 情况总览 (platform/.../dashboard): one request per widget, scoped by the API.
import { http } from './http'
import type { MapState } from '@/utils/status'

export interface MapRow {
  id: number
  name: string
  lng: number | null
  lat: number | null
  districtCode: string
  districtName: string | null
  industryCode: string | null
  industryName: string | null
  mapState: MapState
  state: string
  ordered: boolean
  openAlarms: number
  maxAlarmLevel: string | null
}

export interface MapConfig {
  adcode: string
  city: string
  center: [number, number]
  zoom: number
  boundaries: string
  tiles: { source: 'none' | 'tianditu' | 'amap'; url?: string; labelUrl?: string | null; subdomains?: string; coordinates?: string; attribution?: string }
}

export interface Share { code: string; name: string; count: number }

export interface Summary {
  district: string | null
  kpi: {
    enterprises: number
    limited: number
    problem: number
    loggers: number
    loggersOnline: number
    onlineRate: number | null
    points: number
    pointsOnline: number
    pointsOnlineRate: number | null
    openAlarms: number
    openAlarmsByLevel: Record<string, number>
  }
  energy: {
    unit: string
    days: { day: string; energy: number | null; previousDay: string; previousEnergy: number | null }[]
    current: number | null
    previous: number | null
    momPercent: number | null
  }
  byIndustry: Share[]
  byDistrict: Share[]
  alarmRanking: { code: string; name: string; open: number; today: number }[]
}

export interface OverviewRow {
  id: number
  name: string
  districtCode: string
  districtName: string | null
  industryCode: string | null
  industryName: string | null
  state: string
  reason: string | null
  emission: string
  treatment: string
  order: 'NONE' | 'KEPT' | 'VIOLATED'
  orderKind: 'STOP' | 'LIMIT' | null
  comm: 'ONLINE' | 'PARTIAL' | 'OFFLINE'
  pointsOnline: number
  points: number
  openAlarms: number
  maxAlarmLevel: string | null
  mapState: MapState
}

export interface OverviewPage {
  items: OverviewRow[]
  total: number
  page: number
  size: number
  abnormalityCounts: Record<string, number>
}

export interface OverviewQuery {
  q?: string
  district?: string
  industry?: string
  abnormality?: string
  page: number
  size: number
  sort?: string
}

/**
 * The overview as it opens: no filter, first page of 20 (a screenful — an Element Plus table row costs milliseconds
 * to render on a busy machine; 50, 100, 200 a click away), default order.
 */
export const FIRST_OVERVIEW_PAGE: OverviewQuery = { page: 0, size: 20 }
export const isFirstPage = (q: OverviewQuery) =>
  !q.q && !q.district && !q.industry && !q.abnormality && !q.sort && q.page === 0 && q.size === FIRST_OVERVIEW_PAGE.size

export const dashboardApi = {
  map: () => http.get<MapRow[]>('/api/dashboard/map'),
  summary: (district?: string) => http.get<Summary>('/api/dashboard/summary', { district }),
  mapConfig: () => http.get<MapConfig>('/api/dashboard/map-config'),
  overview: (q: OverviewQuery) => http.get<OverviewPage>('/api/overview/enterprises', { ...q }),
  openAlarms: (enterpriseId: number, size = 3) =>
    http.get<{ items: any[]; total: number }>('/api/alarms', { enterpriseId, status: 'active', size }),
  boundaries: async (url: string): Promise<any> => {
    const res = await fetch(url)
    if (!res.ok) throw new Error('boundaries ' + res.status)
    return res.json()
  },
}
