// Ground-truth labels (FORMATS.md, "Ground truth"): each line read, every bad line counted by
// reason, hour folders selected by a time range, duplicates resolved last-wins, from a folder
// and from S3.
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseGroundTruthJson,
  parseGroundTruthLine,
  readGroundTruth,
} from '../../functions/sources/ground-truth.ts';
import { LocalStore } from '../../functions/stores/local-store.ts';
import { S3Store } from '../../functions/stores/s3-store.ts';
import { type LocalS3, startLocalS3 } from '../support/s3rver.ts';

/** One ground-truth line as SageMaker's docs spell it. */
function labelLine(eventId: string, data: string, encoding = 'CSV', extra: Record<string, unknown> = {}) {
  return JSON.stringify({
    groundTruthData: { data, encoding, ...extra },
    eventMetadata: { eventId },
    eventVersion: '0',
  });
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('parseGroundTruthLine', () => {
  it('reads the label by encoding: CSV first field, JSON value, BASE64 of either', () => {
    expect(parseGroundTruthLine(labelLine('a', '1'))).toEqual({ ok: true, eventId: 'a', label: '1' });
    expect(parseGroundTruthLine(labelLine('a', ' cat ,ignored'))).toEqual({
      ok: true,
      eventId: 'a',
      label: 'cat',
    });
    expect(parseGroundTruthLine(labelLine('a', '"x,y"'))).toEqual({ ok: true, eventId: 'a', label: 'x,y' });
    expect(parseGroundTruthLine(labelLine('a', '0.25', 'JSON'))).toEqual({
      ok: true,
      eventId: 'a',
      label: 0.25,
    });
    expect(parseGroundTruthLine(labelLine('a', '"class2"', 'JSON'))).toEqual({
      ok: true,
      eventId: 'a',
      label: 'class2',
    });
    expect(parseGroundTruthLine(labelLine('a', '{"label": 1, "note": "x"}', 'JSON'))).toEqual({
      ok: true,
      eventId: 'a',
      label: 1,
    });
    expect(parseGroundTruthLine(labelLine('a', '{"churned": true}', 'JSON'))).toEqual({
      ok: true,
      eventId: 'a',
      label: 'true',
    });
    expect(parseGroundTruthLine(labelLine('a', '[3]', 'JSON'))).toEqual({ ok: true, eventId: 'a', label: 3 });
    expect(parseGroundTruthLine(labelLine('a', b64('1\n'), 'BASE64'))).toEqual({
      ok: true,
      eventId: 'a',
      label: '1',
    });
    expect(
      parseGroundTruthLine(
        labelLine('a', b64('{"label":"dog"}'), 'BASE64', { observedContentType: 'application/json' }),
      ),
    ).toEqual({ ok: true, eventId: 'a', label: 'dog' });
    expect(parseGroundTruthLine(labelLine('a', '1', 'csv'))).toMatchObject({ ok: true, label: '1' });
  });

  it('names what is wrong with a line instead of throwing', () => {
    const reason = (line: string) => {
      const r = parseGroundTruthLine(line);
      return r.ok ? 'ok' : r.reason;
    };
    expect(reason('{"groundTruthData": {"data": "1"')).toBe('invalid_json');
    expect(reason('[1, 2]')).toBe('not_an_object');
    expect(reason('{"eventMetadata": {"eventId": "a"}}')).toBe('missing_ground_truth_data');
    expect(reason('{"groundTruthData": {"encoding": "CSV"}, "eventMetadata": {"eventId": "a"}}')).toBe(
      'missing_ground_truth_data',
    );
    expect(reason('{"groundTruthData": {"data": "1", "encoding": "CSV"}}')).toBe('missing_event_id');
    expect(
      reason('{"groundTruthData": {"data": "1", "encoding": "CSV"}, "eventMetadata": {"eventId": 7}}'),
    ).toBe('missing_event_id');
    expect(reason(labelLine('a', '1', 'XML'))).toBe('unknown_encoding');
    expect(reason(labelLine('a', '%%%', 'BASE64'))).toBe('invalid_base64');
    expect(reason(labelLine('a', '{"label":', 'JSON'))).toBe('invalid_json_payload');
    expect(reason(labelLine('a', ''))).toBe('empty_label');
    expect(reason(labelLine('a', 'null', 'JSON'))).toBe('empty_label');
    expect(reason(labelLine('a', '1\n0'))).toBe('multiple_labels');
    expect(reason(labelLine('a', '{"a": 1, "b": 2}', 'JSON'))).toBe('unsupported_label_payload');
    expect(reason(labelLine('a', '{"label": {"x": 1}}', 'JSON'))).toBe('unsupported_label_payload');
  });
});

describe('readGroundTruth', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'driftwatch-gt-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function put(root: string, key: string, lines: string[]) {
    const p = join(root, key);
    await mkdir(dirname(p), { recursive: true });
    await writeFile(p, `${lines.join('\n')}\n`);
  }

  it('keeps the last label of an id (files in key order, lines in order) and counts the others', async () => {
    const root = join(dir, 'dupes');
    await put(root, 'ep/2026/11/26/04/a.jsonl', [
      labelLine('x', '0'),
      labelLine('y', '1'),
      labelLine('x', '1'),
    ]);
    await put(root, 'ep/2026/11/26/05/a.jsonl', [labelLine('y', '0'), labelLine('z', '1')]);
    const gt = await readGroundTruth(new LocalStore(root));
    expect([...gt.labels]).toEqual([
      ['x', '1'],
      ['y', '0'],
      ['z', '1'],
    ]);
    expect(gt.duplicates).toBe(2);
    expect(gt.files).toBe(2);
    expect(gt.lines).toBe(5);
    expect(gt.rejectedByReason).toEqual({});
  });

  it('counts bad lines by reason, never throws, and skips files that are not JSON Lines', async () => {
    const root = join(dir, 'bad');
    await put(root, 'ep/2026/11/26/04/a.jsonl', [
      labelLine('ok-1', '1'),
      'not json at all',
      '{"groundTruthData": {"data": "1", "encoding": "CSV"}}',
      labelLine('ok-2', '0'),
      '',
      labelLine('long', 'x'.repeat(300)),
    ]);
    await writeFile(join(root, 'ep/2026/11/26/04/_SUCCESS'), '');
    const gt = await readGroundTruth(new LocalStore(root), { maxLineBytes: 200 });
    expect([...gt.labels.keys()]).toEqual(['ok-1', 'ok-2']);
    expect(gt.rejectedByReason).toEqual({ invalid_json: 1, missing_event_id: 1, line_too_long: 1 });
    expect(gt.lines).toBe(5);
    expect(gt.skipped).toEqual(['ep/2026/11/26/04/_SUCCESS']);
  });

  it('with a time range reads only the hour folders it overlaps, and keys without hour folders', async () => {
    const root = join(dir, 'hours');
    for (const hh of ['03', '04', '05', '06', '07'])
      await put(root, `ep/2026/11/26/${hh}/labels.jsonl`, [labelLine(`h${hh}`, '1')]);
    await put(root, 'loose/labels.jsonl', [labelLine('loose', '0')]);
    const gt = await readGroundTruth(new LocalStore(root), {
      startMs: Date.parse('2026-11-26T04:30:00Z'),
      endMs: Date.parse('2026-11-26T07:00:00Z'),
    });
    expect([...gt.labels.keys()].sort()).toEqual(['h04', 'h05', 'h06', 'loose']);
    expect(gt.files).toBe(4);
  });

  it('reads the bundled SageMaker ground-truth fixture', async () => {
    const text = await readFile(
      new URL('../fixtures/sagemaker/sdk-tests_actuals_excerpt.jsonl', import.meta.url),
      'utf8',
    );
    const lines = text.split('\n').filter((l) => l.trim() !== '');
    const root = join(dir, 'sdk');
    await put(root, 'actuals.jsonl', lines);
    const gt = await readGroundTruth(new LocalStore(root));
    expect(gt.labels.size + gt.duplicates).toBe(lines.length);
    expect(gt.rejectedByReason).toEqual({});
    expect(gt.labels.get('74b0dd56-e7c8-368e-94b1-14a138a96000')).toBe('1');
  });
});

