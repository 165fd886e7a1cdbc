// The phone pages under /m/ (docs/mobile.md "phone pages"). Each page is its own lazy chunk and the PC pages import
// none of them, so the PC bundle does not grow; the API scopes everything as for the PC pages.
import type { RouteRecordRaw } from 'vue-router'

export const mobileRoutes: RouteRecordRaw = {
  path: '/m',
  component: () => import('./MobileLayout.vue'),
  meta: { mobile: true },
  children: [
    { path: '', redirect: '/m/alarms' },
    { path: 'messages', component: () => import('./views/MInbox.vue'), meta: { title: '消息', mobile: true } },
    { path: 'alarms', component: () => import('./views/MAlarms.vue'), meta: { title: '报警', mobile: true } },
    { path: 'alarms/:id(\\d+)', component: () => import('./views/MAlarmDetail.vue'),
      meta: { title: '报警详情', back: '/m/alarms', mobile: true } },
    { path: 'enterprises', component: () => import('./views/MEnterprises.vue'), meta: { title: '企业', mobile: true } },
    { path: 'enterprises/:id(\\d+)', component: () => import('./views/MEnterprise.vue'),
      meta: { title: '企业档案', back: '/m/enterprises', mobile: true } },
    { path: 'nearby', component: () => import('./views/MNearby.vue'), meta: { title: '附近企业', mobile: true } },
    { path: 'emergency', component: () => import('./views/MEmergency.vue'), meta: { title: '应急预警', mobile: true } },
    { path: ':rest(.*)*', redirect: '/m/alarms' },
  ],
}

/** A phone-sized screen (the PC pages need ≥ 1280 px; below 768 px the phone pages fit better). */
export function phoneSized(): boolean {
  return window.matchMedia('(max-width: 767px)').matches
}

/** Whether someone on a phone-sized screen should land on /m/ (unless they chose the PC pages from the phone menu). */
export function prefersMobile(): boolean {
  return phoneSized() && localStorage.getItem('pw.preferPc') !== '1'
}
