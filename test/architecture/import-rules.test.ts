/**
 * The source tree keeps its layers (ARCHITECTURE.md): the engine is pure, lower engine folders
 * never import higher ones, sources and sinks meet only at stores, infra sees only contracts.
 */
import { describe, expect, it } from 'vitest';
import { checkImports, ENGINE_LAYERS, importSpecifiers, sourceFiles } from './import-rules.ts';

const ROOT = new URL('../../', import.meta.url).pathname;

describe('import rules', () => {
  it('hold for every file of functions/ and infra/', () => {
    const files = sourceFiles(ROOT, ['functions', 'infra']);
    expect(files.length).toBeGreaterThan(100);

    const breaches = checkImports(files);

    expect(breaches).toEqual([]);
  });

  it('know every engine folder', () => {
    const folders = new Set(sourceFiles(ROOT, ['functions/engine']).map((f) => f.path.split('/')[2]!));

    expect([...folders].sort()).toEqual(Object.keys(ENGINE_LAYERS).sort());
  });

  it('catch each kind of breach', () => {
    const file = (p: string, text: string) => ({ path: p, text });
    const files = [
      file('functions/engine/stats/ks.ts', "import { x } from '../drift/compare.ts';"),
      file('functions/engine/drift/compare.ts', "import { readFileSync } from 'node:fs';"),
      file('functions/engine/report/a.ts', "import type { S3Client } from '@aws-sdk/client-s3';"),
      file('functions/engine/report/b.ts', "import { store } from '../../stores/s3-store.ts';"),
      file('functions/sources/topic-message.ts', "import { reportFolder } from '../sinks/report-writer.ts';"),
      file('functions/sinks/slack-message.ts', "export { parse } from '../sources/topic-message.ts';"),
      file('functions/pipeline/run.ts', "const m = await import('../handlers/monitor.ts');"),
      file('functions/handlers/reduce.ts', "import { parse } from './monitor.ts';"),
      file('functions/cli/main.ts', "import { handler } from '../handlers/monitor.ts';"),
      file('functions/contracts/a.ts', "import { z } from 'zod';"),
      file('functions/contracts/b.ts', "import { Report } from '../engine/report/report-model.ts';"),
      file('infra/stack.ts', "import { run } from '../functions/pipeline/monitor-run.ts';"),
    ];

    const breaches = checkImports(files);

    expect(breaches.map((b) => b.file)).toEqual(files.map((f) => f.path));
  });

  it('allow what the layers allow', () => {
    const file = (p: string, text: string) => ({ path: p, text });
    const files = [
      file('functions/engine/render/a.ts', "import type { Report } from '../report/report-model.ts';"),
      file(
        'functions/engine/drift/a.ts',
        "import { ks } from '../stats/ks.ts';\nimport { gammainc } from '@stdlib/x';",
      ),
      file('functions/engine/quality/a.ts', "import { HOUR_MS } from '../../contracts/time.ts';"),
      file(
        'functions/sinks/a.ts',
        "import { S3Client } from '@aws-sdk/client-s3';\nimport { x } from '../stores/s3-store.ts';",
      ),
      file('functions/handlers/monitor.ts', "import { run } from '../pipeline/monitor-run.ts';"),
      file('infra/a.ts', "import { METRIC_NAMES } from '../functions/contracts/metric-names.ts';"),
      // A path in a comment is prose, not an import.
      file(
        'functions/engine/stats/b.ts',
        "/** See '../drift/compare.ts' from '../drift/x.ts' */\nexport const a = 1;",
      ),
    ];

    expect(checkImports(files)).toEqual([]);
  });

  it('read static, re-exported, side-effect and dynamic imports', () => {
    const text = [
      "import a from './a.ts';",
      "import type { B } from './b.ts';",
      "import {\n  c,\n  d,\n} from './c.ts';",
      "export { e } from './e.ts';",
      "export * from './f.ts';",
      "import './g.ts';",
      "const h = await import('./h.ts');",
    ].join('\n');

    expect(importSpecifiers(text)).toEqual([
      './a.ts',
      './b.ts',
      './c.ts',
      './e.ts',
      './f.ts',
      './g.ts',
      './h.ts',
    ]);
  });
});