describe('readGroundTruth from S3', () => {
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3(['labels']);
  });
  afterAll(async () => {
    await s3.stop();
  });

  it('reads an s3:// prefix like a folder, hour selection and last-wins included', async () => {
    const put = (key: string, lines: string[]) =>
      s3.client.send(new PutObjectCommand({ Bucket: 'labels', Key: key, Body: `${lines.join('\n')}\n` }));
    await put('gt/ep/2026/11/26/04/a.jsonl', [labelLine('a', '0'), labelLine('b', '1')]);
    await put('gt/ep/2026/11/26/05/a.jsonl', [labelLine('a', '1'), 'garbage']);
    await put('gt/ep/2026/11/26/09/a.jsonl', [labelLine('c', '1')]);
    const gt = await readGroundTruth(new S3Store(s3.client, 's3://labels/gt'), {
      startMs: Date.parse('2026-11-26T04:00:00Z'),
      endMs: Date.parse('2026-11-26T06:00:00Z'),
    });
    expect([...gt.labels]).toEqual([
      ['a', '1'],
      ['b', '1'],
    ]);
    expect(gt.duplicates).toBe(1);
    expect(gt.rejectedByReason).toEqual({ invalid_json: 1 });
  });
});

describe('the fast path for SageMaker-shaped lines', () => {
  it('reads every line as JSON.parse would, whatever the data, id and spacing', () => {
    const text = fc.string({
      unit: fc.constantFrom('1', '0', ' ', ',', '"', '\\', '\t', 'a', 'é', '.', '-', '\u2028'),
    });
    fc.assert(
      fc.property(text, text, fc.boolean(), fc.boolean(), (data, id, spaced, version) => {
        const sep = spaced ? ' ' : '';
        const line =
          `{"groundTruthData":${sep}{"data":${sep}${JSON.stringify(data)},${sep}"encoding":${sep}"CSV"},${sep}` +
          `"eventMetadata":${sep}{"eventId":${sep}${JSON.stringify(id)}}${version ? `,${sep}"eventVersion":${sep}"0"` : ''}}`;
        expect(parseGroundTruthLine(line)).toEqual(parseGroundTruthJson(line));
        // A raw control character is invalid JSON on either path.
        const raw = line.replace(/"eventId":( ?)"/, '"eventId":$1"\t');
        expect(parseGroundTruthLine(raw)).toEqual(parseGroundTruthJson(raw));
      }),
      { numRuns: 2000 },
    );
  });
});
