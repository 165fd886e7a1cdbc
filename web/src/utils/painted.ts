// "The page's data is on screen": after the render that shows it, in the next animation frame. Sets the page's flag
// (its data-ready attribute, which tests wait for) and leaves a performance mark `pw-drawn:<page>` with that moment,
// which the web benchmark (bench/web/page_timing.mjs) reads — so the figure is when the frame was drawn, not when a
// busy machine let the benchmark notice it.
import { nextTick, type Ref } from 'vue'

export function markPainted(page: string, flag: Ref<boolean>): void {
  if (flag.value) return
  nextTick(() => requestAnimationFrame(() => {
    if (flag.value) return
    flag.value = true
    performance.mark('pw-drawn:' + page)
  }))
}
