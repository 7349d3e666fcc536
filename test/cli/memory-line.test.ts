/**
 * Memory bounded by configuration, not by the client (issue 17): one capture line at the line
 * limit (32 MB) holding ten million one-field CSV records is profiled by the bundled command
 * within a 512 MB heap. Before, every record became an array of fields and the run needed about
 * 3 GB (it died at a 1.5 GB heap).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/driftwatch.mjs');
const dir = mkdtempSync(join(tmpdir(), 'driftwatch-memory-line-'));

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a 32 MB capture line of tiny CSV records', () => {
  it('is profiled whole within a 512 MB heap', () => {
    expect(existsSync(join(ROOT, 'dist/cli.mjs')), 'npm test builds dist/ first').toBe(true);
    writeFileSync(join(dir, 'train.csv'), 'x\n1\n2\n3\n');
    const records = Math.floor((31 * 1024 * 1024) / 3);
    const line = JSON.stringify({
      captureData: {
        endpointInput: {
          observedContentType: 'text/csv',
          mode: 'INPUT',
          data: '1\n'.repeat(records),
          encoding: 'CSV',
        },
      },
      eventMetadata: { eventId: 'e', inferenceTime: '2026-11-26T05:00:00Z' },
      eventVersion: '0',
    });
    mkdirSync(join(dir, 'capture'));
    writeFileSync(join(dir, 'capture/a.jsonl'), `${line}\n`);
    const node = (args: string[]) =>
      spawnSync(process.execPath, ['--max-old-space-size=512', BIN, ...args], { encoding: 'utf8' });
    expect(node(['baseline', join(dir, 'train.csv'), '--out', join(dir, 'baseline')]).status).toBe(0);

    const r = node([
      'run',
      '--baseline',
      join(dir, 'baseline'),
      '--capture',
      join(dir, 'capture'),
      '--out',
      join(dir, 'out'),
      '--workers',
      '1',
    ]);

    expect(r.stderr).not.toContain('heap out of memory');
    expect(r.status).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'out/report.json'), 'utf8'));
    expect(report.records).toMatchObject({ total: 1, profiled: 1, rejected: 0 });
    expect(report.features.find((f: { name: string }) => f.name === 'x').count).toBe(records);
  }, 120_000);
});
