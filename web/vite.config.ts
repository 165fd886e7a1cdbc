import { defineConfig, type Plugin } from 'vite'
import { gzipSync } from 'node:zlib'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import vue from '@vitejs/plugin-vue'
import AutoImport from 'unplugin-auto-import/vite'
import Components from 'unplugin-vue-components/vite'
import { ElementPlusResolver } from 'unplugin-vue-components/resolvers'

/**
 * Every bundle file and map boundary above 1 KB also as .gz (level 9), so the platform sends the file as it is
 * instead of compressing it again for each browser (WebAppConfig's EncodedResourceResolver picks it).
 */
function precompress(): Plugin {
  let outDir = ''
  return {
    name: 'powerwatch-precompress',
    apply: 'build',
    configResolved(c) {
      outDir = c.build.outDir
    },
    closeBundle() {
      for (const dir of ['assets', 'map']) {
        const base = join(outDir, dir)
        let names: string[] = []
        try {
          names = readdirSync(base)
        } catch {
          continue
        }
        for (const name of names) {
          const file = join(base, name)
          if (!/\.(js|css|json|svg)$/.test(name) || statSync(file).size < 1024) continue
          writeFileSync(file + '.gz', gzipSync(readFileSync(file), { level: 9 }))
        }
      }
    },
  }
}

// The bundle goes into the platform jar's static resources (see platform/pom.xml); `npm run dev` proxies the API
// to a platform on :8080.
export default defineConfig({
  plugins: [
    vue(),
    // Element Plus on demand: only the components a page uses end up in its chunk
    AutoImport({ resolvers: [ElementPlusResolver()], dts: 'src/auto-imports.d.ts' }),
    Components({ resolvers: [ElementPlusResolver()], dts: 'src/components.d.ts' }),
    precompress(),
  ],
  resolve: { alias: { '@': new URL('./src', import.meta.url).pathname } },
  build: {
    outDir: '../platform/target/classes/static',
    emptyOutDir: true,
    chunkSizeWarningLimit: 900,
  },
  server: {
    proxy: { '/api': 'http://localhost:8080', '/app': 'http://localhost:8080' },
  },
})
