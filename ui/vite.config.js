/// <reference types="vitest/config" />
import { defineConfig } from 'vite';
// The Go server to proxy to in `npm run dev` (PISHKHAN_URL, default :8080).
const api = process.env.PISHKHAN_URL ?? 'http://127.0.0.1:8080';
export default defineConfig({
    // Vite's esbuild compiles TSX itself; no React plugin is needed.
    esbuild: { jsx: 'automatic' },
    server: {
        proxy: {
            '/api': { target: api, changeOrigin: false },
            '/readyz': api,
            '/healthz': api,
        },
    },
    build: {
        outDir: 'dist',
        emptyOutDir: true,
        // Reproducible output: no source maps with absolute paths, no build
        // time anywhere; file names are content hashes.
        sourcemap: false,
        target: 'es2022',
        chunkSizeWarningLimit: 1500,
        rollupOptions: {
            onwarn(warning, warn) {
                // React Server Components' "use client" markers mean nothing in a browser bundle.
                if (warning.code === 'MODULE_LEVEL_DIRECTIVE')
                    return;
                warn(warning);
            },
        },
    },
    test: {
        environment: 'jsdom',
        include: ['src/**/*.test.{ts,tsx}'],
    },
});
