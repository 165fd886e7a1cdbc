// ECharts on demand: only the chart types and components the pages use are bundled. Import VChart from here.
import { use } from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { LineChart, BarChart, PieChart } from 'echarts/charts'
import {
  GridComponent, TooltipComponent, LegendComponent, TitleComponent, MarkAreaComponent, MarkLineComponent,
  DataZoomComponent, ToolboxComponent,
} from 'echarts/components'
import VChart from 'vue-echarts'

use([CanvasRenderer, LineChart, BarChart, PieChart, GridComponent, TooltipComponent, LegendComponent, TitleComponent,
  MarkAreaComponent, MarkLineComponent, DataZoomComponent, ToolboxComponent])

export default VChart

/** Shared palette so a series means the same colour on every chart. */
export const SERIES = {
  production: '#1f6feb',
  treatment: '#2f9e44',
  total: '#7048e8',
  previous: '#adb5bd',
}
