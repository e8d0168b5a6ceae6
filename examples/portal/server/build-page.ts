import { fileURLToPath } from 'node:url';
import { build } from 'vite';

/** Builds the page with the portal's Vite config into `outDir` (the portal's `dist/` unless named). */

export const portalDir = fileURLToPath(new URL('..', import.meta.url));

export async function buildPage(outDir = `${portalDir}dist`): Promise<string> {
  await build({ configFile: `${portalDir}vite.config.ts`, build: { outDir, emptyOutDir: true } });
  return outDir;
}
