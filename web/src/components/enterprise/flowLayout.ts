// Layout of the 工艺流程图: production facilities on the left, treatment facilities on the right, arrows for the
// registry's associations. Facilities that belong together (a production line, or production and treatment joined by
// associations — the plant's 治理线组) form one band; within a band treatments are ordered by the productions they
// serve so that arrows cross as little as possible. Pure geometry, no DOM: the component draws it in SVG.
import type { Association, FacilityView } from '@/api/enterprise'

export const BOX_W = 188
export const BOX_H = 48
export const ROW_GAP = 10
export const COL_GAP = 110
export const BAND_PAD = 10
export const LABEL_H = 20
export const MARGIN = 8
export const HEAD_H = 22

export interface Box { f: FacilityView; x: number; y: number }
export interface Arrow { from: Box; to: Box; path: string; violated: boolean }
export interface Band { label: string; y: number; h: number }
export interface Head { x: number; y: number; label: string }
export interface FlowLayout { width: number; height: number; boxes: Box[]; arrows: Arrow[]; bands: Band[]; heads: Head[] }

class UnionFind {
  parent = new Map<number, number>()
  find(x: number): number {
    let p = this.parent.get(x) ?? x
    if (p !== x) {
      p = this.find(p)
      this.parent.set(x, p)
    }
    return p
  }
  union(a: number, b: number) {
    const ra = this.find(a), rb = this.find(b)
    if (ra !== rb) this.parent.set(rb, ra)
  }
}

const runs = (f: FacilityView) => f.state === 'RUNNING' && f.reason !== 'LOW_LOAD'

const byName = (a: FacilityView, b: FacilityView) => a.name.localeCompare(b.name, 'zh-CN')

export function layoutFlow(facilities: FacilityView[], associations: Association[]): FlowLayout {
  const byId = new Map(facilities.map((f) => [f.id, f]))
  const production = facilities.filter((f) => f.kind === 'PRODUCTION')
  const treatment = facilities.filter((f) => f.kind === 'TREATMENT')
  const totals = facilities.filter((f) => f.kind === 'TOTAL').sort(byName)
  const links = associations.filter((a) => byId.has(a.productionFacilityId) && byId.has(a.treatmentFacilityId))

  const uf = new UnionFind()
  for (const a of links) uf.union(a.productionFacilityId, a.treatmentFacilityId)
  const firstOfLine = new Map<number, number>()
  for (const p of production) {
    if (p.productionLineId == null) continue
    const first = firstOfLine.get(p.productionLineId)
    if (first === undefined) firstOfLine.set(p.productionLineId, p.id)
    else uf.union(first, p.id)
  }

  const groups = new Map<number, { prods: FacilityView[]; treats: FacilityView[] }>()
  for (const f of [...production, ...treatment]) {
    const root = uf.find(f.id)
    if (!groups.has(root)) groups.set(root, { prods: [], treats: [] })
    const g = groups.get(root)!
    ;(f.kind === 'PRODUCTION' ? g.prods : g.treats).push(f)
  }
  // lines in the order they were registered (their ids), facilities without a line after them
  const lineKey = (f: FacilityView) => f.productionLineId ?? Number.MAX_SAFE_INTEGER
  const ordered = [...groups.values()].map((g) => {
    g.prods.sort((a, b) => lineKey(a) - lineKey(b) || byName(a, b))
    const rank = new Map(g.prods.map((p, i) => [p.id, i]))
    const centre = (t: FacilityView) => {
      const served = links.filter((a) => a.treatmentFacilityId === t.id).map((a) => rank.get(a.productionFacilityId) ?? 0)
      return served.length ? served.reduce((s, v) => s + v, 0) / served.length : Number.MAX_SAFE_INTEGER
    }
    g.treats.sort((a, b) => centre(a) - centre(b) || byName(a, b))
    return g
  })
  // bands with production first (by their first production's line and name), treatment-only bands last
  ordered.sort((a, b) => {
    if (!a.prods.length !== !b.prods.length) return a.prods.length ? -1 : 1
    const fa = a.prods[0] ?? a.treats[0], fb = b.prods[0] ?? b.treats[0]
    return lineKey(fa) - lineKey(fb) || byName(fa, fb)
  })

  const xProd = MARGIN + BAND_PAD
  const xTreat = xProd + BOX_W + COL_GAP
  const width = xTreat + BOX_W + BAND_PAD + MARGIN
  const boxes: Box[] = []
  const bands: Band[] = []
  const at = new Map<number, Box>()
  let y = MARGIN
  const heads: Head[] = []

  if (totals.length) {
    const h = LABEL_H + BOX_H + BAND_PAD
    bands.push({ label: '企业总用电', y, h })
    totals.forEach((f, i) => {
      const b = { f, x: xProd + i * (BOX_W + 16), y: y + LABEL_H }
      boxes.push(b)
      at.set(f.id, b)
    })
    y += h + ROW_GAP
  }
  if (ordered.length) {
    heads.push({ x: xProd + BOX_W / 2, y: y + 14, label: '生产设施' }, { x: xTreat + BOX_W / 2, y: y + 14, label: '治污设施' })
    y += HEAD_H
  }
  let n = 0
  for (const g of ordered) {
    const rows = Math.max(g.prods.length, g.treats.length, 1)
    const h = LABEL_H + rows * BOX_H + (rows - 1) * ROW_GAP + BAND_PAD
    const lines = [...new Set(g.prods.map((p) => p.productionLineName).filter((x): x is string => !!x))]
    const label = lines.length ? lines.join('、')
      : g.prods.length ? `治理线组 ${++n}` : '未关联生产设施的治污设施'
    bands.push({ label, y, h })
    // centre the shorter column against the longer one
    const place = (list: FacilityView[], x: number) => {
      const offset = ((rows - list.length) * (BOX_H + ROW_GAP)) / 2
      list.forEach((f, i) => {
        const b = { f, x, y: y + LABEL_H + offset + i * (BOX_H + ROW_GAP) }
        boxes.push(b)
        at.set(f.id, b)
      })
    }
    place(g.prods, xProd)
    place(g.treats, xTreat)
    y += h + ROW_GAP
  }

  const arrows: Arrow[] = links.map((a) => {
    const from = at.get(a.productionFacilityId)!
    const to = at.get(a.treatmentFacilityId)!
    const x1 = from.x + BOX_W, y1 = from.y + BOX_H / 2
    const x2 = to.x - 4, y2 = to.y + BOX_H / 2
    const mid = (x1 + x2) / 2
    return {
      from, to,
      path: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
      // production runs while the treatment serving it does not (stopped, idle, abnormal, offline)
      violated: runs(from.f) && !runs(to.f),
    }
  })

  return { width, height: Math.max(y - ROW_GAP + MARGIN, 60), boxes, arrows, bands, heads }
}
