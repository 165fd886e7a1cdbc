// Photos taken on the phone: compressed in the browser before upload (a 12-megapixel camera photo is 4-8 MB; on a
// weak network that is minutes), stamped with the time and, when the person allows it, the place; and uploaded with
// retries. The platform sniffs the bytes (JPEG/PNG/WebP) and keeps whatever arrives: the stamp is in the pixels.
import { alarmsApi, type AlarmAttachment } from '@/api/alarms'
import { ApiError } from '@/api/http'
import { fmtTime } from '@/utils/format'

export const MAX_SIDE = 1600
export const QUALITY = 0.8

export interface Place { lat: number; lng: number; accuracy: number }

/** The phone's position, or null when refused, unavailable or too slow (a photo is never held up for it). */
export function locate(timeoutMs = 6000): Promise<Place | null> {
  if (!('geolocation' in navigator)) return Promise.resolve(null)
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), timeoutMs + 500)
    navigator.geolocation.getCurrentPosition(
      (p) => { clearTimeout(timer); resolve({ lat: p.coords.latitude, lng: p.coords.longitude, accuracy: p.coords.accuracy }) },
      () => { clearTimeout(timer); resolve(null) },
      { enableHighAccuracy: true, timeout: timeoutMs, maximumAge: 120000 },
    )
  })
}

/** Scaled so the longer side is at most {@code max} (never enlarged). */
export function fitSize(w: number, h: number, max = MAX_SIDE): { w: number; h: number } {
  const s = Math.min(1, max / Math.max(w, h))
  return { w: Math.max(1, Math.round(w * s)), h: Math.max(1, Math.round(h * s)) }
}

function loadImage(file: Blob): Promise<HTMLImageElement> {
  return new Promise((resolve, reject) => {
    const url = URL.createObjectURL(file)
    const img = new Image()
    // <img> applies the EXIF orientation, so a portrait photo stays upright on the canvas
    img.onload = () => { URL.revokeObjectURL(url); resolve(img) }
    img.onerror = () => { URL.revokeObjectURL(url); reject(new Error('不是可识别的图片')) }
    img.src = url
  })
}

/** The lines stamped into the photo's bottom-left corner. */
export function stampLines(at: Date, place: Place | null, who?: string): string[] {
  const lines = [fmtTime(at) + (who ? '  ' + who : '')]
  lines.push(place ? `${place.lat.toFixed(5)}°N ${place.lng.toFixed(5)}°E ±${Math.round(place.accuracy)}m` : '位置：未授权定位')
  return lines
}

/** A JPEG of the photo, long side ≤ 1600 px, quality 0.8, with the stamp drawn in. */
export async function compressPhoto(file: Blob, lines: string[]): Promise<Blob> {
  const img = await loadImage(file)
  const { w, h } = fitSize(img.naturalWidth, img.naturalHeight)
  const canvas = document.createElement('canvas')
  canvas.width = w
  canvas.height = h
  const g = canvas.getContext('2d')!
  g.fillStyle = '#fff' // a transparent PNG becomes white, not black, as JPEG
  g.fillRect(0, 0, w, h)
  g.drawImage(img, 0, 0, w, h)
  const size = Math.max(12, Math.round(Math.max(w, h) / 45))
  g.font = `${size}px "Noto Sans CJK SC", "PingFang SC", sans-serif`
  const pad = Math.round(size / 2)
  const lineH = Math.round(size * 1.3)
  const boxW = Math.min(w, Math.max(...lines.map((l) => g.measureText(l).width)) + pad * 2)
  const boxH = lineH * lines.length + pad
  g.fillStyle = 'rgba(0, 0, 0, 0.55)'
  g.fillRect(0, h - boxH, boxW, boxH)
  g.fillStyle = '#fff'
  g.textBaseline = 'top'
  lines.forEach((l, i) => g.fillText(l, pad, h - boxH + pad / 2 + i * lineH))
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/jpeg', QUALITY))
  if (!blob) throw new Error('照片压缩失败')
  return blob
}

/** Whether an upload failure is worth another try (network, time-out, server trouble), not a refusal. */
export function retryable(e: unknown): boolean {
  const s = e instanceof ApiError ? e.status : 0
  return s === 0 || s === 408 || s === 429 || s >= 500
}

export const BACKOFF_MS = [1000, 3000, 8000]

/**
 * Uploads one photo to the alarm, trying again after 1 s, 3 s and 8 s when the network fails; a refusal (400/413/415,
 * 403) is not retried. {@code onAttempt} tells the page which attempt is running.
 */
export async function uploadWithRetry(alarmId: number, photo: Blob, name: string, note: string | undefined,
                                      onAttempt: (n: number) => void, wait = (ms: number) => new Promise((r) => setTimeout(r, ms))):
  Promise<AlarmAttachment> {
  const file = new File([photo], name, { type: photo.type || 'image/jpeg' })
  for (let attempt = 1; ; attempt++) {
    onAttempt(attempt)
    try {
      return await alarmsApi.upload(alarmId, file, note)
    } catch (e) {
      if (!retryable(e) || attempt > BACKOFF_MS.length) throw e
      await wait(BACKOFF_MS[attempt - 1])
    }
  }
}
