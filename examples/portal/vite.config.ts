import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The page alone; the portal's server (`server/`) serves what this builds.
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  logLevel: 'warn',
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022' },
});
