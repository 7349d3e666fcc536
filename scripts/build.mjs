// Bundles the CLI and the profile worker into dist/ with esbuild, so `driftwatch` and the
// worker threads start without a TypeScript loader.
import { build } from 'esbuild';

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
  sourcemap: true,
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __dwCreateRequire } from 'node:module'; const require = __dwCreateRequire(import.meta.url);",
  },
});
