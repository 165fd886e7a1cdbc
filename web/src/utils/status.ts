// One vocabulary of states and colours for every page (DESIGN §6): red = alarm, orange = order, grey = offline,
// green = normal. Map markers, list icons, chart series and tags all take their colour from here.
export const COLORS = {
  ALARM: '#e5484d',
  ORDERED: '#f08c00',
  OFFLINE: '#8b95a1',
  NORMAL: '#2f9e44',
  STOPPED: '#5b7083',
  UNKNOWN: '#b0b7c3',
} as const

/** The map's enterprise states: 正常 / 报警 / 限停产中 / 停运 / 离线. */
export type MapState = 'NORMAL' | 'ALARM' | 'ORDERED' | 'STOPPED' | 'OFFLINE'
export const MAP_STATE_NAMES: Record<MapState, string> = {
  NORMAL: '正常', ALARM: '报警', ORDERED: '限停产中', STOPPED: '停运', OFFLINE: '离线',
}
export const MAP_STATE_COLORS: Record<MapState, string> = {
  NORMAL: COLORS.NORMAL, ALARM: COLORS.ALARM, ORDERED: COLORS.ORDERED, STOPPED: COLORS.STOPPED, OFFLINE: COLORS.OFFLINE,
}

/** Real-time states of enterprises, facilities and points (RealtimeState.Status). */
export const RT_STATE_NAMES: Record<string, string> = {
  RUNNING: '运行', STOPPED: '停运', ABNORMAL: '异常', OFFLINE: '离线', ONLINE: '在线', UNKNOWN: '未知', LOW: '低负荷',
}
export const RT_STATE_COLORS: Record<string, string> = {
  RUNNING: COLORS.NORMAL, ONLINE: COLORS.NORMAL, STOPPED: COLORS.STOPPED, ABNORMAL: COLORS.ALARM,
  OFFLINE: COLORS.OFFLINE, UNKNOWN: COLORS.UNKNOWN, LOW: '#74b816',
}
export const RT_REASON_NAMES: Record<string, string> = {
  LOW_LOAD: '低负荷', POWER_LOSS: '失电', PHASE_LOSS: '缺相', INVALID_DATA: '数据无效', BELOW_NORMAL: '低于正常运行阈值',
  TREATMENT_ABNORMAL: '治污设施异常', TREATMENT_STOPPED: '治污设施停运',
}

export const FACILITY_KIND_NAMES: Record<string, string> = {
  PRODUCTION: '生产设施', TREATMENT: '治污设施', TOTAL: '企业总电', OTHER: '其他',
}

export const ALARM_LEVEL_NAMES: Record<string, string> = {
  LEVEL_1: '一级', LEVEL_2: '二级', LEVEL_3: '三级', NOTICE: '提示',
}
export const ALARM_LEVEL_COLORS: Record<string, string> = {
  LEVEL_1: '#c92a2a', LEVEL_2: '#e8590c', LEVEL_3: '#f59f00', NOTICE: '#4c6ef5',
}
/** el-tag types for levels */
export const ALARM_LEVEL_TAG: Record<string, 'danger' | 'warning' | 'primary' | 'info'> = {
  LEVEL_1: 'danger', LEVEL_2: 'warning', LEVEL_3: 'warning', NOTICE: 'primary',
}
