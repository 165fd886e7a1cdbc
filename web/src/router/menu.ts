// The menu by capability, with the roles that may use each entry. The menu only hides what a role cannot
// use; the API decides what anyone may see or do.
import type { Role } from '@/stores/auth'

export interface MenuItem {
  path: string
  title: string
  icon?: string
  roles?: Role[]
  children?: MenuItem[]
}

const OFFICERS: Role[] = ['CITY_ADMIN', 'DISTRICT_OFFICER', 'OPERATOR']
const OPS: Role[] = ['CITY_ADMIN', 'OPERATOR']

export const MENU: MenuItem[] = [
  { path: '/home', title: '首页一张图', icon: 'MapLocation', roles: OFFICERS },
  { path: '/overview', title: '情况总览', icon: 'Grid', roles: OFFICERS },
  { path: '/my', title: '本企业', icon: 'OfficeBuilding', roles: ['ENTERPRISE_USER'] },
  { path: '/alarms/realtime', title: '实时报警', icon: 'Bell' },
  { path: '/alarms/history', title: '历史报警', icon: 'Clock' },
  { path: '/analysis', title: '综合分析', icon: 'TrendCharts', roles: OFFICERS },
  { path: '/data-checks', title: '数据核查', icon: 'DocumentChecked', roles: OFFICERS },
  {
    path: '/reports', title: '统计报表', icon: 'Document', roles: OFFICERS,
    children: [
      { path: '/reports/center', title: '报表中心' },
      { path: '/reports/archive', title: '日报周报月报' },
      { path: '/reports/custom', title: '自定义报表' },
    ],
  },
  {
    path: '/emergency', title: '应急管理', icon: 'Warning', roles: OFFICERS,
    children: [
      { path: '/emergency/plans', title: '企业应急管理' },
      { path: '/emergency/rotation', title: '企业轮循设置' },
      { path: '/emergency/warnings', title: '启动应急预警' },
      { path: '/emergency/board', title: '应急报告' },
    ],
  },
  {
    path: '/system', title: '系统管理', icon: 'Setting',
    children: [
      { path: '/system/profile', title: '个人信息' },
      { path: '/system/messages', title: '消息中心' },
      { path: '/system/users', title: '用户管理', roles: ['CITY_ADMIN'] },
      { path: '/system/audit', title: '系统日志', roles: ['CITY_ADMIN'] },
      { path: '/system/api-clients', title: '接口账号', roles: ['CITY_ADMIN'] },
      { path: '/system/rules', title: '报警规则设置', roles: OPS.concat('DISTRICT_OFFICER') },
      { path: '/system/notifications', title: '通知设置', roles: ['CITY_ADMIN'] },
    ],
  },
  {
    path: '/ops', title: '运维', icon: 'Tools', roles: OPS.concat('DISTRICT_OFFICER'),
    children: [
      { path: '/ops/enterprises', title: '企业档案' },
      { path: '/ops/loggers', title: '数采仪与监测点' },
      { path: '/ops/factor-profiles', title: '因子配置', roles: OPS },
      { path: '/ops/thresholds', title: '阈值建议' },
      { path: '/ops/excel', title: '批量导入导出' },
      { path: '/ops/ingest', title: '接入统计', roles: OPS },
      { path: '/ops/devices', title: '在线设备与指令', roles: OPS },
      { path: '/ops/raw-frames', title: '原始报文', roles: OPS },
    ],
  },
]

export function allowed(item: MenuItem, role: Role | undefined): boolean {
  return !item.roles || (!!role && item.roles.includes(role))
}

export function visibleMenu(role: Role | undefined): MenuItem[] {
  return MENU.filter((m) => allowed(m, role))
    .map((m) => (m.children ? { ...m, children: m.children.filter((c) => allowed(c, role)) } : m))
    .filter((m) => !m.children || m.children.length > 0)
}

/** Where a role lands after signing in. */
export function homeFor(role: Role | undefined): string {
  return role === 'ENTERPRISE_USER' ? '/my' : '/home'
}
