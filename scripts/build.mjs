// Bundles the CLI and the profile worker into dist/ with esbuild, so `driftwatch` and the
// worker threads start without a TypeScript loader.
import { rmSync } from 'node:fs';
import { build } from 'esbuild';

// Chunk names carry content hashes: start clean so old chunks do not pile up.
rmSync('dist', { recursive: true, force: true });

await build({
  entryPoints: {
    cli: 'functions/cli/main.ts',
    'profile-worker': 'functions/sources/profile-worker.ts',
  },
  outdir: 'dist',
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  // The AWS SDK and the SageMaker client go in chunks loaded on first use (see cli/stores.ts).
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  sourcemap: true,
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __dwCreateRequire } from 'node:module'; const require = __dwCreateRequire(import.meta.url);",
  },
});
