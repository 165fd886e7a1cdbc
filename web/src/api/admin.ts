// 系统管理 and 数据核查: users, API clients, audit log, the inbox, one's own contact, alarm rules, notification
// settings and data checks. Shapes follow the controllers (auth/, audit/, message/, alarm/, datacheck/).
import { http } from './http'
import type { Role, User } from '@/stores/auth'

export interface Page<T> {
  items: T[]
  total: number
  page: number
  size: number
}

// ---- users (CITY_ADMIN)

export interface AdminUser extends User {
  regionNames: string[]
  enterpriseName: string | null
  enabled: boolean
  failedLogins: number
  lockedUntil: string | null
  createdAt: string
}

export interface UserFields {
  username?: string
  displayName?: string
  role: Role | ''
  regions: string[]
  enterpriseId: number | null
  phone?: string
  email?: string
}

export const users = {
  page: (q: { q?: string; role?: string; enabled?: boolean | ''; page: number; size: number }) =>
    http.get<Page<AdminUser>>('/api/admin/users/paged', q as any),
  create: (f: UserFields) => http.post<{ user: AdminUser; temporaryPassword: string | null }>('/api/admin/users', f),
  update: (id: number, f: UserFields) => http.put<AdminUser>(`/api/admin/users/${id}`, f),
  setEnabled: (id: number, enabled: boolean) => http.post<AdminUser>(`/api/admin/users/${id}/${enabled ? 'enable' : 'disable'}`),
  resetPassword: (id: number) => http.post<{ user: AdminUser; temporaryPassword: string }>(`/api/admin/users/${id}/reset-password`),
  unlock: (id: number) => http.post<AdminUser>(`/api/admin/users/${id}/unlock`),
}

export const me = {
  get: () => http.get<AdminUser>('/api/auth/me'),
  setContact: (phone: string, email: string) => http.put<AdminUser>('/api/auth/me/contact', { phone, email }),
}

// ---- API clients

export interface TokenInfo {
  tokenId: string
  name: string
  createdAt: string
  lastUsedAt: string | null
  expiresAt: string | null
  revokedAt: string | null
}
export interface ApiClient {
  client: AdminUser
  tokens: TokenInfo[]
}
export interface IssuedToken {
  client: AdminUser
  token: string
  expiresAt: string | null
}

export const apiClients = {
  list: () => http.get<ApiClient[]>('/api/admin/api-clients'),
  create: (c: { username: string; displayName: string; regions: string[]; validDays: number | null }) =>
    http.post<IssuedToken>('/api/admin/api-clients', c),
  revoke: (id: number) => http.post<ApiClient>(`/api/admin/api-clients/${id}/revoke`),
  rotate: (id: number, validDays: number | null) => http.post<IssuedToken>(`/api/admin/api-clients/${id}/rotate`, { validDays }),
}

// ---- audit log

export interface AuditRow {
  id: number
  at: string
  userId: number | null
  username: string | null
  role: string | null
  action: string
  target: string | null
  outcome: string
  ip: string | null
  httpMethod: string | null
  path: string | null
  route: string | null
  status: number | null
  durationMs: number | null
  detail: any
}

export const audit = {
  search: (q: Record<string, string | number | undefined>) => http.get<Page<AuditRow>>('/api/admin/audit', q),
}

// ---- inbox

export interface Message {
  id: number
  alarmId: number | null
  event: string
  title: string
  text: string
  level: string
  createdAt: string
  readAt: string | null
}

export const messages = {
  list: (unread: boolean, before?: number | null, limit = 20) =>
    http.get<{ items: Message[]; nextBefore: number | null }>('/api/messages', { unread, before, limit }),
  read: (id: number) => http.post<Message>(`/api/messages/${id}/read`),
  unreadCount: () => http.get<{ unread: number }>('/api/messages/unread-count'),
  readAll: (upTo?: number) => http.post<{ marked: number; unread: number }>('/api/messages/read-all', undefined, { upTo }),
}

// ---- alarm rules

export type ScopeLevel = 'GLOBAL' | 'REGION' | 'INDUSTRY' | 'ENTERPRISE' | 'FACILITY'

