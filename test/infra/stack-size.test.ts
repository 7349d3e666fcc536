// CloudFormation refuses a template of more than 500 resources. Each endpoint's resources sit in
// a nested stack of their own (infra/constructs/endpoint-stack.ts), so the limit bounds one
// endpoint, not the deployment: thirty endpoints synthesize, and every template stays under it.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildStack, TEST_CONFIG_JSON, testConfig } from './stack-fixtures.ts';

/** CloudFormation's resources-per-template quota. */
const RESOURCE_LIMIT = 500;

/** Every template of the synthesized app (the top-level stack and each nested one), with its resource count. */
function resourceCounts(config: unknown): Record<string, number> {
  const { app } = buildStack(testConfig(config));
  const dir = app.synth().directory;
  const counts: Record<string, number> = {};
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.template.json'))) {
    const template = JSON.parse(readFileSync(join(dir, file), 'utf8')) as { Resources?: object };
    counts[file] = Object.keys(template.Resources ?? {}).length;
  }
  return counts;
}

/** `n` endpoints like the test config's one (two variants, two features, quality alarms), each with fan-out. */
function endpoints(n: number): unknown {
  const [template] = TEST_CONFIG_JSON.endpoints;
  return {
    ...TEST_CONFIG_JSON,
    endpoints: Array.from({ length: n }, (_, i) => ({ ...template, name: `endpoint-${i}`, fanOut: true })),
  };
}

describe('stack size', () => {
  // One synth of thirty endpoints (about half a minute) for both tests.
  const counts = resourceCounts(endpoints(30));

  it('synthesizes thirty endpoints with every template under 500 resources', () => {
    const templates = Object.keys(counts);

    expect(templates.filter((f) => f.endsWith('.nested.template.json'))).toHaveLength(30);
    for (const [file, count] of Object.entries(counts))
      expect(count, `${file} has ${count} resources`).toBeLessThan(RESOURCE_LIMIT);
  });

  it('keeps the parent stack small: the shared bucket and key, and one nested stack per endpoint', () => {
    // AccessLogsBucket, ReportsBucket, their two policies, the topic key; the history's Glue
    // database, two tables, Athena workgroup and reader policy; and 30 nested stacks.
    expect(counts['Driftwatch.template.json']).toBe(5 + 5 + 30);
  });
});
