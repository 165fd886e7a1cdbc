// Times are shown in Beijing time whatever the browser's zone is; the API sends ISO-8601 with offsets.
const BJ = 'Asia/Shanghai'

const dtf = new Intl.DateTimeFormat('zh-CN', {
  timeZone: BJ, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false,
})

function parts(d: Date): Record<string, string> {
  const o: Record<string, string> = {}
  for (const p of dtf.formatToParts(d)) o[p.type] = p.value
  if (o.hour === '24') o.hour = '00'
  return o
}

/** 2026-12-03 16:31:20 */
export function fmtTime(v?: string | number | Date | null): string {
  if (v === null || v === undefined || v === '') return '—'
  const d = v instanceof Date ? v : new Date(v)
  if (isNaN(d.getTime())) return String(v)
  const p = parts(d)
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`
}

/** 12-03 16:31 */
export function fmtShort(v?: string | number | Date | null): string {
  if (!v) return '—'
  const p = parts(new Date(v))
  return `${p.month}-${p.day} ${p.hour}:${p.minute}`
}

/** yyyy-MM-dd of a moment in Beijing time. */
export function bjDate(d: Date = new Date()): string {
  const p = parts(d)
  return `${p.year}-${p.month}-${p.day}`
}

/** ISO with +08:00 for a Beijing wall-clock date and time, as the API's from/to expect. */
export function bjIso(date: string, time = '00:00:00'): string {
  return `${date}T${time}+08:00`
}

/** Duration in Chinese: 3小时12分 */
export function fmtDuration(ms: number): string {
  if (!isFinite(ms) || ms < 0) return '—'
  const m = Math.floor(ms / 60000)
  if (m < 1) return '不到1分钟'
  const d = Math.floor(m / 1440), h = Math.floor((m % 1440) / 60), mm = m % 60
  return (d ? d + '天' : '') + (h ? h + '小时' : '') + (mm && d === 0 ? mm + '分' : '')
}

export function fmtNum(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !isFinite(v)) return '—'
  return v.toLocaleString('zh-CN', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function fmtPct(v: number | null | undefined, digits = 1): string {
  if (v === null || v === undefined || !isFinite(v)) return '—'
  return (v * 100).toFixed(digits) + '%'
}
