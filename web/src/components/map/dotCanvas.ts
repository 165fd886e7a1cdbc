// Every enterprise as a dot on one canvas. Leaflet's own circle markers cost an object, a projection and a redraw
// request apiece — with 5,000 enterprises half a second or more of main thread on a busy 2-core machine, each time
// the rows come. This layer projects and paints all dots in one pass and finds the dot under the pointer itself.
// It extends L.Canvas for the container, its padding and the zoom animation, and overrides what draws and hit-tests
// (Leaflet 1.9: _updatePaths, _draw, _onClick, _onMouseMove, _handleMouseOut).
import L from 'leaflet'

export interface Dot {
  id: number
  latLng: L.LatLng
  color: string
  /** Drawn bigger (alarms). */
  big: boolean
  /** A ring of this colour around the dot, or null. */
  halo: string | null
}

export interface DotCanvas extends L.Canvas {
  /** Replaces the dots; later ones are drawn on top. */
  setDots(dots: Dot[]): void
  /** The topmost dot under a container point, or null. */
  dotAt(p: L.Point): Dot | null
}

export interface DotCanvasOptions extends L.RendererOptions {
  /** Dot radius in pixels at a zoom level. */
  radiusAt: (zoom: number) => number
  onDotClick: (dot: Dot) => void
}

/** Extra pixels around a dot that still count as a hit (a dot of 4 px is hard to hit otherwise). */
const TOLERANCE = 3

const Impl = (L.Canvas as any).extend({
  initialize(this: any, options: DotCanvasOptions) {
    ;(L.Canvas as any).prototype.initialize.call(this, options)
    this._dots = [] as Dot[]
    this._px = [] as L.Point[]
  },

  setDots(this: any, dots: Dot[]) {
    this._dots = dots
    if (!this._map) return
    this._project()
    this._redrawBounds = null
    this._redrawRequest = this._redrawRequest || L.Util.requestAnimFrame(this._redraw, this)
  },

  dotAt(this: any, p: L.Point): Dot | null {
    if (!this._map) return null
    return this._hit(this._map.containerPointToLayerPoint(p))
  },

  _radius(this: any, dot: Dot): number {
    return this.options.radiusAt(this._map.getZoom()) + (dot.big ? 2 : 0)
  },

  _project(this: any) {
    const map = this._map
    this._px = this._dots.map((d: Dot) => map.latLngToLayerPoint(d.latLng))
  },

  // the container moved or the zoom changed: project again and paint everything
  _updatePaths(this: any) {
    if (this._postponeUpdatePaths) return
    this._project()
    this._redrawBounds = null
    this._redraw()
  },

  _draw(this: any) {
    const ctx: CanvasRenderingContext2D = this._ctx
    const b: L.Bounds | undefined = this._bounds
    if (!ctx || !b || !this._map) return
    if (this._px.length !== this._dots.length) this._project()
    const base = this.options.radiusAt(this._map.getZoom())
    ctx.save()
    for (let i = 0; i < this._dots.length; i++) {
      const d: Dot = this._dots[i]
      const p: L.Point = this._px[i]
      const r = base + (d.big ? 2 : 0)
      const reach = r + 7
      if (!p || p.x < b.min!.x - reach || p.x > b.max!.x + reach || p.y < b.min!.y - reach || p.y > b.max!.y + reach) continue
      if (d.halo) {
        ctx.beginPath()
        ctx.arc(p.x, p.y, r + 5, 0, Math.PI * 2)
        ctx.globalAlpha = 0.55
        ctx.lineWidth = 2
        ctx.strokeStyle = d.halo
        ctx.stroke()
      }
      ctx.beginPath()
      ctx.arc(p.x, p.y, r, 0, Math.PI * 2)
      ctx.globalAlpha = 0.92
      ctx.fillStyle = d.color
      ctx.fill()
      ctx.globalAlpha = 0.9
      ctx.lineWidth = 1
      ctx.strokeStyle = '#ffffff'
      ctx.stroke()
    }
    ctx.restore()
  },

  /** The topmost dot within its radius (plus tolerance) of a layer point. */
  _hit(this: any, p: L.Point): Dot | null {
    const base = this.options.radiusAt(this._map.getZoom())
    for (let i = this._dots.length - 1; i >= 0; i--) {
      const q: L.Point = this._px[i]
      const r = base + (this._dots[i].big ? 2 : 0) + TOLERANCE
      if (q && Math.abs(q.x - p.x) <= r && Math.abs(q.y - p.y) <= r && q.distanceTo(p) <= r) return this._dots[i]
    }
    return null
  },

  _onClick(this: any, e: MouseEvent) {
    const map = this._map
    const dot = e.type === 'click' && !map._draggableMoved(map) ? this._hit(map.mouseEventToLayerPoint(e)) : null
    if (dot) {
      L.DomEvent.stop(e)
      this.options.onDotClick(dot)
      return
    }
    this._fireEvent(false, e) // the map's own handling (closing a popup, …)
  },

  _onMouseMove(this: any, e: MouseEvent) {
    const map = this._map
    if (!map || map.dragging.moving() || map._animatingZoom || this._mouseHoverThrottled) return
    this._mouseHoverThrottled = true
    setTimeout(() => (this._mouseHoverThrottled = false), 32)
    const hit = this._hit(map.mouseEventToLayerPoint(e))
    if (hit) L.DomUtil.addClass(this._container, 'leaflet-interactive') // the hand cursor
    else L.DomUtil.removeClass(this._container, 'leaflet-interactive')
    this._fireEvent(false, e)
  },

  _handleMouseOut(this: any) {
    if (this._container) L.DomUtil.removeClass(this._container, 'leaflet-interactive')
  },
})

export function dotCanvas(options: DotCanvasOptions): DotCanvas {
  return new Impl(options) as DotCanvas
}
