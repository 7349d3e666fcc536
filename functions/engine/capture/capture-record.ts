/**
 * One line of SageMaker data capture, read defensively: every way a line can be wrong maps to
 * a named rejection reason instead of an exception (FORMATS.md, "Data capture").
 */

export type FeatureRole = 'input' | 'output';

/** Why a capture line was not profiled. These names appear in `records.rejectedByReason`. */
export type RejectReason =
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_capture_data'
  | 'no_payload'
  | 'invalid_payload'
  | 'unknown_encoding'
  | 'invalid_base64'
  | 'unsupported_content_type'
  | 'invalid_json_payload'
  | 'empty_payload'
  | 'invalid_utf8'
  | 'line_too_long'
  | 'invalid_inference_time'
  | 'csv_too_few_columns'
  | 'csv_too_many_columns'
  | 'input_output_row_mismatch'
  | 'too_many_columns';

/** A human-readable explanation of each reason, for summaries and the HTML report. */
export const REJECT_REASON_TEXT: Readonly<Record<RejectReason, string>> = {
  invalid_json: 'the line is not valid JSON (truncated or not a capture file)',
  not_an_object: 'the line is JSON but not an object',
  missing_capture_data: 'the object has no captureData field',
  no_payload: 'captureData has neither endpointInput nor endpointOutput with data',
  invalid_payload: 'endpointInput/endpointOutput is not an object with a string "data" field',
  unknown_encoding: 'the payload encoding is not CSV, JSON or BASE64',
  invalid_base64: 'a BASE64 payload does not decode',
  unsupported_content_type: 'a BASE64 payload has a content type that is neither CSV nor JSON',
  invalid_json_payload: 'a JSON payload does not parse, or has no rows in a known layout',
  empty_payload: 'the payload is empty',
  invalid_utf8: 'the line is not valid UTF-8',
  line_too_long: 'the line is longer than the line limit (--max-line-bytes)',
  invalid_inference_time:
    'eventMetadata.inferenceTime is missing or not a date, and a time window was asked for',
  csv_too_few_columns: 'a CSV row has fewer columns than the baseline',
  csv_too_many_columns: 'a CSV row has more columns than the baseline',
  input_output_row_mismatch: 'the input and output payloads hold different numbers of rows',
  too_many_columns: 'a payload has more columns than the column limit (--max-columns)',
};

export type PayloadEncoding = 'CSV' | 'JSON' | 'BASE64';

/** One side (input or output) of a captured request, as written by SageMaker. */
export interface CapturePayload {
  data: string;
  encoding: PayloadEncoding;
  contentType: string;
}

/** The parts of a capture line the monitor uses. */
export interface CaptureRecord {
  eventId: string | undefined;
  inferenceId: string | undefined;
  inferenceTime: string | undefined;
  input: CapturePayload | undefined;
  output: CapturePayload | undefined;
}

export type CaptureParse = { ok: true; record: CaptureRecord } | { ok: false; reason: RejectReason };

const ENCODINGS = new Set<string>(['CSV', 'JSON', 'BASE64']);

/** Parses one non-blank capture line. Never throws. */
export function parseCaptureLine(line: string): CaptureParse {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
  return captureRecordFromJson(obj);
}

/** The capture record in a parsed capture line. */
export function captureRecordFromJson(obj: unknown): CaptureParse {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    return { ok: false, reason: 'not_an_object' };
  const o = obj as Record<string, unknown>;
  const cd = o.captureData;
  if (cd === null || typeof cd !== 'object' || Array.isArray(cd))
    return { ok: false, reason: 'missing_capture_data' };
  const c = cd as Record<string, unknown>;
  const input = readPayload(c.endpointInput);
  if (typeof input === 'string') return { ok: false, reason: input };
  const output = readPayload(c.endpointOutput);
  if (typeof output === 'string') return { ok: false, reason: output };
  if (input === undefined && output === undefined) return { ok: false, reason: 'no_payload' };
  const meta = o.eventMetadata;
  const m = meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>) : {};
  return {
    ok: true,
    record: {
      eventId: typeof m.eventId === 'string' ? m.eventId : undefined,
      inferenceId: typeof m.inferenceId === 'string' ? m.inferenceId : undefined,
      inferenceTime: typeof m.inferenceTime === 'string' ? m.inferenceTime : undefined,
      input,
      output,
    },
  };
}

function readPayload(p: unknown): CapturePayload | undefined | RejectReason {
  if (p === undefined || p === null) return undefined;
  if (typeof p !== 'object' || Array.isArray(p)) return 'invalid_payload';
  const side = p as Record<string, unknown>;
  const data = side.data;
  if (data === undefined || data === null) return undefined;
  if (typeof data !== 'string') return 'invalid_payload';
  const encoding = side.encoding;
  if (typeof encoding !== 'string' || !ENCODINGS.has(encoding.toUpperCase())) return 'unknown_encoding';
  const contentType = typeof side.observedContentType === 'string' ? side.observedContentType : '';
  return { data, encoding: encoding.toUpperCase() as PayloadEncoding, contentType };
}

/**
 * Milliseconds since the epoch of an ISO-8601 time (see {@link parseIsoTime}), or NaN. A time
 * without a zone is UTC, as SageMaker's are, never the machine's local time.
 */
export function parseInferenceTime(text: string | undefined): number {
  if (text === undefined) return Number.NaN;
  return parseIsoTime(text);
}

/**
 * `YYYY[-MM[-DD]]` or `YYYY-MM-DD(T| )HH:MM[:SS[.fraction]]`, then optionally `Z` or an offset
 * (`+HH:MM`, `+HHMM`, `+HH`). Letters in either case.
 */
const ISO_TIME =
  /^(\d{4})(?:-(\d{2})(?:-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?([Zz]|([+-])(\d{2})(?::?(\d{2}))?)?)?)?)?$/;

/**
 * Milliseconds since the epoch of an ISO-8601 time, or NaN when the text is not one or names a
 * day or time that does not exist (`2026-02-30`, `25:00`). A time without a zone is read as UTC
 * (Date.parse would read it in the machine's zone); `24:00:00` is the next day's midnight, as
 * ISO 8601 has it; a fraction of a second past milliseconds is cut, as Date.parse cuts it.
 */
export function parseIsoTime(text: string): number {
  const m = ISO_TIME.exec(text);
  if (m === null) return Number.NaN;
  const year = Number(m[1]);
  const month = m[2] === undefined ? 1 : Number(m[2]);
  const day = m[3] === undefined ? 1 : Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, '0'));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return Number.NaN;
  if (minute > 59 || second > 59) return Number.NaN;
  if (hour > 24 || (hour === 24 && (minute !== 0 || second !== 0 || ms !== 0))) return Number.NaN;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const oh = Number(m[10]);
    const om = m[11] === undefined ? 0 : Number(m[11]);
    if (oh > 23 || om > 59) return Number.NaN;
    offsetMinutes = (m[9] === '-' ? -1 : 1) * (oh * 60 + om);
  }
  const days = daysFromCivil(year, month, day);
  return ((days * 24 + hour) * 60 + minute - offsetMinutes) * 60_000 + second * 1000 + ms;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days from 1970-01-01 to the proleptic Gregorian date (Howard Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}
