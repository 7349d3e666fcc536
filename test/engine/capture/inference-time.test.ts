/**
 * Capture times and --start/--end are ISO-8601 instants: a time without a zone is UTC (as
 * SageMaker writes them), never the machine's local time, and a day or time that does not exist
 * is no time at all (Date.parse rolls 2026-02-30 over to March 2nd).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { inferenceTimeMs } from '../../../functions/engine/capture/capture-bytes.ts';
import { parseInferenceTime, parseIsoTime } from '../../../functions/engine/capture/capture-record.ts';

const bytesMs = (s: string) => {
  const b = new TextEncoder().encode(s);
  return inferenceTimeMs(b, 0, b.length);
};

describe('parseInferenceTime', () => {
  const tz = process.env.TZ;
  afterEach(() => {
    if (tz === undefined) delete process.env.TZ;
    else process.env.TZ = tz;
  });

  it('reads a time without a zone as UTC, whatever the machine zone (TZ=America/New_York)', () => {
    process.env.TZ = 'America/New_York';
    // Node applies TZ as it is set: Date.parse now reads zoneless times as New York time.
    expect(Date.parse('2026-11-26T05:10:00')).toBe(Date.UTC(2026, 10, 26, 10, 10));
    const utc = Date.UTC(2026, 10, 26, 5, 10);
    for (const text of [
      '2026-11-26T05:10:00',
      '2026-11-26 05:10:00',
      '2026-11-26T05:10',
      '2026-11-26T05:10:00.000',
    ]) {
      expect(parseInferenceTime(text), text).toBe(utc);
      expect(bytesMs(text), text).toBe(utc);
    }
    expect(parseInferenceTime('2026-11-26T05:10:00Z')).toBe(utc);
    expect(parseInferenceTime('2026-11-26T00:10:00-05:00')).toBe(utc);
    expect(parseInferenceTime('2026-11-26')).toBe(Date.UTC(2026, 10, 26));
  });

  it('refuses days and times that do not exist, and text that is not ISO 8601', () => {
    for (const text of [
      '2026-02-30T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-11-26T25:00:00Z',
      '2026-11-26T24:00:01Z',
      '2026-11-26T05:60:00Z',
      '2026-11-26T05:10:00+24:00',
      '1',
      '2026-1-2',
      'Thu, 26 Nov 2026 05:10:00 GMT',
      '',
    ]) {
      expect(parseIsoTime(text), text).toBeNaN();
      expect(bytesMs(text), text).toBeNaN();
    }
    expect(parseIsoTime('2024-02-29T00:00:00Z')).toBe(Date.UTC(2024, 1, 29));
    expect(parseIsoTime('2026-11-26T24:00:00Z')).toBe(Date.UTC(2026, 10, 27));
  });

  it('equals Date.parse on every instant toISOString writes', () => {
    for (let t = -62_167_219_200_000; t < 253_402_300_800_000; t += 7_777_777_777_7) {
      const text = new Date(t).toISOString();
      expect(parseIsoTime(text), text).toBe(t);
    }
  });
});
