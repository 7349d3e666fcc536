/**
 * Memory bounded by configuration, not by the client (issue 17): `run --memory-mb 512` derives
 * the limits for a 512 MB function (engine/profile/memory-limits.ts), and the worst cases a client
 * can send at those limits are profiled by the bundled command within a heap that fits 512 MB:
 * one line just under the line limit of tiny CSV records, and records with more client-chosen
 * JSON keys than the column limit, each key a long distinct text or a number. Where
 * `/usr/bin/time` exists, the peak resident memory is measured too.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitsForMemory } from '../../functions/engine/profile/memory-limits.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const BIN = join(ROOT, 'bin/driftwatch.mjs');
const TIME = '/usr/bin/time';
const MEMORY_MB = 512;
/** A heap that leaves the runtime room within 512 MB. */
const HEAP_MB = 400;
/** What `--memory-mb 512` derives for a baseline of one numeric feature. */
const LIMITS = limitsForMemory(MEMORY_MB, { numeric: 1, categorical: 0 });
const dir = mkdtempSync(join(tmpdir(), 'driftwatch-memory-worst-'));

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist/cli.mjs')), 'npm test builds dist/ first').toBe(true);
  writeFileSync(join(dir, 'train.csv'), 'x\n1\n2\n3\n');
  expect(node(['baseline', join(dir, 'train.csv'), '--out', join(dir, 'baseline')]).status).toBe(0);
}, 30_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The bundled command under a 400 MB heap; with `/usr/bin/time`, its peak RSS in MB too. */
function node(args: string[]): {
  status: number | null;
  stdout: string;
  stderr: string;
  peakMb: number | null;
} {
  const command = [`--max-old-space-size=${HEAP_MB}`, BIN, ...args];
  const timed = existsSync(TIME);
  const r = timed
    ? spawnSync(TIME, ['-f', 'peak-rss-kb %M', process.execPath, ...command], { encoding: 'utf8' })
    : spawnSync(process.execPath, command, { encoding: 'utf8' });
  const peak = /peak-rss-kb (\d+)\s*$/.exec(r.stderr);
  return {
    status: r.status,
    stdout: r.stdout,
    stderr: r.stderr,
    peakMb: peak ? Number(peak[1]) / 1024 : null,
  };
}

/** One capture line of `data` as SageMaker writes it. */
function captureLine(data: string, encoding: 'CSV' | 'JSON', i = 0): string {
  return JSON.stringify({
    captureData: {
      endpointInput: {
        observedContentType: encoding === 'CSV' ? 'text/csv' : 'application/json',
        mode: 'INPUT',
        data,
        encoding,
      },
    },
    eventMetadata: { eventId: `e${i}`, inferenceTime: '2026-11-26T05:00:00Z' },
    eventVersion: '0',
  });
}

/** A line of `records` one-field CSV records: 3 bytes each in the line (`1` and an escaped newline). */
function csvLine(records: number): string {
  return captureLine('1\n'.repeat(records), 'CSV');
}

/** How many records bring a CSV line to `bytes`. */
function recordsFor(bytes: number): number {
  return Math.floor((bytes - csvLine(0).length) / 3);
}

function run(capture: string, out: string) {
  return node([
    'run',
    '--baseline',
    join(dir, 'baseline'),
    '--capture',
    join(dir, capture),
    '--out',
    join(dir, out),
    '--memory-mb',
    String(MEMORY_MB),
  ]);
}

function reportOf(out: string) {
  return JSON.parse(readFileSync(join(dir, out, 'report.json'), 'utf8'));
}

