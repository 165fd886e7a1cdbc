// A small toast for the phone pages: Element Plus's ElMessage would bring its icon set (about 15 KB gzip) to every
// phone page for two words of feedback.
let box: HTMLDivElement | null = null

export function toast(text: string, kind: 'ok' | 'error' = 'ok', ms = 2600) {
  box?.remove()
  const el = document.createElement('div')
  el.className = 'm-toast ' + kind
  el.setAttribute('role', kind === 'error' ? 'alert' : 'status')
  el.dataset.test = 'm-toast'
  el.textContent = text
  document.body.appendChild(el)
  box = el
  setTimeout(() => { el.remove(); if (box === el) box = null }, ms)
}
