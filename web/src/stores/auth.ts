// The signed-in user. The token lives in sessionStorage so a reload keeps the session while closing the
// browser ends it; the API's scoping is the only guard, this store only decides what the menu shows.
import { defineStore } from 'pinia'
import { http } from '@/api/http'
import router from '@/router'

export type Role = 'CITY_ADMIN' | 'OPERATOR' | 'DISTRICT_OFFICER' | 'ENTERPRISE_USER' | 'API_CLIENT'

export interface User {
  id: number
  username: string
  displayName: string
  role: Role
  regions: string[]
  enterpriseId: number | null
  mustChangePassword: boolean
  phone?: string
  email?: string
  lastLoginAt?: string
}

const KEY = 'powerwatch.session'

export const ROLE_NAMES: Record<Role, string> = {
  CITY_ADMIN: '市局管理员',
  OPERATOR: '运维人员',
  DISTRICT_OFFICER: '区县监管人员',
  ENTERPRISE_USER: '企业用户',
  API_CLIENT: '接口账号',
}

export const useAuth = defineStore('auth', {
  state: () => {
    const saved = sessionStorage.getItem(KEY)
    const s = saved ? JSON.parse(saved) : null
    return {
      token: (s?.token ?? '') as string,
      expiresAt: (s?.expiresAt ?? '') as string,
      user: (s?.user ?? null) as User | null,
    }
  },
  getters: {
    loggedIn: (s) => !!s.token && !!s.user,
    role: (s) => s.user?.role,
    isEnterprise: (s) => s.user?.role === 'ENTERPRISE_USER',
    isAdmin: (s) => s.user?.role === 'CITY_ADMIN',
    isOps: (s) => s.user?.role === 'CITY_ADMIN' || s.user?.role === 'OPERATOR',
    /** 市局/区县 officers and administrators: those who confirm, handle and dispatch alarms. */
    isOfficer: (s) => s.user?.role === 'CITY_ADMIN' || s.user?.role === 'DISTRICT_OFFICER',
  },
  actions: {
    save() {
      sessionStorage.setItem(KEY, JSON.stringify({ token: this.token, expiresAt: this.expiresAt, user: this.user }))
    },
    async login(username: string, password: string) {
      const r = await http.post<{ token: string; expiresAt: string; mustChangePassword: boolean; user: User }>(
        '/api/auth/login', { username, password })
      this.token = r.token
      this.expiresAt = r.expiresAt
      this.user = { ...r.user, mustChangePassword: r.mustChangePassword }
      this.save()
      return r
    },
    async refreshMe() {
      const u = await http.get<User>('/api/auth/me')
      this.user = u
      this.save()
    },
    async changePassword(oldPassword: string, newPassword: string) {
      await http.post('/api/auth/password', { oldPassword, newPassword })
      if (this.user) this.user.mustChangePassword = false
      this.save()
    },
    async logout() {
      try {
        if (this.token) await http.post('/api/auth/logout')
      } catch { /* the session may be gone already */ }
      this.clear()
      // the phone pages' cached lists (mobile/cache.ts): a phone handed to someone else shows nothing of this user
      for (const k of Object.keys(localStorage)) if (k.startsWith('pw.m.')) localStorage.removeItem(k)
      router.push('/login')
    },
    clear() {
      this.token = ''
      this.user = null
      sessionStorage.removeItem(KEY)
    },
    /** Called on a 401: the token expired or was revoked (password changed elsewhere). */
    expired() {
      if (!this.token) return
      this.clear()
      const here = router.currentRoute.value
      if (here.path !== '/login') router.push({ path: '/login', query: { redirect: here.fullPath, expired: '1' } })
    },
  },
})
