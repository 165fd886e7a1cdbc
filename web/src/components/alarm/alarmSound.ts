// The audible cue of a new alarm: a short two-tone chime made with WebAudio (no sound file). Browsers keep audio
// locked until the user first interacts with the page, so the context is created/resumed on the first click or
// key press; until then `blocked` is true and the page says so. 静音 is remembered in localStorage.
import { ref } from 'vue'

const MUTE_KEY = 'powerwatch.alarmMuted'

export const muted = ref(localStorage.getItem(MUTE_KEY) === '1')
/** True while the browser has not allowed sound yet (no click on the page so far). */
export const blocked = ref(true)

let ctx: AudioContext | null = null

function context(): AudioContext | null {
  if (!ctx) {
    const Ctor = window.AudioContext ?? (window as any).webkitAudioContext
    if (!Ctor) return null
    ctx = new Ctor()
  }
  return ctx
}

function unlock() {
  const c = context()
  if (!c) return
  c.resume().then(() => { blocked.value = c.state !== 'running' }).catch(() => { /* stays blocked */ })
}

let listening = false
/** Starts waiting for the first gesture that lets the page play sound. */
export function armSound() {
  if (listening) return
  listening = true
  const once = () => {
    unlock()
    if (!blocked.value) {
      window.removeEventListener('pointerdown', once, true)
      window.removeEventListener('keydown', once, true)
    }
  }
  window.addEventListener('pointerdown', once, true)
  window.addEventListener('keydown', once, true)
  // a context may already be allowed (the user clicked on an earlier page of the app)
  const c = context()
  if (c) blocked.value = c.state !== 'running'
}

export function setMuted(v: boolean) {
  muted.value = v
  localStorage.setItem(MUTE_KEY, v ? '1' : '0')
  if (!v) unlock()
}

/** Plays the chime unless muted or not yet allowed; more urgent levels beep three times. */
export function chime(level?: string) {
  if (muted.value) return
  const c = context()
  if (!c || c.state !== 'running') {
    blocked.value = true
    return
  }
  const beeps = level === 'LEVEL_1' ? 3 : level === 'LEVEL_2' ? 2 : 1
  let t = c.currentTime + 0.02
  for (let i = 0; i < beeps; i++) {
    for (const [freq, len] of [[880, 0.12], [660, 0.16]] as const) {
      const osc = c.createOscillator()
      const gain = c.createGain()
      osc.type = 'sine'
      osc.frequency.value = freq
      gain.gain.setValueAtTime(0.0001, t)
      gain.gain.exponentialRampToValueAtTime(0.25, t + 0.015)
      gain.gain.exponentialRampToValueAtTime(0.0001, t + len)
      osc.connect(gain).connect(c.destination)
      osc.start(t)
      osc.stop(t + len + 0.02)
      t += len
    }
    t += 0.12
  }
}
