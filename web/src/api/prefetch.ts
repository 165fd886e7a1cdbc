// Page data asked for while the page's code is still loading. The router starts the requests of the page being
// opened (see router/index.ts); the page takes the answer instead of asking again. A prefetched answer is used once
// and only while fresh, so a later refresh always goes to the server.
const FRESH_MS = 5000
const pending = new Map<string, { at: number; answer: Promise<unknown> }>()

export function prefetch(key: string, ask: () => Promise<unknown>): void {
  const asked = pending.get(key)
  if (asked && Date.now() - asked.at < FRESH_MS) return // asked already at start (main.ts), not taken yet
  const answer = ask()
  answer.catch(() => undefined) // the page reports the failure when it takes the answer
  pending.set(key, { at: Date.now(), answer })
}

export function takePrefetched<T>(key: string, ask: () => Promise<T>): Promise<T> {
  const p = pending.get(key)
  pending.delete(key)
  return p && Date.now() - p.at < FRESH_MS ? (p.answer as Promise<T>) : ask()
}
