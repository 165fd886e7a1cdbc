// Live counts for the header (open alarms, unread messages), kept current by the alarm SSE stream. Pages that
// need the events themselves subscribe with onAlarm/onMessage.
import { defineStore } from 'pinia'
import { http, eventStream } from '@/api/http'

type Listener = (data: any) => void

export const useLive = defineStore('live', {
  state: () => ({
    openAlarms: 0,
    unread: 0,
    connected: false,
    source: null as EventSource | null,
    alarmListeners: new Set<Listener>(),
    messageListeners: new Set<Listener>(),
    timer: 0 as number,
  }),
  actions: {
    async refreshCounts() {
      try {
        const [c, u] = await Promise.all([
          http.get('/api/alarms/counts', { status: 'active' }),
          http.get('/api/messages/unread-count'),
        ])
        this.openAlarms = c.total ?? 0
        this.unread = u.unread ?? u.count ?? 0
      } catch { /* the header stays as it was */ }
    },
    start() {
      this.refreshCounts()
      this.connect()
      // counts are cheap; a minute's poll corrects anything a dropped event missed
      this.timer = window.setInterval(() => this.refreshCounts(), 60000)
    },
    connect() {
      if (this.source) return
      const es = eventStream('/api/alarms/stream')
      this.source = es
      let pending = 0
      es.addEventListener('open', () => (this.connected = true))
      es.addEventListener('error', () => {
        this.connected = false
        // EventSource reconnects by itself; a closed one (token expired) is dropped
        if (es.readyState === EventSource.CLOSED) this.source = null
      })
      es.addEventListener('superseded', () => {
        // closed for a newer stream of this user (another tab): counts are still polled every minute
        this.connected = false
        this.source = null
      })
      es.addEventListener('alarm', (ev) => {
        const data = safeParse((ev as MessageEvent).data)
        this.alarmListeners.forEach((l) => l(data))
        // coalesce a burst of changes into one count request
        if (!pending) pending = window.setTimeout(() => { pending = 0; this.refreshCounts() }, 800)
      })
      es.addEventListener('message', (ev) => {
        const data = safeParse((ev as MessageEvent).data)
        this.unread += 1
        this.messageListeners.forEach((l) => l(data))
      })
    },
    stop() {
      this.source?.close()
      this.source = null
      clearInterval(this.timer)
    },
    onAlarm(l: Listener): () => void {
      this.alarmListeners.add(l)
      return () => this.alarmListeners.delete(l)
    },
    onMessage(l: Listener): () => void {
      this.messageListeners.add(l)
      return () => this.messageListeners.delete(l)
    },
  },
})

function safeParse(s: string): any {
  try {
    return JSON.parse(s)
  } catch {
    return s
  }
}
