// Page data asked for while the page's code is still loading. main.ts asks for the opened page's data before the app
// is created, the router for the page being navigated to (see router/index.ts); the page takes the answer instead of
// asking again. A prefetched answer is used once and only while fresh — still on its way, or arrived less than
// FRESH_MS ago — so a later refresh always goes to the server.
const FRESH_MS = 5000
const pending = new Map<string, { arrived: number | null; answer: Promise<unknown> }>()

function fresh(p: { arrived: number | null }): boolean {
  return p.arrived === null || Date.now() - p.arrived < FRESH_MS
}

export function prefetch(key: string, ask: () => Promise<unknown>): void {
  const asked = pending.get(key)
  if (asked && fresh(asked)) return // asked already (main.ts, then the router's guard), not taken yet
  const entry: { arrived: number | null; answer: Promise<unknown> } = { arrived: null, answer: ask() }
  entry.answer.then(() => (entry.arrived = Date.now()), () => (entry.arrived = 0)) // a failure is never fresh
  pending.set(key, entry)
}

export function takePrefetched<T>(key: string, ask: () => Promise<T>): Promise<T> {
  const p = pending.get(key)
  pending.delete(key)
  return p && fresh(p) ? (p.answer as Promise<T>) : ask()
}
