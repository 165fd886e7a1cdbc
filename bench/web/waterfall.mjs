// Prints the resource waterfall of one page load (start, end, size) to find what a page waits for.
//   node bench/web/waterfall.mjs --port 8080 --token <t> --user '<json>' --path /home --ready '[data-ready="home"]'
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../../web/package.json'))
const { chromium } = require('playwright-core')
const arg = (n, d) => { const i = process.argv.indexOf('--' + n); return i > 0 ? process.argv[i + 1] : d }
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'] })
const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' })
await context.addInitScript(([t, u]) => sessionStorage.setItem('powerwatch.session', JSON.stringify({ token: t, expiresAt: '', user: u })), [arg('token'), JSON.parse(arg('user', '{}'))])
const page = await context.newPage()
for (const warm of [false, true]) {
  if (warm) await page.goto('about:blank')
  await page.goto(`http://127.0.0.1:${arg('port')}${arg('path')}`, { waitUntil: 'commit' })
  await page.waitForSelector(arg('ready'), { timeout: 60000 })
  const out = await page.evaluate(() => {
    const rows = performance.getEntriesByType('resource').map((r) => [Math.round(r.startTime), Math.round(r.responseEnd), r.transferSize, r.name.replace(location.origin, '')])
    const nav = performance.getEntriesByType('navigation')[0]; console.log(JSON.stringify(nav))
    const marks = performance.getEntriesByType('mark').map((m) => [Math.round(m.startTime), m.name])
    return { navj: JSON.stringify(nav), now: Math.round(performance.now()), domContentLoaded: Math.round(nav.domContentLoadedEventEnd), rows, marks }
  })
  console.log(out.navj); console.log(warm ? '--- warm' : '--- cold', 'ready at', out.now, 'ms; DOMContentLoaded', out.domContentLoaded)
  for (const r of out.rows) console.log(String(r[0]).padStart(6), String(r[1]).padStart(6), String(r[2]).padStart(8), r[3].slice(0, 110))
  for (const m of out.marks) console.log('mark', m[0], m[1])
}
await browser.close()
