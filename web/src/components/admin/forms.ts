// What every admin and ops form and list does the same way: the API's field messages next to the fields, other
// errors as a message, busy flags, and lists paged on the server.
import { reactive, ref, type Ref } from 'vue'
import { ElMessage, ElMessageBox } from 'element-plus'
import { ApiError } from '@/api/http'

/** The text of an error for a person: the API's message (ingest answers {error: text} without a code). */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    const b = e.body
    if (b && typeof b === 'object' && !b.message && typeof b.error === 'string' && !/^[A-Z_]+$/.test(b.error)) return b.error
    return e.message
  }
  return e instanceof Error ? e.message : String(e)
}

export function showError(e: unknown) {
  ElMessage.error(errorText(e))
}

/**
 * A form's error state: `submit(fn)` clears the old messages, runs the call, and on a 400 naming fields puts the
 * API's messages into `errors` (bind them as `<el-form-item :error="errors.x">`); anything else is a message.
 * `shown` lists the fields the form has: a message about another field is shown as a message too.
 * Returns the call's result, or undefined when it failed.
 */
export function useApiForm(shown?: string[]) {
  const errors = reactive<Record<string, string>>({})
  const busy = ref(false)
  function clear() {
    Object.keys(errors).forEach((k) => delete errors[k])
  }
  async function submit<T>(fn: () => Promise<T>): Promise<T | undefined> {
    clear()
    busy.value = true
    try {
      return await fn()
    } catch (e) {
      const fields = e instanceof ApiError && e.status === 400 ? e.fieldErrors() : {}
      if (Object.keys(fields).length) {
        Object.assign(errors, fields)
        // a field the form does not show still needs to be seen
        if (shown && !Object.keys(fields).some((f) => shown.includes(f) || shown.some((s) => f.startsWith(s + '.') || f.startsWith(s + '[')))) showError(e)
      } else showError(e)
      return undefined
    } finally {
      busy.value = false
    }
  }
  return { errors, busy, submit, clear }
}

/** Runs an action with a busy flag, showing its error as a message; true when it worked. */
export async function act(busy: Ref<boolean> | null, fn: () => Promise<unknown>, done?: string): Promise<boolean> {
  if (busy) busy.value = true
  try {
    await fn()
    if (done) ElMessage.success(done)
    return true
  } catch (e) {
    showError(e)
    return false
  } finally {
    if (busy) busy.value = false
  }
}

/** A list paged on the server: `page` is 1-based for el-pagination, the API's is 0-based. */
export function usePaged<T>(fetch: (page: number, size: number) => Promise<{ items: T[]; total: number }>, size = 20) {
  const items = ref<T[]>([]) as Ref<T[]>
  const total = ref(0)
  const page = ref(1)
  const pageSize = ref(size)
  const loading = ref(false)
  let seq = 0
  async function load() {
    const mine = ++seq
    loading.value = true
    try {
      const r = await fetch(page.value - 1, pageSize.value)
      if (mine !== seq) return
      items.value = r.items
      total.value = r.total
    } catch (e) {
      if (mine === seq) showError(e)
    } finally {
      if (mine === seq) loading.value = false
    }
  }
  /** Back to the first page (after a filter changed). */
  function search() {
    page.value = 1
    return load()
  }
  return { items, total, page, pageSize, loading, load, search }
}

/** Asks first (a warning box with `button` to go on), then runs the action like {@link act}; false when declined or failed. */
export async function confirmAct(text: string, title: string, button: string, fn: () => Promise<unknown>, done?: string): Promise<boolean> {
  try {
    await ElMessageBox.confirm(text, title, { type: 'warning', confirmButtonText: button, cancelButtonText: '取消' })
  } catch {
    return false
  }
  return act(null, fn, done)
}
