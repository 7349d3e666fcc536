/**
 * Builds SageMaker data-capture lines (FORMATS.md, "Data capture") and feeds them to the
 * engine, so tests say what a record holds, not how its JSON is spelled.
 */
import { CaptureSchema } from '../../functions/engine/profile/capture-schema.ts';
import type { ProfileKind } from '../../functions/engine/profile/feature-profile.ts';
import type { WindowProfile } from '../../functions/engine/profile/window-profile.ts';
import type { WindowProfiler } from '../../functions/engine/profile/window-profiler.ts';

/** A baseline's columns in driftwatch's layout (inputs and outputs named apart), by name and kind. */
export function separateSchema(
  inputs: Readonly<Record<string, ProfileKind>>,
  outputs: Readonly<Record<string, ProfileKind>>,
): CaptureSchema {
  const specs = (columns: Readonly<Record<string, ProfileKind>>, role: 'input' | 'output') =>
    Object.entries(columns).map(([name, kind]) => ({ name, role, kind }));
  return new CaptureSchema([...specs(inputs, 'input'), ...specs(outputs, 'output')], {
    kind: 'separate',
    inputs: Object.keys(inputs),
    outputs: Object.keys(outputs),
  });
}

/** The baseline hostileCorpus() is written for: inputs age, city, income; output score. */
export function churnSchema(): CaptureSchema {
  return separateSchema({ age: 'numeric', city: 'categorical', income: 'numeric' }, { score: 'numeric' });
}

/** One side of a capture record as SageMaker writes it (fields may be anything in hostile tests). */
export interface CaptureSide {
  data?: unknown;
  encoding?: unknown;
  observedContentType?: unknown;
  mode?: unknown;
}

/** A CSV payload. */
export function csvSide(data: string, contentType = 'text/csv'): CaptureSide {
  return { observedContentType: contentType, data, encoding: 'CSV' };
}

/** A JSON payload: `body` is serialised unless it is already a string. */
export function jsonSide(body: unknown, contentType = 'application/json'): CaptureSide {
  return {
    observedContentType: contentType,
    data: typeof body === 'string' ? body : JSON.stringify(body),
    encoding: 'JSON',
  };
}

/** A BASE64 payload of `text` (UTF-8), with the content type the endpoint observed. */
export function base64Side(text: string, contentType: string): CaptureSide {
  return {
    observedContentType: contentType,
    data: Buffer.from(text, 'utf8').toString('base64'),
    encoding: 'BASE64',
  };
}

export interface CaptureLineOptions {
  input?: CaptureSide;
  output?: CaptureSide;
  /** eventMetadata.inferenceTime; left out when undefined. */
  time?: string;
  eventId?: string;
  inferenceId?: string;
  /** Writes every object's keys in reverse order (SageMaker does not fix the key order). */
  reverseKeys?: boolean;
}

let nextEventId = 0;

/** One capture line (no line terminator). */
export function captureLine(o: CaptureLineOptions): string {
  const captureData: Record<string, unknown> = {};
  if (o.input !== undefined) captureData.endpointInput = { mode: 'INPUT', ...o.input };
  if (o.output !== undefined) captureData.endpointOutput = { mode: 'OUTPUT', ...o.output };
  const eventMetadata: Record<string, unknown> = { eventId: o.eventId ?? `event-${nextEventId++}` };
  if (o.inferenceId !== undefined) eventMetadata.inferenceId = o.inferenceId;
  if (o.time !== undefined) eventMetadata.inferenceTime = o.time;
  const record = { captureData, eventMetadata, eventVersion: '0' };
  return JSON.stringify(o.reverseKeys ? reverseKeys(record) : record);
}

function reverseKeys(v: unknown): unknown {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
  const entries = Object.entries(v as Record<string, unknown>).reverse();
  return Object.fromEntries(entries.map(([k, x]) => [k, reverseKeys(x)]));
}

