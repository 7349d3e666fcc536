import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { afterAll, describe, expect, it } from 'vitest';
import { DriftwatchStack } from '../../infra/driftwatch-stack.ts';
import { CDK_CONTEXT, testConfig } from './stack-fixtures.ts';

// The one test that bundles for real (local esbuild, no Docker): slow, so one synth only.
describe('monitor function bundling', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'driftwatch-cdk-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  // Asset metadata (the CLI turns it on) tells which asset directory is the function's.
  const app = new App({ outdir, context: { ...CDK_CONTEXT, 'aws:cdk:enable-asset-metadata': true } });
  const stack = new DriftwatchStack(app, 'Driftwatch', { config: testConfig() });
  app.synth();
  // The functions are in the endpoint's nested stack.
  const template = Template.fromStack(stack.endpointStacks[0]!).toJSON() as {
    Resources: Record<string, { Type: string; Metadata?: Record<string, string> }>;
  };
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
  const assetDir = join(outdir, fn?.Metadata?.['aws:asset:path'] ?? 'missing');

  it('writes an ESM bundle that exports the handler', () => {
    const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');

    expect(bundle).toMatch(/export\s*\{[^}]*\bas handler\b[^}]*\}|export\s*\{[^}]*\bhandler\b[^}]*\}/);
  });

  it('starts with the createRequire banner and ships a source map', () => {
    const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');

    expect(bundle.startsWith("import { createRequire as __dwCreateRequire } from 'node:module';")).toBe(true);
    expect(bundle).toContain('//# sourceMappingURL=index.mjs.map');
    expect(existsSync(join(assetDir, 'index.mjs.map'))).toBe(true);
  });

  it('bundles the AWS SDK instead of importing it from the runtime', () => {
    const bundle = readFileSync(join(assetDir, 'index.mjs'), 'utf8');

    expect(bundle).not.toMatch(/from\s*["']@aws-sdk\//);
  });
});
