// What 情况总览's four status icons say: label, colour (the one vocabulary of utils/status.ts) and the tooltip.
import { COLORS, RT_REASON_NAMES } from '@/utils/status'
import type { OverviewRow } from '@/api/dashboard'

export interface Pill { label: string; color: string; tip: string; state: string }

const NONE = '#d5dae1'

export function emission(r: OverviewRow): Pill {
  const m: Record<string, [string, string, string]> = {
    RUNNING: ['生产中', COLORS.NORMAL, '生产设施运行中'],
    STOPPED: ['停产', COLORS.STOPPED, '生产设施停运'],
    ABNORMAL: ['异常', COLORS.ALARM, '生产设施电表故障（失电、缺相或数据无效）'],
    OFFLINE: ['离线', COLORS.OFFLINE, '生产设施监测点均离线'],
    UNKNOWN: ['未知', NONE, '未登记生产设施或监测点，或尚无数据'],
  }
  const [label, color, tip] = m[r.emission] ?? m.UNKNOWN
  return { label, color, tip, state: r.emission }
}

export function treatment(r: OverviewRow): Pill {
  const reason = r.reason && r.reason.startsWith('TREATMENT_') ? RT_REASON_NAMES[r.reason] : null
  const m: Record<string, [string, string, string]> = {
    RUNNING: ['正常', COLORS.NORMAL, '治污设施运行正常'],
    ABNORMAL: ['异常', COLORS.ALARM, reason ? '生产运行时' + reason : '治污设施运行异常（空转、降频或电表故障）'],
    STOPPED: ['停运', COLORS.STOPPED, '治污设施停运（生产未运行）'],
    OFFLINE: ['离线', COLORS.OFFLINE, '治污设施监测点均离线'],
    NONE: ['无', NONE, '未登记治污设施'],
    UNKNOWN: ['未知', NONE, '尚无治污设施数据'],
  }
  const [label, color, tip] = m[r.treatment] ?? m.UNKNOWN
  return { label, color, tip, state: r.treatment }
}

export function order(r: OverviewRow): Pill {
  const kind = r.orderKind === 'LIMIT' ? '限产' : '停产'
  if (r.order === 'VIOLATED') return { label: '未落实', color: COLORS.ALARM, tip: kind + '令执行期内，有未关闭的违规报警', state: r.order }
  if (r.order === 'KEPT') return { label: kind + '中', color: COLORS.ORDERED, tip: kind + '令执行期内，未发现违规', state: r.order }
  return { label: '无', color: NONE, tip: '无执行中的停产、限产令', state: r.order }
}

export function comm(r: OverviewRow): Pill {
  const points = `监测点 ${r.pointsOnline}/${r.points} 在线`
  if (r.comm === 'ONLINE') return { label: '在线', color: COLORS.NORMAL, tip: points, state: r.comm }
  if (r.comm === 'PARTIAL') return { label: '部分离线', color: COLORS.OFFLINE, tip: points, state: r.comm }
  return { label: '离线', color: COLORS.OFFLINE, tip: r.points ? points : '未登记监测点', state: r.comm }
}

export const ABNORMALITIES: { value: string; label: string }[] = [
  { value: 'ALARM', label: '有未关闭报警' },
  { value: 'TREATMENT', label: '治污设施异常' },
  { value: 'ORDER', label: '限停产未落实' },
  { value: 'ORDERED', label: '限停产中' },
  { value: 'OFFLINE', label: '通讯异常' },
  { value: 'STOPPED', label: '生产停运' },
]
