#!/usr/bin/env node
// The driftwatch command. The TypeScript sources are bundled into dist/ by `npm run build`
// (run automatically by `npm ci` through the prepare script).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.mjs', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write(
    'driftwatch: dist/cli.mjs is missing; run `npm run build` in the driftwatch checkout.\n',
  );
  process.exit(2);
}
const { main } = await import(cli);
process.exitCode = await main(process.argv.slice(2));
