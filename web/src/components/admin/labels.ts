// Chinese names of the codes the admin and ops pages show (roles are in stores/auth, alarm levels in utils/status).

export const SCOPE_LEVEL_NAMES: Record<string, string> = {
  GLOBAL: '全市通用', REGION: '区域', INDUSTRY: '行业', ENTERPRISE: '企业', FACILITY: '设施', DEFAULT: '系统默认',
}

export const UNIT_NAMES: Record<string, string> = {
  min: '分钟', samples: '个样本', d: '天', h: '小时', '×': '倍', '%': '%', kWh: 'kWh', kW: 'kW', V: 'V', '': '',
}

export const ENTERPRISE_STATUS: Record<string, string> = { ACTIVE: '正常', SUSPENDED: '停产', CLOSED: '关闭' }
export const PERMIT_CLASS: Record<string, string> = { KEY: '重点管理', SIMPLIFIED: '简化管理', REGISTERED: '登记管理' }
export const EMERGENCY_GRADE: Record<string, string> = { A: 'A级', B: 'B级', C: 'C级', D: 'D级', LEADING: '引领性' }
export const OBJECT_STATUS: Record<string, string> = { ACTIVE: '在用', RETIRED: '停用' }
export const THRESHOLD_QUANTITY: Record<string, string> = { P: '有功功率 (kW)', I: '电流 (A)' }

export const AUDIT_OUTCOME: Record<string, string> = { SUCCESS: '成功', FAILURE: '失败', DENIED: '无权限', PENDING: '未完成' }
export const AUDIT_OUTCOME_TAG: Record<string, 'success' | 'danger' | 'warning'> = { SUCCESS: 'success', FAILURE: 'danger', DENIED: 'warning', PENDING: 'warning' }
export const AUDIT_ACTIONS: Record<string, string> = {
  LOGIN: '登录', LOGIN_FAILED: '登录失败', ACCOUNT_LOCKED: '账号锁定', LOGIN_LOCKED: '锁定期间登录', LOGOUT: '退出',
  PASSWORD_CHANGED: '修改密码', PASSWORD_CHANGE_FAILED: '修改密码失败', INITIAL_ADMIN_CREATED: '创建初始管理员',
  USER_CREATED: '新建用户', USER_UPDATED: '修改用户', USER_DISABLED: '停用用户', USER_ENABLED: '启用用户',
  PASSWORD_RESET: '重置密码', USER_UNLOCKED: '解除锁定', USER_CONTACT_CHANGED: '修改联系方式',
  API_CLIENT_CREATED: '新建接口账号', API_TOKEN_ROTATED: '更换接口令牌', API_TOKEN_REVOKED: '吊销接口令牌',
  API_REQUEST: '接口调用', ALARM_RULE_SAVED: '保存报警规则', ALARM_RULE_DELETED: '删除报警规则',
  THRESHOLD_PROPOSAL_ACCEPTED: '采纳阈值建议', THRESHOLD_PROPOSAL_REJECTED: '驳回阈值建议',
  ALARM_CONFIRMED: '确认报警', ALARM_CANCELLED: '取消报警', ALARM_HANDLED: '处理报警', ALARM_DISPATCHED: '派发报警',
  ALARM_FEEDBACK: '报警反馈', ALARM_VERIFIED: '报警核查', ALARM_REVIEWED: '报警审核', ALARM_REASON: '企业异常申报',
  ALARM_ATTACHMENT: '上传照片', PRODUCTION_ORDER_CREATED: '下达限停产令', PRODUCTION_ORDER_REVOKED: '撤销限停产令',
  PRODUCTION_ORDER_BASELINE_SET: '设置限产基线',
  DEVICE_PASSWORD_SET: '设置数采仪访问密码', DEVICE_PASSWORDS_GENERATED: '批量生成数采仪访问密码',
  DEVICE_ACCESS_POLICY_SET: '设置数采仪接入策略', DEVICE_ACCESS_POLICIES_SET: '批量设置数采仪接入策略',
  EXPORT: '数据导出', REGISTRY_IMPORTED: '档案导入',
}

export const CHECK_SEVERITY: Record<string, string> = { ERROR: '错误', WARNING: '警告', INFO: '提示' }
export const CHECK_SEVERITY_TAG: Record<string, 'danger' | 'warning' | 'info'> = { ERROR: 'danger', WARNING: 'warning', INFO: 'info' }
export const RUN_STATUS: Record<string, string> = { SUCCEEDED: '完成', PARTIAL: '部分规则失败', FAILED: '失败', RUNNING: '进行中' }
export const RUN_TRIGGER: Record<string, string> = { SCHEDULED: '每日自动', MANUAL: '手动' }
export const OBJECT_TYPE: Record<string, string> = { ENTERPRISE: '企业', FACILITY: '设施', POINT: '监测点' }

/** What the gateway rejects a frame for (ingest's reject reasons, as hj212's check prints them). */
export const REJECT_REASONS: Record<string, string> = {
  BAD_FRAMING: '包头包尾错误', BAD_LENGTH: '长度不符', BAD_CRC: 'CRC 校验失败', OVERSIZE: '报文过长', BAD_HEADER: '包头字段错误',
  MISSING_MN: '缺少 MN', MISSING_CN: '缺少 CN', BAD_DATATIME: '数据时间错误', TRUNCATED: '报文截断', GARBAGE_SKIPPED: '夹杂乱码',
  AUTH_FAILED: '访问密码校验未通过', TOO_MANY_MNS: '单连接 MN 过多',
}

/** What the gateway does with a frame of a logger without the right password (device/AccessPolicy). */
export const ACCESS_POLICY: Record<string, string> = { WARN: '告警放行', ALLOWLIST: '地址白名单', REJECT: '拒收' }
/** How a device's latest frame was admitted (ingest's DeviceAuthenticator.Outcome). */
export const ADMISSION: Record<string, string> = {
  VERIFIED: '密码已验证', ADDRESS_ALLOWED: '白名单放行', WARNED: '告警放行', UNREGISTERED: '未登记', REJECTED: '拒收',
}
/** Verdicts of frames that were acknowledged and kept but applied nowhere (the gateway's quarantine). */
export const QUARANTINE_VERDICTS: Record<string, string> = { FUTURE_DATATIME: '数据时间超前' }
export const CN_NAMES: Record<string, string> = {
  '2011': '实时数据', '2051': '分钟数据', '2061': '小时数据', '2031': '日数据', '2041': '设备运行时间日历史', '9011': '请求应答',
  '9012': '执行结果', '9013': '通知应答', '9014': '数据应答', '1011': '提取现场时间', '1012': '设置现场时间', '2021': '设备运行状态',
  '1061': '实时数据间隔', '1062': '设置实时数据间隔', '1063': '分钟数据间隔', '1064': '设置分钟数据间隔', '1000': '设置超时重发',
}

export const NOTIFY_KIND: Record<string, string> = {
  IN_APP: '站内消息', WECOM: '企业微信机器人', DINGTALK: '钉钉机器人', SMS: '短信', EMAIL: '电子邮件',
}
export const NOTIFY_EVENT: Record<string, string> = {
  OPENED: '新报警', ESCALATED: '报警升级', RECOVERED: '报警恢复', HANDLED: '处理意见', DISPATCHED: '任务派发',
  REPORT: '定期报表',
}
export const ALARM_CATEGORY: Record<string, string> = {
  TREATMENT: '治污设施', PRODUCTION: '生产管控', DATA: '通讯与数据质量', WARNING: '预警',
}

export function nameOf(map: Record<string, string>, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return '—'
  return map[code] ?? code
}
