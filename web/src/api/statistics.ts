// 综合分析 (GET /api/statistics/…): alarm statistics over a period (China days, both included) and a region, counted
// in SQL and scoped to the caller; and the energy comparison of telemetry (GET /api/history/energy/compare).
import { http } from './http'

export interface Period {
  from: string
  to: string
  district?: string
}

export interface TrendDay {
  day: string
  LEVEL_1: number
  LEVEL_2: number
  LEVEL_3: number
  NOTICE: number
  total: number
}

export interface Trend {
  from: string
  to: string
  total: number
  levels: { level: string; name: string }[]
  days: TrendDay[]
}

export interface RankItem {
  rank: number
  key: string
  name: string
  count: number
  LEVEL_1: number
  LEVEL_2: number
  LEVEL_3: number
  NOTICE: number
  open: number
  districtName?: string
  enterprises?: number
}

export interface Ranking {
  by: string
  total: number
  items: RankItem[]
}

export interface Breakdown {
  by: string
  total: number
  items: { key: string; name: string; count: number; categoryName?: string }[]
}

export interface Share {
  by: string
  total: number
  items: { key: string; name: string; enterprises: number; alarmEnterprises: number; alarms: number }[]
}

export interface EnergyWindow {
  from: string
  to: string
  energy: number | null
}

export interface EnergyCompare {
  period: 'day' | 'month' | 'year'
  at: string
  current: EnergyWindow
  previous: EnergyWindow
  lastYear: EnergyWindow
  momPercent: number | null
  yoyPercent: number | null
  enterprisesWithData: number
}

export const statisticsApi = {
  trend: (p: Period) => http.get<Trend>('/api/statistics/alarms/trend', { ...p }),
  ranking: (by: 'enterprise' | 'district' | 'industry', p: Period, limit = 10) =>
    http.get<Ranking>('/api/statistics/alarms/ranking', { ...p, by, limit }),
  breakdown: (by: 'type' | 'handling' | 'level' | 'category' | 'workflow' | 'status', p: Period) =>
    http.get<Breakdown>('/api/statistics/alarms/breakdown', { ...p, by }),
  share: (by: 'industry' | 'district', p: Period) => http.get<Share>('/api/statistics/enterprises/share', { ...p, by }),
  energy: (region: string, period: 'day' | 'month' | 'year', at: string) =>
    http.get<EnergyCompare>('/api/history/energy/compare', { scope: 'district', id: region, period, at }),
}
