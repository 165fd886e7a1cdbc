// Live states of enterprises and facilities as the enterprise page shows them, with the shared colours of
// utils/status.ts: a running facility at idle load (reason LOW_LOAD) is 低负荷, an abnormal one names its reason.
import { RT_STATE_COLORS, RT_STATE_NAMES, RT_REASON_NAMES } from '@/utils/status'

export function stateKey(state: string | null | undefined, reason?: string | null): string {
  if (state === 'RUNNING' && reason === 'LOW_LOAD') return 'LOW'
  return state || 'UNKNOWN'
}

export function stateColor(state: string | null | undefined, reason?: string | null): string {
  return RT_STATE_COLORS[stateKey(state, reason)] ?? RT_STATE_COLORS.UNKNOWN
}

export function stateName(state: string | null | undefined, reason?: string | null): string {
  const key = stateKey(state, reason)
  const base = RT_STATE_NAMES[key] ?? key
  if (key === 'LOW' || !reason || reason === 'LOW_LOAD') return base
  const why = RT_REASON_NAMES[reason] ?? NO_DATA_REASONS[reason]
  return why ? `${base}（${why}）` : base
}

const NO_DATA_REASONS: Record<string, string> = {
  NO_POINTS: '无监测点', NO_VALUE: '无功率数据', NO_THRESHOLDS: '未设阈值', NO_DATA: '从未上报',
}

/** The legend of the flow diagram: the states a facility box can show. */
export const FLOW_LEGEND = ['RUNNING', 'LOW', 'STOPPED', 'ABNORMAL', 'OFFLINE', 'UNKNOWN'].map((k) => ({
  key: k, name: RT_STATE_NAMES[k], color: RT_STATE_COLORS[k],
}))
