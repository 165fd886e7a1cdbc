// One fetch wrapper for the whole app: adds the session token, turns the API's error shape
// {error, message, field?, errors?} into an ApiError that forms can show next to the field.
import { useAuth } from '@/stores/auth'

export class ApiError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
    public field?: string,
    public errors?: { field: string; message: string }[],
    public body?: any,
  ) {
    super(message)
  }
  /** Messages per field, for el-form-item :error. */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {}
    for (const e of this.errors ?? []) out[e.field] = e.message
    if (this.field && !out[this.field]) out[this.field] = this.message
    return out
  }
}

type Query = Record<string, string | number | boolean | undefined | null | (string | number)[]>

export function qs(params?: Query): string {
  if (!params) return ''
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    if (Array.isArray(v)) v.forEach((x) => p.append(k, String(x)))
    else p.append(k, String(v))
  }
  const s = p.toString()
  return s ? '?' + s : ''
}

async function request<T>(method: string, url: string, body?: unknown, query?: Query): Promise<T> {
  const auth = useAuth()
  const headers: Record<string, string> = { Accept: 'application/json' }
  if (auth.token) headers.Authorization = 'Bearer ' + auth.token
  let payload: BodyInit | undefined
  if (body instanceof FormData) payload = body
  else if (body !== undefined) {
    headers['Content-Type'] = 'application/json'
    payload = JSON.stringify(body)
  }
  let res: Response
  try {
    res = await fetch(url + qs(query), { method, headers, body: payload })
  } catch {
    throw new ApiError(0, 'NETWORK', '无法连接服务器，请检查网络后重试')
  }
  if (res.status === 401 && !url.startsWith('/api/auth/login')) {
    auth.expired()
    throw new ApiError(401, 'UNAUTHORIZED', '登录已过期，请重新登录')
  }
  const text = await res.text()
  let data: any = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = text
    }
  }
  if (!res.ok) {
    const d = typeof data === 'object' && data ? data : {}
    throw new ApiError(res.status, d.error ?? String(res.status), d.message ?? statusText(res.status), d.field, d.errors, d)
  }
  return data as T
}

function statusText(status: number): string {
  if (status === 403) return '没有权限执行此操作'
  if (status === 404) return '记录不存在或不在您的管辖范围内'
  if (status === 413) return '文件太大'
  if (status >= 500) return '服务器出错，请稍后重试'
  return '请求失败（' + status + '）'
}

export const http = {
  get: <T = any>(url: string, query?: Query) => request<T>('GET', url, undefined, query),
  post: <T = any>(url: string, body?: unknown, query?: Query) => request<T>('POST', url, body ?? {}, query),
  put: <T = any>(url: string, body?: unknown) => request<T>('PUT', url, body ?? {}),
  del: <T = any>(url: string) => request<T>('DELETE', url),
}

/** Downloads a file the API produces (Excel exports) with the session token. */
export async function download(url: string, query: Query | undefined, fallbackName: string): Promise<void> {
  const auth = useAuth()
  const res = await fetch(url + qs(query), { headers: { Authorization: 'Bearer ' + auth.token } })
  if (!res.ok) {
    let msg = statusText(res.status)
    try {
      msg = (await res.json()).message ?? msg
    } catch { /* not JSON */ }
    throw new ApiError(res.status, 'DOWNLOAD', msg)
  }
  const cd = res.headers.get('Content-Disposition') ?? ''
  const m = /filename\*=UTF-8''([^;]+)/.exec(cd)
  const name = m ? decodeURIComponent(m[1]) : fallbackName
  const blob = await res.blob()
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(a.href), 10000)
}

/** An EventSource on one of the API's SSE streams (the token goes in the query: EventSource cannot set headers). */
export function eventStream(url: string): EventSource {
  const auth = useAuth()
  const es = new EventSource(url + qs({ access_token: auth.token }))
  // the server closed this stream for a newer one of the same user (per-user cap): reconnecting would close another
  es.addEventListener('superseded', () => es.close())
  return es
}
