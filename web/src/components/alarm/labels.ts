// Chinese names of an alarm's states and of the handling results, as officers say them. Level names and colours
// come from utils/status.ts (one vocabulary for every page).
import type { ActionBody, Alarm, AlarmAction } from '@/api/alarms'
import type { User } from '@/stores/auth'
import { ALARM_LEVEL_NAMES } from '@/utils/status'
import { fmtTime } from '@/utils/format'

export const STATUS_NAMES: Record<string, string> = { ACTIVE: '报警中', RECOVERED: '已恢复' }

export const HANDLING_NAMES: Record<string, string> = {
  UNCONFIRMED: '未确认', CONFIRMED: '已确认', HANDLED: '已处理', CANCELLED: '已取消',
}
export const HANDLING_TAG: Record<string, 'danger' | 'warning' | 'success' | 'info' | 'primary'> = {
  UNCONFIRMED: 'danger', CONFIRMED: 'primary', HANDLED: 'success', CANCELLED: 'info',
}

export const WORKFLOW_NAMES: Record<string, string> = {
  NONE: '未派发', DISPATCHED: '已派发待反馈', FEEDBACK: '已反馈待核查', VERIFIED: '已核查待审核', REVIEWED: '已审核办结',
}

export const VERIFY_RESULTS: Record<string, string> = {
  ENTERPRISE_ABNORMAL: '企业存在异常', DEVICE_ABNORMAL: '设备故障/数据异常', NO_ABNORMALITY: '未发现异常',
}
export const REVIEW_RESULTS: Record<string, string> = { PASSED: '审核通过', REJECTED: '退回重办' }

/** What an enterprise gives as the cause of an alarm (异常申报); sent as the reason's `result`. */
export const REASON_KINDS: Record<string, string> = {
  MAINTENANCE: '设备检修/保养',
  POWER_CUT: '停电/供电故障',
  PRODUCTION_CHANGE: '生产调整/停产',
  METER_FAULT: '计量设备故障',
  OTHER: '其他原因',
}

/** Results of steps: verification, review, the enterprise's reason, and the level of a raise or escalation. */
export const RESULT_NAMES: Record<string, string> = { ...VERIFY_RESULTS, ...REVIEW_RESULTS, ...REASON_KINDS, ...ALARM_LEVEL_NAMES }

export const ROLE_SHORT: Record<string, string> = {
  CITY_ADMIN: '市局', DISTRICT_OFFICER: '区县', OPERATOR: '运维', ENTERPRISE_USER: '企业', API_CLIENT: '接口', system: '系统',
}

/** 处置 in one phrase: the dispatch workflow once there is one, else the handling state. */
export function handlingText(a: Pick<Alarm, 'handling' | 'workflow'>): string {
  if (a.handling === 'CANCELLED') return HANDLING_NAMES.CANCELLED
  if (a.workflow) return WORKFLOW_NAMES[a.workflow] ?? a.workflow
  return HANDLING_NAMES[a.handling] ?? a.handling
}

export function handlingTag(a: Pick<Alarm, 'handling' | 'workflow'>): 'danger' | 'warning' | 'success' | 'info' | 'primary' {
  if (a.handling === 'CANCELLED') return 'info'
  if (a.workflow === 'REVIEWED') return 'success'
  if (a.workflow) return 'warning'
  return HANDLING_TAG[a.handling] ?? 'info'
}

/** The alarm as vendors word it: 「XX企业 1#喷涂线 治污设施停运，持续 35 分钟」. */
export function headline(a: Alarm, durationText: string): string {
  const where = [a.enterpriseName, a.facilityName].filter(Boolean).join(' ')
  return `${where} ${a.typeName}，${a.status === 'ACTIVE' ? '已持续' : '持续'} ${durationText}`
}

/** Duration of an alarm: to its end, or to now while it is open. */
export function durationMs(a: Pick<Alarm, 'startedAt' | 'endedAt'>, now = Date.now()): number {
  return (a.endedAt ? new Date(a.endedAt).getTime() : now) - new Date(a.startedAt).getTime()
}

/**
 * Which handling actions the signed-in user may take on this alarm (mirrors docs/alarms.md §4; the API stays the
 * guard and answers 403/409 otherwise).
 */
