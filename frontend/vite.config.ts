/// <reference types="vitest/config" />
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const API_ORIGIN = 'http://127.0.0.1:8000';

export default defineConfig({
  base: '/',
  plugins: [react()],
  server: {
    proxy: {
      // HTTP (POST /graphql) and WebSocket (graphql-transport-ws) go to the Python API.
      '/graphql': { target: API_ORIGIN, ws: true },
      // Attachments and the development outbox are served by the API too.
      '/files': API_ORIGIN,
      '/dev/outbox': API_ORIGIN,
    },
  },
  preview: {
    proxy: {
      '/graphql': { target: API_ORIGIN, ws: true },
    },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    cssCodeSplit: true,
    sourcemap: false,
    // Never inline assets as data: URLs, so a strict CSP (default-src 'self') holds.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
    rolldownOptions: {
      output: {
        // Stable vendor chunks cache well across app releases; routes and
        // rarely used code (e.g. graphql-ws) stay in their own lazy chunks.
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler)[\\/]/, priority: 20 },
            { name: 'urql', test: /node_modules[\\/](urql|@urql|wonka|@0no-co)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  test: {
    environment: 'happy-dom',
    include: ['src/**/*.test.{ts,tsx}'],
    restoreMocks: true,
  },
});