/** The bytes of a capture file holding `lines`, each ended by `eol` (the last one too unless `finalEol` is false). */
export function captureFile(lines: readonly string[], eol = '\n', finalEol = true): Uint8Array {
  const text = lines.join(eol) + (finalEol && lines.length > 0 ? eol : '');
  return new TextEncoder().encode(text);
}

/** Cuts `bytes` at the given offsets (any order, out-of-range and repeated offsets ignored). */
export function chunksAt(bytes: Uint8Array, cuts: readonly number[]): Uint8Array[] {
  const points = [...new Set(cuts.filter((c) => c > 0 && c < bytes.length))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let start = 0;
  for (const p of points) {
    out.push(bytes.subarray(start, p));
    start = p;
  }
  out.push(bytes.subarray(start));
  return out;
}

/** Streams one file's chunks through a profiler, as the capture sources do, and returns its profile. */
export function profileChunks(profiler: WindowProfiler, chunks: Iterable<Uint8Array>): WindowProfile {
  const splitter = profiler.fileSplitter();
  for (const c of chunks) splitter.push(c);
  splitter.end();
  return profiler.profile;
}

/** Profiles capture lines (one file, LF-terminated). */
export function profileLines(profiler: WindowProfiler, lines: readonly string[]): WindowProfile {
  return profileChunks(profiler, [captureFile(lines)]);
}

/**
 * How many records a file holds by the reader's rules, computed the simple way: split on LF, drop
 * one trailing CR, skip lines of only spaces, tabs and CRs, except that a line longer than
 * `maxLineBytes` is a (rejected) record whatever it holds. (A leading BOM is not handled here.)
 */
export function nonBlankLineCount(bytes: Uint8Array, maxLineBytes = Number.POSITIVE_INFINITY): number {
  let n = 0;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i < bytes.length && bytes[i] !== 10) continue;
    const length = i - start - (i > start && bytes[i - 1] === 13 ? 1 : 0);
    if (length > maxLineBytes) {
      n++;
      start = i + 1;
      continue;
    }
    let blank = true;
    for (let j = start; j < i; j++) {
      const b = bytes[j];
      if (b !== 32 && b !== 9 && b !== 13) {
        blank = false;
        break;
      }
    }
    if (!blank) n++;
    start = i + 1;
  }
  return n;
}

/** Sum of a profile's rejection counts by reason. */
export function rejectedSum(p: WindowProfile): number {
  let n = 0;
  for (const v of p.rejectedByReason.values()) n += v;
  return n;
}

/** `[[[...1...]]]` nested `depth` levels deep, as JSON text. */
export function deeplyNestedJson(depth: number): string {
  return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
}

/** One malformed (or merely odd) capture line and what the reader must make of it. */
export interface HostileLine {
  name: string;
  /** The line without its terminator: text, or raw bytes for encoding faults. */
  line: string | Uint8Array;
  /** The rejection reason, or `null` when the line must be profiled. */
  reason: string | null;
}

/**
 * A corpus of hostile capture lines for a baseline whose inputs are `age` (numeric), `city`
 * (categorical), `income` (numeric) and whose output is `score` (numeric), in the separate layout.
 */
