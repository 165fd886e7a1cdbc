// Weak-network lists: the last answer of each list is kept in localStorage (per user, so a shared phone never shows
// one person's alarms to another) and shown at once, then replaced by the fresh answer. A failed refresh keeps the
// cached content on screen and says so.
import { ref, type Ref } from 'vue'
import { useAuth } from '@/stores/auth'

const PREFIX = 'pw.m.'

function key(name: string): string {
  return PREFIX + (useAuth().user?.id ?? 0) + '.' + name
}

export function readCache<T>(name: string): { at: number; data: T } | null {
  try {
    const s = localStorage.getItem(key(name))
    return s ? JSON.parse(s) : null
  } catch {
    return null
  }
}

export function writeCache<T>(name: string, data: T) {
  try {
    localStorage.setItem(key(name), JSON.stringify({ at: Date.now(), data }))
  } catch { /* storage full or disabled: the page just has no cache */ }
}

/** Removes every cached list (on logout: the phone may be handed to someone else). */
export function clearCaches() {
  for (let i = localStorage.length - 1; i >= 0; i--) {
    const k = localStorage.key(i)
    if (k?.startsWith(PREFIX)) localStorage.removeItem(k)
  }
}

export interface Cached<T> {
  data: Ref<T | null>
  /** true while the shown data came from the cache and the refresh has not answered yet */
  stale: Ref<boolean>
  loading: Ref<boolean>
  /** the refresh's failure, shown above the cached content */
  error: Ref<string>
  /** when the shown data was fetched (ms) */
  at: Ref<number>
  refresh: () => Promise<void>
}

/**
 * A list that shows its cached answer immediately and refreshes it. {@code name} must identify the question (include
 * the filters), {@code fetch} asks the API.
 */
export function useCached<T>(name: () => string, fetch: () => Promise<T>): Cached<T> {
  const data = ref<T | null>(null) as Ref<T | null>
  const stale = ref(false)
  const loading = ref(false)
  const error = ref('')
  const at = ref(0)
  let seq = 0
  async function refresh() {
    const my = ++seq
    const n = name()
    const c = readCache<T>(n)
    if (c) {
      data.value = c.data
      at.value = c.at
      stale.value = true
    } else {
      data.value = null // another question (filters changed) and nothing cached for it
    }
    loading.value = true
    error.value = ''
    try {
      const fresh = await fetch()
      if (my !== seq) return
      data.value = fresh
      at.value = Date.now()
      stale.value = false
      writeCache(n, fresh)
    } catch (e: any) {
      if (my !== seq) return
      error.value = (e?.status === 0 ? '网络不可用' : '刷新失败') + '：' + (e?.message ?? e) + (data.value ? '（显示的是上次缓存的内容）' : '')
    } finally {
      if (my === seq) loading.value = false
    }
  }
  return { data, stale, loading, error, at, refresh }
}
