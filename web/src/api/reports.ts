// 统计报表 (docs/reports.md): the named reports on screen and as Excel/PDF, the archive of 日报/周报/月报 with
// subscriptions, and the custom report builder. Every figure is counted by the API within the caller's scope.
import { http, download } from './http'

export interface ReportChoice { value: string; label: string }
export interface ReportOption { key: string; label: string; choices: ReportChoice[] }
export interface ReportInfo { code: string; title: string; description: string; options: ReportOption[] }

export type ColumnKind = 'TEXT' | 'DATE' | 'INTEGER' | 'DECIMAL' | 'PERCENT'
export interface ReportColumn { key: string; title: string; kind: ColumnKind; width: number }
export type ReportRow = Record<string, string | number | boolean | null>
export interface ReportSection {
  title: string
  figures: Record<string, string | number | null>
  columns: ReportColumn[]
  rows: ReportRow[]
  total: ReportRow | null
  notes: string[]
}
export interface ReportDocument {
  code: string
  title: string
  from: string
  to: string
  regionLabel: string
  scopeLabel: string
  generatedAt: string
  generatedBy: string
  sections: ReportSection[]
}

export interface ReportQuery {
  from: string
  to: string
  district?: string
  [option: string]: string | undefined
}

export interface ArchiveEntry {
  id: number
  kind: 'DAILY' | 'WEEKLY' | 'MONTHLY' | 'TEMPLATE'
  templateId: number | null
  title: string
  from: string
  to: string
  scopeLabel: string
  generatedAt: string
  generatedBy: string
  xlsxBytes: number
  pdfBytes: number
  summary: Record<string, string | number>
}

export interface Subscriptions { kinds: string[]; available: { kind: string; label: string }[] }

export const KIND_NAMES: Record<string, string> = { DAILY: '日报', WEEKLY: '周报', MONTHLY: '月报', TEMPLATE: '自定义' }

function fileName(title: string, q: ReportQuery, ext: string): string {
  return `${title}-${q.from}${q.from === q.to ? '' : '至' + q.to}.${ext}`
}

export const reportsApi = {
  catalogue: () => http.get<ReportInfo[]>('/api/reports'),
  view: (code: string, q: ReportQuery) => http.get<ReportDocument>(`/api/reports/named/${code}`, q),
  excel: (code: string, title: string, q: ReportQuery) => download(`/api/reports/named/${code}/excel`, q, fileName(title, q, 'xlsx')),
  pdf: (code: string, title: string, q: ReportQuery) => download(`/api/reports/named/${code}/pdf`, q, fileName(title, q, 'pdf')),

  archive: (kind?: string, before?: number, limit = 50) => http.get<ArchiveEntry[]>('/api/reports/archive', { kind, before, limit }),
  archiveFile: (e: ArchiveEntry, format: 'pdf' | 'excel') =>
    download(`/api/reports/archive/${e.id}/${format}`, undefined, `${e.title}.${format === 'pdf' ? 'pdf' : 'xlsx'}`),
  generate: (kind: string, day?: string) => http.post<ArchiveEntry>('/api/reports/archive/generate', { kind, day }),
  subscriptions: () => http.get<Subscriptions>('/api/reports/subscriptions'),
  subscribe: (kinds: string[]) => http.put<Subscriptions>('/api/reports/subscriptions', { kinds }),
}

export interface CustomSpec {
  dataset: string
  groupBy: string[]
  measures: string[]
  district?: string
  industry?: string
  levels?: string[]
  categories?: string[]
  types?: string[]
  handling?: string[]
  facilityKinds?: string[]
}
export interface CustomSchema {
  datasets: { key: string; title: string; measures: { key: string; title: string }[]; filters: string[] }[]
  dimensions: { key: string; title: string }[]
}
export interface ReportTemplate {
  id: number
  name: string
  spec: CustomSpec
  schedule: 'NONE' | 'DAILY' | 'WEEKLY' | 'MONTHLY'
  updatedAt: string
}

export const customApi = {
  schema: () => http.get<CustomSchema>('/api/reports/custom/schema'),
  preview: (spec: CustomSpec, from: string, to: string, name?: string) =>
    http.post<ReportDocument>('/api/reports/custom/preview', { spec, from, to, name }),
  templates: () => http.get<ReportTemplate[]>('/api/reports/templates'),
  save: (t: { id?: number; name: string; spec: CustomSpec; schedule: string }) =>
    t.id ? http.put<ReportTemplate>(`/api/reports/templates/${t.id}`, t) : http.post<ReportTemplate>('/api/reports/templates', t),
  remove: (id: number) => http.del(`/api/reports/templates/${id}`),
  excel: (t: ReportTemplate, from: string, to: string) =>
    download(`/api/reports/templates/${t.id}/excel`, { from, to }, `${t.name}-${from}至${to}.xlsx`),
  pdf: (t: ReportTemplate, from: string, to: string) =>
    download(`/api/reports/templates/${t.id}/pdf`, { from, to }, `${t.name}-${from}至${to}.pdf`),
}
