// Layout of the 工艺流程图: production facilities on the left, treatment facilities on the right, arrows for the
// registry's associations. Facilities that belong together (a production line, or production and treatment joined by
// associations — the plant's 治理线组) form one band; no association joins two bands, so each band is drawn on its own
// and bands can flow in columns on a wide screen. Within a band, treatments are ordered by the productions they serve
// so that arrows cross as little as possible. Pure geometry, no DOM: the component draws it in SVG.
import type { Association, FacilityView } from '@/api/enterprise'

export const BOX_W = 188
export const BOX_H = 48
export const ROW_GAP = 10
export const COL_GAP = 96
export const PAD = 6

export interface Box { f: FacilityView; x: number; y: number }
export interface Arrow { from: Box; to: Box; path: string; violated: boolean }
/** One band with its own coordinates (0,0 at its top left). */
export interface Band { key: string; label: string; width: number; height: number; boxes: Box[]; arrows: Arrow[] }

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

export const BAND_W = PAD + BOX_W + COL_GAP + BOX_W + PAD

export function layoutFlow(facilities: FacilityView[], associations: Association[]): Band[] {
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

  const bands: Band[] = []
  if (totals.length) {
    const perRow = 2
    const rows = Math.ceil(totals.length / perRow)
    const boxes = totals.map((f, i) => ({ f, x: PAD + (i % perRow) * (BOX_W + COL_GAP), y: PAD + Math.floor(i / perRow) * (BOX_H + ROW_GAP) }))
    bands.push({ key: 'total', label: '企业总用电', width: BAND_W, height: 2 * PAD + rows * BOX_H + (rows - 1) * ROW_GAP, boxes, arrows: [] })
  }
  let n = 0
  for (const g of ordered) {
    const rows = Math.max(g.prods.length, g.treats.length, 1)
    const height = 2 * PAD + rows * BOX_H + (rows - 1) * ROW_GAP
    const lines = [...new Set(g.prods.map((p) => p.productionLineName).filter((x): x is string => !!x))]
    const label = lines.length ? lines.join('、')
      : g.prods.length ? `治理线组 ${++n}` : '未关联生产设施的治污设施'
    const boxes: Box[] = []
    const at = new Map<number, Box>()
    // centre the shorter column against the longer one
    const place = (list: FacilityView[], x: number) => {
      const offset = ((rows - list.length) * (BOX_H + ROW_GAP)) / 2
      list.forEach((f, i) => {
        const b = { f, x, y: PAD + offset + i * (BOX_H + ROW_GAP) }
        boxes.push(b)
        at.set(f.id, b)
      })
    }
    place(g.prods, PAD)
    place(g.treats, PAD + BOX_W + COL_GAP)
    const arrows: Arrow[] = links.filter((a) => at.has(a.productionFacilityId) && at.has(a.treatmentFacilityId)).map((a) => {
      const from = at.get(a.productionFacilityId)!
      const to = at.get(a.treatmentFacilityId)!
      const x1 = from.x + BOX_W, y1 = from.y + BOX_H / 2
      const x2 = to.x - 3, y2 = to.y + BOX_H / 2
      const mid = (x1 + x2) / 2
      return {
        from, to,
        path: `M${x1},${y1} C${mid},${y1} ${mid},${y2} ${x2},${y2}`,
        // production runs while the treatment serving it does not (stopped, idle, abnormal, offline)
        violated: runs(from.f) && !runs(to.f),
      }
    })
    bands.push({ key: 'g' + (g.prods[0] ?? g.treats[0]).id, label, width: BAND_W, height, boxes, arrows })
  }
  return bands
}
