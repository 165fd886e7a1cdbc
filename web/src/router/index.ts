import { createRouter, createWebHistory, type RouteRecordRaw } from 'vue-router'
import { useAuth } from '@/stores/auth'
import { homeFor, MENU, allowed, type MenuItem } from './menu'
import { prefetch } from '@/api/prefetch'
import { dashboardApi, FIRST_OVERVIEW_PAGE } from '@/api/dashboard'
import { enterpriseApi, todayWindow } from '@/api/enterprise'
import { mobileRoutes, prefersMobile } from '@/mobile/routes'

// Every page is its own chunk: the first load carries only the login page and the layout.
const pages: Record<string, () => Promise<unknown>> = {
  '/home': () => import('@/views/home/HomeMap.vue'),
  '/overview': () => import('@/views/overview/OverviewList.vue'),
  '/my': () => import('@/views/enterprise/MyEnterprise.vue'),
  '/alarms/realtime': () => import('@/views/alarms/RealtimeAlarms.vue'),
  '/alarms/history': () => import('@/views/alarms/HistoryAlarms.vue'),
  '/analysis': () => import('@/views/analysis/AnalysisPage.vue'),
  '/data-checks': () => import('@/views/datacheck/DataChecks.vue'),
  '/emergency/plans': () => import('@/views/emergency/PlansPage.vue'),
  '/emergency/rotation': () => import('@/views/emergency/RotationPage.vue'),
  '/emergency/warnings': () => import('@/views/emergency/WarningsPage.vue'),
  '/emergency/board': () => import('@/views/emergency/BoardPage.vue'),
  '/system/profile': () => import('@/views/system/ProfilePage.vue'),
  '/system/messages': () => import('@/views/system/MessagesPage.vue'),
  '/system/users': () => import('@/views/system/UsersPage.vue'),
  '/system/audit': () => import('@/views/system/AuditPage.vue'),
  '/system/api-clients': () => import('@/views/system/ApiClientsPage.vue'),
  '/system/rules': () => import('@/views/system/RulesPage.vue'),
  '/system/notifications': () => import('@/views/system/NotificationsPage.vue'),
  '/ops/enterprises': () => import('@/views/ops/EnterprisesPage.vue'),
  '/ops/loggers': () => import('@/views/ops/LoggersPage.vue'),
  '/ops/factor-profiles': () => import('@/views/ops/FactorProfilesPage.vue'),
  '/ops/thresholds': () => import('@/views/ops/ThresholdsPage.vue'),
  '/ops/excel': () => import('@/views/ops/ExcelPage.vue'),
  '/ops/ingest': () => import('@/views/ops/IngestPage.vue'),
  '/ops/devices': () => import('@/views/ops/DevicesPage.vue'),
  '/ops/raw-frames': () => import('@/views/ops/RawFramesPage.vue'),
  '/reports/center': () => import('@/views/reports/ReportCenter.vue'),
  '/reports/archive': () => import('@/views/reports/ReportArchive.vue'),
  '/reports/custom': () => import('@/views/reports/CustomReports.vue'),
}

function flatten(items: MenuItem[]): MenuItem[] {
  return items.flatMap((m) => (m.children ? m.children.map((c) => ({ ...c, roles: c.roles ?? m.roles })) : [m]))
}

const children: RouteRecordRaw[] = flatten(MENU).map((m) => ({
  path: m.path.slice(1),
  component: pages[m.path],
  meta: { title: m.title, item: m },
}))
children.push(
  { path: 'enterprises/:id', component: () => import('@/views/enterprise/EnterpriseDetail.vue'), meta: { title: '企业详情' } },
  { path: 'alarms/:id(\\d+)', component: () => import('@/views/alarms/AlarmDetail.vue'), meta: { title: '报警详情' } },
)

const routes: RouteRecordRaw[] = [
  { path: '/login', component: () => import('@/views/auth/LoginPage.vue'), meta: { public: true, title: '登录' } },
  { path: '/change-password', component: () => import('@/views/auth/ChangePassword.vue'), meta: { title: '修改密码' } },
  mobileRoutes,
  { path: '/', component: () => import('@/layouts/MainLayout.vue'), children },
  { path: '/:pathMatch(.*)*', redirect: '/' },
]

const router = createRouter({ history: createWebHistory(), routes })

router.beforeEach((to, from) => {
  const auth = useAuth()
  if (to.meta.public) return true
  if (!auth.loggedIn) return { path: '/login', query: to.fullPath !== '/' ? { redirect: to.fullPath } : {} }
  if (auth.user?.mustChangePassword && to.path !== '/change-password') return '/change-password'
  if (to.meta.mobile) return true
  // a phone opening the platform (or signing in without a target) lands on the phone pages; 电脑版 in their menu opts out
  if ((to.path === '/' || (from.path === '/login' && to.path === homeFor(auth.role))) && prefersMobile()) return '/m/'
  if (to.path === '/') return homeFor(auth.role)
  const item = to.meta.item as MenuItem | undefined
  if (item && !allowed(item, auth.role)) return homeFor(auth.role)
  prefetchData(to.path)
  return true
})

/**
 * The data of the heavy pages is asked for now, in parallel with loading their code (api/prefetch.ts). Also called
 * by main.ts before the app is created, for the page being opened; the guard's call then finds it asked.
 */
export function prefetchData(path: string) {
  if (path === '/home') {
    prefetch('home.map', dashboardApi.map)
    prefetch('home.summary', () => dashboardApi.summary())
    prefetch('home.config', dashboardApi.mapConfig)
  } else if (path === '/overview') {
    prefetch('overview.first', () => dashboardApi.overview(FIRST_OVERVIEW_PAGE))
  } else {
    const m = /^\/enterprises\/(\d+)$/.exec(path)
    if (!m) return
    const id = Number(m[1])
    const w = todayWindow()
    prefetch(`enterprise.profile.${id}`, () => enterpriseApi.profile(id))
    prefetch(`enterprise.load.${id}`, () => enterpriseApi.load(id, w.from, w.to))
  }
}

router.afterEach((to) => {
  document.title = (to.meta.title ? to.meta.title + ' - ' : '') + '固定污染源用电监控平台'
})

export default router
