// Time-range pickers read and write Beijing wall-clock text ("2026-12-03 08:00:00"), whatever the browser's zone.
import { bjDate } from '@/utils/format'

const DAY = 86400000

/** From Beijing midnight `daysBack` days ago to the next Beijing midnight, as picker text. */
export function bjDayRange(daysBack: number): [string, string] {
  return [`${bjDate(new Date(Date.now() - daysBack * DAY))} 00:00:00`, `${bjDate(new Date(Date.now() + DAY))} 00:00:00`]
}

/** The picker shows its dates' local wall clock, which these pages read as Beijing time. */
function wallClock(text: string): Date {
  const [d, t = '00:00:00'] = text.split(' ')
  const [y, m, day] = d.split('-').map(Number)
  const [hh, mm, ss] = t.split(':').map(Number)
  return new Date(y, m - 1, day, hh, mm, ss)
}

export const RANGE_SHORTCUTS = [
  { text: '今天', value: () => bjDayRange(0).map(wallClock) },
  { text: '最近 3 天', value: () => bjDayRange(2).map(wallClock) },
  { text: '最近 7 天', value: () => bjDayRange(6).map(wallClock) },
  { text: '最近 30 天', value: () => bjDayRange(29).map(wallClock) },
]

/** Picker text → ISO-8601 with +08:00, as the API's from/to expect. */
export function wallToIso(text: string | null | undefined): string | undefined {
  return text ? text.replace(' ', 'T') + '+08:00' : undefined
}
