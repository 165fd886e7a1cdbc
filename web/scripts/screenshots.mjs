// Screenshots of every page of a running platform, for docs/screenshots and for looking at what was built.
//   node web/scripts/screenshots.mjs --port 8080 --user admin --password '...' [--out docs/screenshots] [--only home,overview]
// Each page waits for its data-ready marker (or 4 s) before the picture is taken.
import { chromium } from 'playwright-core'
import fs from 'node:fs'

const arg = (n, d) => { const i = process.argv.indexOf('--' + n); return i > 0 ? process.argv[i + 1] : d }
const base = `http://127.0.0.1:${arg('port', '8080')}`
const out = arg('out', 'docs/screenshots')
const only = arg('only', '')?.split(',').filter(Boolean)
const enterprise = arg('enterprise', '1')
const alarm = arg('alarm', '')

const PAGES = [
  ['home', '/home', 'home'], ['overview', '/overview', 'overview'], ['enterprise', `/enterprises/${enterprise}`, 'enterprise'],
  ['alarms-realtime', '/alarms/realtime'], ['alarms-history', '/alarms/history'], ['analysis', '/analysis'],
  ['data-checks', '/data-checks'], ['users', '/system/users'], ['audit', '/system/audit'], ['rules', '/system/rules'],
  ['ingest', '/ops/ingest'], ['raw-frames', '/ops/raw-frames'], ['ops-enterprises', '/ops/enterprises'],
]
if (alarm) PAGES.push(['alarm-detail', `/alarms/${alarm}`])

const login = await fetch(base + '/api/auth/login', {
  method: 'POST', headers: { 'Content-Type': 'application/json' },
  body: JSON.stringify({ username: arg('user', 'admin'), password: arg('password') }),
}).then((r) => r.json())
if (!login.token) throw new Error('login failed: ' + JSON.stringify(login))

const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
})
const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' })
await context.addInitScript(([t, u]) => {
  sessionStorage.setItem('powerwatch.session', JSON.stringify({ token: t, expiresAt: '', user: u }))
}, [login.token, login.user])
const page = await context.newPage()
fs.mkdirSync(out, { recursive: true })
for (const [name, path, ready] of PAGES) {
  if (only.length && !only.includes(name)) continue
  await page.goto(base + path)
  if (ready) await page.waitForSelector(`[data-ready="${ready}"]`, { timeout: 15000 }).catch(() => {})
  await page.waitForTimeout(ready ? 800 : 4000)
  await page.screenshot({ path: `${out}/${name}.png` })
  console.log('wrote', `${out}/${name}.png`)
}
await browser.close()