export interface RuleParameter {
  name: string
  kind: 'NUMBER' | 'INTEGER' | 'BOOLEAN'
  min: number
  max: number
  defaultValue: number | boolean
  unit: string
  description: string
}
export interface RuleSchema {
  type: string
  name: string
  parameters: RuleParameter[]
}
export interface AlarmRule {
  id: number
  type: string
  typeName: string
  scopeLevel: ScopeLevel
  scopeKey: string
  enterpriseId: number | null
  params: Record<string, number | boolean>
  enabled: boolean
  updatedBy: string
  updatedAt: string
}
export interface EffectiveRule {
  type: string
  enabled: boolean
  enabledSource: string
  values: Record<string, number | boolean>
  sources: Record<string, string>
}

export const alarmRules = {
  schema: () => http.get<RuleSchema[]>('/api/alarm-rules/schema'),
  list: (type?: string) => http.get<AlarmRule[]>('/api/alarm-rules', { type }),
  effective: (type: string, target: { facilityId?: number | null; enterpriseId?: number | null }) =>
    http.get<EffectiveRule>('/api/alarm-rules/effective', { type, ...target }),
  put: (r: { type: string; scopeLevel: ScopeLevel; scopeKey: string; params: Record<string, number | boolean>; enabled: boolean }) =>
    http.put<AlarmRule>('/api/alarm-rules', r),
  remove: (id: number) => http.del(`/api/alarm-rules/${id}`),
}

// ---- notification settings (read only: application.yml)

export interface ChannelDeliveries {
  sent?: number
  failed?: number
  retrying?: number
  dropped?: number
  lastAt?: string | null
  lastFailureAt?: string | null
  lastError?: string | null
}
export interface NotificationChannelView {
  name: string
  kind: string
  enabled: boolean
  target?: string | null
  format?: string | null
  signed?: boolean
  from?: string | null
  smsSign?: string | null
  levels?: string[]
  types?: string[]
  regions?: string[]
  events?: string[]
  recipients?: string[]
  enterpriseContacts?: boolean
  userContacts?: boolean
  deliveries: ChannelDeliveries
}
export interface NotificationSettings {
  source: string
  channels: NotificationChannelView[]
  delivery: { queueCapacity: number; threads: number; maxAttempts: number; backoffSeconds: number; timeoutSeconds: number }
  escalation: { appliesTo: string; afterMinutes: number | null; ceiling: string }[]
}

export const notificationSettings = () => http.get<NotificationSettings>('/api/admin/notification-settings')

// ---- data checks

export interface CheckRun {
  id: number
  trigger: string
  checkDay: string
  checkTime: string
  rules: string[] | null
  enterpriseIds: number[] | null
  requestedBy: string | null
  startedAt: string
  finishedAt: string | null
  status: string
  enterprisesChecked: number
  findings: number
  findingsByRule: Record<string, number> | null
  ruleErrors: Record<string, string>
  error: string | null
}
export interface DistrictSummary {
  districtCode: string | null
  districtName: string
  enterprisesChecked: number
  enterprisesWithFindings: number
  findings: number
  byRule: Record<string, number>
  byCategory: Record<string, number>
}
export interface CheckRule {
  code: string
  nameZh: string
  category: string
  categoryZh: string
  severity: string
  definition: string
}
export interface CheckEnterprise {
  enterpriseId: number
  enterpriseName: string
  districtCode: string
  districtName: string
  findings: number
  byRule: Record<string, number>
}
export interface Finding {
  id: number
  runId: number
  rule: string
  ruleName: string
  category: string
  severity: string
  enterpriseId: number
  enterpriseName: string
  districtCode: string
  objectType: string
  objectId: number
  objectName: string
  checkDay: string
  evidence: Record<string, any>
}

export const dataChecks = {
  summary: (run: string | number = 'latest') =>
    http.get<{ run: CheckRun; districts: DistrictSummary[]; total: DistrictSummary }>('/api/data-checks/summary', { run }),
  runs: (page: number, size: number) => http.get<Page<CheckRun>>('/api/data-checks/runs', { page, size }),
  rules: () => http.get<CheckRule[]>('/api/data-checks/rules'),
  enterprises: (q: Record<string, string | number | boolean | undefined>) =>
    http.get<Page<CheckEnterprise>>('/api/data-checks/enterprises', q),
  findings: (q: Record<string, string | number | undefined>) => http.get<Page<Finding>>('/api/data-checks/findings', q),
  start: (body: { day?: string; rules?: string[]; enterpriseIds?: number[] }) => http.post<CheckRun>('/api/data-checks/runs', body),
}
