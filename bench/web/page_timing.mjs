// Times the web platform's pages in Debian's headless Chromium (playwright-core from web/node_modules):
// from navigation start until the page's data is drawn: the map and the overview mark themselves
// (data-ready="home"/"overview" after the render that shows markers and KPIs, or the rows; the moment of that frame
// is the performance mark pw-drawn:<page>), an enterprise page
// when its load curve has drawn series (data-drawn) and its flow diagram has boxes.
// Cold = a fresh browser context (empty cache, new connection); warm = the same page again in
// that context (bundle cached, as an officer's second visit).
//
//   node bench/web/page_timing.mjs --port 8080 --token <session token> --user '<user json>' --enterprise 1 [--runs 5]
import { createRequire } from 'node:module'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const here = path.dirname(fileURLToPath(import.meta.url))
const require = createRequire(path.join(here, '../../web/package.json'))
const { chromium } = require('playwright-core')

const arg = (name, dflt) => {
  const i = process.argv.indexOf('--' + name)
  return i > 0 ? process.argv[i + 1] : dflt
}
const port = arg('port', '8080')
const token = arg('token')
const user = JSON.parse(arg('user', '{}'))
const enterprise = arg('enterprise', '1')
const runs = Number(arg('runs', '5'))
const base = `http://127.0.0.1:${port}`

const PAGES = [
  { name: 'home', path: '/home', ready: '[data-ready="home"]', target: 1500 },
  { name: 'overview', path: '/overview', ready: '[data-ready="overview"]', target: 1000 },
  // the profile, the load curve with its series drawn and the flow diagram's boxes
  { name: 'enterprise', path: `/enterprises/${enterprise}`, ready: '[data-test="load-chart"]:not([data-drawn=""]) ', also: '[data-test="flow-box"]', target: 1000 },
]

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-quic'],
})

async function session() {
  const context = await browser.newContext({ viewport: { width: 1600, height: 900 }, locale: 'zh-CN' })
  await context.addInitScript(([t, u]) => {
    sessionStorage.setItem('powerwatch.session', JSON.stringify({ token: t, expiresAt: '', user: u }))
  }, [token, user])
  return context
}

async function timeOnce(page, p) {
  const t0 = Date.now()
  await page.goto(base + p.path, { waitUntil: 'commit' })
  await page.waitForSelector(p.ready, { timeout: 60000 })
  if (p.also) await page.waitForSelector(p.also, { timeout: 60000 })
  // navigationStart-relative, so the figure includes the request of index.html. The page marks the frame that drew
  // its data (pw-drawn:<page>, web/src/utils/painted.ts); without a mark, when this script noticed it
  const ms = await page.evaluate((name) => {
    const m = performance.getEntriesByName('pw-drawn:' + name, 'mark')
    return m.length ? m[m.length - 1].startTime : performance.now()
  }, p.name)
  return Math.min(ms, Date.now() - t0 + 50)
}

const results = {}
for (const p of PAGES) {
  const cold = [], warm = []
  for (let i = 0; i < runs; i++) {
    const context = await session()
    const page = await context.newPage()
    cold.push(await timeOnce(page, p))
    await page.goto('about:blank')
    warm.push(await timeOnce(page, p))
    await context.close()
  }
  results[p.name] = { cold, warm, target: p.target }
}
await browser.close()
console.log(JSON.stringify(results))