export function allowedActions(a: Alarm, user: User | null): Set<string> {
  const out = new Set<string>()
  if (!user) return out
  const role = user.role
  const officer = role === 'CITY_ADMIN' || role === 'DISTRICT_OFFICER'
  const cancelled = a.handling === 'CANCELLED'
  const confirmer = officer || (role === 'OPERATOR' && a.category === 'DATA')
  if (confirmer && a.handling === 'UNCONFIRMED') out.add('confirm')
  if (confirmer && !cancelled) out.add('cancel')
  if (officer && !cancelled) out.add('handle')
  if (officer && !cancelled && (!a.workflow || a.workflow === 'DISPATCHED')) out.add('dispatch')
  if (a.workflow === 'DISPATCHED' && isAssignee(a, user)) out.add('feedback')
  if (officer && a.workflow === 'FEEDBACK') out.add('verify')
  if (officer && a.workflow === 'VERIFIED') out.add('review')
  if (role === 'ENTERPRISE_USER') out.add('reason')
  if (officer || role === 'ENTERPRISE_USER') out.add('photo')
  return out
}

function isAssignee(a: Alarm, user: User): boolean {
  if (user.role === 'CITY_ADMIN') return true
  if (a.assigneeUserId != null) return a.assigneeUserId === user.id
  if (!a.assigneeRegion || user.role !== 'DISTRICT_OFFICER') return false
  return user.regions.some((code) => a.assigneeRegion!.startsWith(code.replace(/(00)+$/, '')))
}

/** For the few places that build HTML (ECharts tooltips): names and texts are user data, never markup. */
export function esc(s: string): string {
  return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
}

/** The engine's texts carry ISO times (2026-12-03T17:26:40+08:00); shown as 2026-12-03 17:26:40 (Beijing time). */
export function readable(text: string): string {
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)/g, (iso) => fmtTime(iso))
}

/** A handling action, or adding photos (the PC's dialog and the phone's sheet offer the same set). */
export type ActionMode = AlarmAction | 'photo'

/** The action buttons in the order shown (the PC's Element Plus types; the phone pages style them alike). */
export const ACTION_BUTTONS: { action: ActionMode; label: string; type: 'primary' | 'success' | 'warning' | 'danger' | 'info' | 'default'; plain?: boolean }[] = [
  { action: 'confirm', label: '确认', type: 'primary' },
  { action: 'handle', label: '处理', type: 'success' },
  { action: 'dispatch', label: '派发', type: 'warning' },
  { action: 'feedback', label: '反馈', type: 'primary' },
  { action: 'verify', label: '核查', type: 'primary' },
  { action: 'review', label: '审核', type: 'success' },
  { action: 'reason', label: '异常申报', type: 'warning' },
  { action: 'photo', label: '上传照片', type: 'default', plain: true },
  { action: 'cancel', label: '取消报警', type: 'default' },
]

export const ACTION_TITLES: Record<ActionMode, string> = {
  confirm: '确认报警', cancel: '取消报警', handle: '处理报警', dispatch: '派发任务', feedback: '反馈办理情况',
  verify: '核查', review: '审核', reason: '异常申报', photo: '上传照片',
}

export const ACTION_TEXT_LABELS: Record<ActionMode, string> = {
  confirm: '备注（可选）', cancel: '取消原因（可选）', handle: '处理意见', dispatch: '派发说明（可选）', feedback: '办理情况',
  verify: '核查说明（可选）', review: '审核意见（退回时必填）', reason: '情况说明', photo: '',
}

/**
 * The body of POST /api/alarms/{id}/{action} from a form: 派发 sends the person or the unit and the deadline (a Beijing
 * wall time "YYYY-MM-DDTHH:mm:ss"), the others their text and result.
 */
export function actionBody(mode: ActionMode, f: {
  text: string; result: string; target: 'user' | 'unit'; assigneeUserId?: number | null; assigneeRegion?: string | null;
  deadline: string | null
}): ActionBody {
  if (mode === 'dispatch') {
    return {
      assigneeUserId: f.target === 'user' ? f.assigneeUserId ?? null : null,
      assigneeRegion: f.target === 'unit' ? f.assigneeRegion ?? null : null,
      deadline: f.deadline ? f.deadline + '+08:00' : null,
      text: f.text || undefined,
    }
  }
  return { text: f.text || undefined, result: f.result || undefined }
}