describe(`run --memory-mb ${MEMORY_MB}`, () => {
  it('derives 5.2 MiB lines and 664 columns for a one-feature baseline', () => {
    expect(LIMITS).toMatchObject({
      maxLineBytes: 5_444_206,
      maxColumns: 664,
      limits: { exactCap: 100_000, maxCategories: 10_000 },
      worstCaseMb: 360,
    });
  });

  it('profiles a line just under the line limit of tiny CSV records within 512 MB', () => {
    // Prepare: 1.8 million one-field records in one line 3 bytes under the limit.
    const records = recordsFor(LIMITS.maxLineBytes - 3);
    const line = csvLine(records);
    expect(line.length).toBeLessThanOrEqual(LIMITS.maxLineBytes);
    expect(line.length).toBeGreaterThan(LIMITS.maxLineBytes - 6);
    mkdirSync(join(dir, 'csv'));
    writeFileSync(join(dir, 'csv/a.jsonl'), `${line}\n`);

    // Act
    const r = run('csv', 'csv-out');

    // Assert: the record, and every one of its rows, profiled.
    expect(r.stderr).not.toContain('heap out of memory');
    expect(r.status).toBe(0);
    const report = reportOf('csv-out');
    expect(report.records).toMatchObject({ total: 1, profiled: 1, rejected: 0 });
    expect(report.features.find((f: { name: string }) => f.name === 'x').count).toBe(records);
    // No limit was reached.
    expect(report.warnings.filter((w: string) => w.startsWith('limit '))).toEqual([]);
    if (r.peakMb !== null) expect(r.peakMb).toBeLessThan(MEMORY_MB);
    console.log(`peak RSS, a ${line.length}-byte CSV line: ${r.peakMb?.toFixed(0)} MB`);
  }, 30_000);

  it('rejects a line just over the line limit as line_too_long, without reading it', () => {
    const records = recordsFor(LIMITS.maxLineBytes + 3);
    const line = csvLine(records);
    expect(line.length).toBeGreaterThan(LIMITS.maxLineBytes);
    mkdirSync(join(dir, 'over'));
    writeFileSync(join(dir, 'over/a.jsonl'), `${csvLine(2)}\n${line}\n`);

    const r = run('over', 'over-out');

    expect(r.status).toBe(0);
    const report = reportOf('over-out');
    expect(report.records).toMatchObject({
      total: 2,
      profiled: 1,
      rejected: 1,
      rejectedByReason: { line_too_long: 1 },
    });
    // Only the short line's two rows: the long one's were never parsed.
    expect(report.features.find((f: { name: string }) => f.name === 'x').count).toBe(2);
    if (r.peakMb !== null) expect(r.peakMb).toBeLessThan(MEMORY_MB);
    console.log(`peak RSS, a ${line.length}-byte line rejected: ${r.peakMb?.toFixed(0)} MB`);
  }, 30_000);

  it('profiles records of more client-chosen JSON keys than the column limit, long texts and numbers, within 512 MB', () => {
    // Prepare: 1,100 records (past the 1,000 exact values an unknown column keeps) of 1,000 keys
    // each, alternating a distinct 200-character text and a distinct number, after `x`.
    const recordCount = 1_100;
    const keys = 1_000;
    const lines: string[] = [];
    for (let i = 0; i < recordCount; i++) {
      const row: Record<string, unknown> = { x: i };
      for (let k = 0; k < keys; k += 2) {
        row[`t${k}`] = `${i}:${k}:`.padEnd(200, String.fromCharCode(97 + ((i + k) % 26)));
        row[`n${k + 1}`] = i * keys + k + 0.5;
      }
      lines.push(captureLine(JSON.stringify(row), 'JSON', i));
    }
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys/a.jsonl'), `${lines.join('\n')}\n`);

    const r = run('keys', 'keys-out');

    expect(r.stderr).not.toContain('heap out of memory');
    expect(r.status).toBe(0);
    const report = reportOf('keys-out');
    expect(report.records).toMatchObject({ total: recordCount, profiled: recordCount, rejected: 0 });
    // `x` and the first 663 client keys make the 664 columns; the other 337 keys of every
    // record are counted, not profiled, and the report says so.
    const dropped = (keys + 1 - LIMITS.maxColumns) * recordCount;
    expect(report.warnings).toContain(`limit max_columns reached: ${dropped} values not profiled`);
    expect(report.features.find((f: { name: string }) => f.name === 'x').count).toBe(recordCount);
    if (r.peakMb !== null) expect(r.peakMb).toBeLessThan(MEMORY_MB);
    console.log(`peak RSS, ${recordCount} records of ${keys} JSON keys: ${r.peakMb?.toFixed(0)} MB`);
  }, 60_000);
});
