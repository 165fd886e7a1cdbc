import { createApp } from 'vue'
import { createPinia, setActivePinia } from 'pinia'
import 'element-plus/theme-chalk/base.css'
// Components' styles come on demand with the components; these services are called from code, not templates
import 'element-plus/theme-chalk/el-message.css'
import 'element-plus/theme-chalk/el-message-box.css'
import 'element-plus/theme-chalk/el-notification.css'
import 'element-plus/theme-chalk/el-loading.css'
import './styles.css'
import App from './App.vue'
import router, { prefetchData } from './router'
import { useAuth } from './stores/auth'

const pinia = createPinia()
setActivePinia(pinia)
// the opened page's data is asked for first, while the app and the page's code are still to come (a third of a
// second on a busy machine); the router's guard still decides what is shown
const auth = useAuth()
if (auth.loggedIn && !auth.user?.mustChangePassword) prefetchData(location.pathname)

const app = createApp(App)
app.use(pinia)
app.use(router)
app.mount('#app')