export function hostileCorpus(): HostileLine[] {
  const valid = captureLine({ input: csvSide('35,Paris,52000.5'), output: csvSide('0.42') });
  const withCaptureData = (captureData: unknown) =>
    JSON.stringify({ captureData, eventMetadata: { eventId: 'e' } });
  const withInput = (endpointInput: unknown) => withCaptureData({ endpointInput });
  const withOutput = (endpointOutput: unknown) =>
    withCaptureData({ endpointInput: csvSide('35,Paris,52000.5'), endpointOutput });
  const deep = deeplyNestedJson(100_000);
  return [
    { name: 'truncated JSON (half a line)', line: valid.slice(0, valid.length >> 1), reason: 'invalid_json' },
    { name: 'truncated JSON (last brace missing)', line: valid.slice(0, -1), reason: 'invalid_json' },
    { name: 'not JSON', line: 'this is not a capture line', reason: 'invalid_json' },
    { name: 'an HTML error page', line: '<html><body>502 Bad Gateway</body></html>', reason: 'invalid_json' },
    { name: 'two objects on one line', line: `${valid}${valid}`, reason: 'invalid_json' },
    { name: 'JSON array', line: '[1,2,3]', reason: 'not_an_object' },
    { name: 'JSON number', line: '42', reason: 'not_an_object' },
    { name: 'JSON string', line: '"captureData"', reason: 'not_an_object' },
    { name: 'JSON null', line: 'null', reason: 'not_an_object' },
    { name: 'JSON boolean', line: 'true', reason: 'not_an_object' },
    {
      name: 'no captureData',
      line: '{"eventMetadata":{"eventId":"x"},"eventVersion":"0"}',
      reason: 'missing_capture_data',
    },
    { name: 'captureData is a string', line: withCaptureData('35,Paris,1'), reason: 'missing_capture_data' },
    {
      name: 'captureData is an array',
      line: withCaptureData([csvSide('35,Paris,1')]),
      reason: 'missing_capture_data',
    },
    { name: 'captureData is null', line: withCaptureData(null), reason: 'missing_capture_data' },
    { name: 'captureData is empty', line: withCaptureData({}), reason: 'no_payload' },
    {
      name: 'no data field on either side',
      line: withCaptureData({ endpointInput: { encoding: 'CSV' } }),
      reason: 'no_payload',
    },
    { name: 'data is null', line: withInput({ data: null, encoding: 'CSV' }), reason: 'no_payload' },
    { name: 'endpointInput is a string', line: withInput('35,Paris,1'), reason: 'invalid_payload' },
    { name: 'endpointInput is an array', line: withInput(['35,Paris,1']), reason: 'invalid_payload' },
    { name: 'endpointOutput is a number', line: withOutput(0.42), reason: 'invalid_payload' },
    { name: 'data is a number', line: withInput({ data: 35, encoding: 'CSV' }), reason: 'invalid_payload' },
    {
      name: 'data is an object',
      line: withInput({ data: { age: 35 }, encoding: 'JSON' }),
      reason: 'invalid_payload',
    },
    {
      name: 'data is an array',
      line: withInput({ data: [35, 'Paris', 1], encoding: 'JSON' }),
      reason: 'invalid_payload',
    },
    { name: 'encoding missing', line: withInput({ data: '35,Paris,1' }), reason: 'unknown_encoding' },
    {
      name: 'encoding unknown',
      line: withInput({ data: '35,Paris,1', encoding: 'XML' }),
      reason: 'unknown_encoding',
    },
    {
      name: 'encoding a number',
      line: withInput({ data: '35,Paris,1', encoding: 1 }),
      reason: 'unknown_encoding',
    },
    {
      name: 'invalid base64 characters',
      line: withInput({ data: '!!not base64!!', encoding: 'BASE64', observedContentType: 'text/csv' }),
      reason: 'invalid_base64',
    },
    {
      name: 'base64 of impossible length',
      line: withInput({ data: 'abcde', encoding: 'BASE64', observedContentType: 'text/csv' }),
      reason: 'invalid_base64',
    },
    {
      name: 'base64 of invalid UTF-8',
      line: withInput({ data: Buffer.from([0xff, 0xfe, 0x2c]).toString('base64'), encoding: 'BASE64' }),
      reason: 'invalid_base64',
    },
    {
      name: 'base64 of an unsupported content type',
      line: withInput({ ...base64Side('35,Paris,1', 'application/x-npy') }),
      reason: 'unsupported_content_type',
    },
    {
      name: 'JSON payload truncated',
      line: withInput(jsonSide('{"age":35,')),
      reason: 'invalid_json_payload',
    },
    {
      name: 'JSON payload that is not JSON',
      line: withInput(jsonSide('age=35&city=Paris')),
      reason: 'invalid_json_payload',
    },
    {
      name: 'JSON Lines payload with a bad line',
      line: withInput(jsonSide('{"age":1}\n{oops')),
      reason: 'invalid_json_payload',
    },
    {
      name: 'output JSON that does not parse',
      line: withOutput(jsonSide('{"predictions":')),
      reason: 'invalid_json_payload',
    },
    { name: 'JSON payload empty', line: withInput(jsonSide('')), reason: 'empty_payload' },
    { name: 'JSON payload of whitespace', line: withInput(jsonSide(' \r\n ')), reason: 'empty_payload' },
    {
      name: 'JSON payload with no rows',
      line: withInput(jsonSide({ instances: [] })),
      reason: 'empty_payload',
    },
    { name: 'CSV payload of blank lines', line: withInput(csvSide('\n\r\n')), reason: 'empty_payload' },
    {
      name: 'CSV row with too few columns',
      line: withInput(csvSide('35,Paris')),
      reason: 'csv_too_few_columns',
    },
    {
      name: 'CSV row with too many columns',
      line: withInput(csvSide('35,Paris,1,2')),
      reason: 'csv_too_many_columns',
    },
    { name: 'JSON row with too few columns', line: withInput(jsonSide([35])), reason: 'csv_too_few_columns' },
    {
      name: 'CSV row past the column limit',
      line: withInput(csvSide(Array.from({ length: 3000 }, (_, i) => i).join(','))),
      reason: 'too_many_columns',
    },
    {
      name: 'input and output with different row counts',
      line: captureLine({ input: csvSide('35,Paris,1\n36,Rome,2'), output: csvSide('0.1') }),
      reason: 'input_output_row_mismatch',
    },
    {
      name: 'invalid UTF-8 in the line',
      line: Buffer.concat([
        Buffer.from(valid.slice(0, 20)),
        Buffer.from([0xc3, 0x28, 0xff]),
        Buffer.from(valid.slice(20)),
      ]),
      reason: 'invalid_utf8',
    },
    {
      name: 'deeply nested JSON array as the payload',
      line: withInput(jsonSide(deep)),
      reason: 'csv_too_few_columns',
    },
    {
      name: 'deeply nested JSON outside captureData',
      line: `${valid.slice(0, -1)},"extra":${deep}}`,
      reason: null,
    },
    {
      name: 'deeply nested JSON in a numeric column',
      line: withInput(jsonSide(`{"age":${deep},"city":"Paris","income":1}`)),
      reason: null,
    },
    { name: '1e308 and -1e308', line: withInput(csvSide('1e308,Paris,-1e308')), reason: null },
    { name: '-0 in CSV and JSON', line: withOutput(jsonSide('-0')).replace('35,', '-0,'), reason: null },
    { name: '"NaN" and "Infinity"', line: withInput(csvSide('NaN,Paris,Infinity')), reason: null },
    {
      name: '1e309 (overflows to Infinity)',
      line: withInput(jsonSide('{"age":1e309,"city":"x","income":-1e309}')),
      reason: null,
    },
    { name: 'lower-case encoding', line: withInput({ data: '35,Paris,1', encoding: 'csv' }), reason: null },
    {
      name: 'eventMetadata is not an object',
      line: valid.replace(/"eventMetadata":\{[^}]*\}/, '"eventMetadata":"x"'),
      reason: null,
    },
    {
      name: 'JSON keys that look like object internals',
      line: withInput(jsonSide('{"__proto__":1,"constructor":"x","age":35,"city":"Paris","income":1}')),
      reason: null,
    },
    {
      name: 'unknown fields everywhere',
      line: valid.replace('{"captureData":{', '{"x":[{}],"captureData":{"y":null,'),
      reason: null,
    },
  ];
}
