/**
 * Reads SageMaker ground-truth labels (FORMATS.md, "Ground truth") from any ObjectStore: one JSON
 * object per line, `{"groundTruthData": {"data", "encoding"}, "eventMetadata": {"eventId"}}`, in
 * files under `ENDPOINT/yyyy/mm/dd/hh/` by the hour the label was collected (any other tree is
 * read whole). Files stream line by line; a line that cannot be used is counted under a named
 * reason, never thrown: labels are written by people and scripts, and one bad line must not lose
 * a window's quality.
 */

import type {
  GroundTruthLabels,
  LabelFilesRead,
  LabelRejectReason,
} from '../contracts/ground-truth-labels.ts';
import { HOUR_MS } from '../contracts/time.ts';
import type { RejectReason } from '../engine/capture/capture-record.ts';
import { hourOfKey, isCaptureKey } from '../engine/capture/capture-window.ts';
import { splitCsvRecord } from '../engine/capture/csv.ts';
import { DEFAULT_MAX_LINE_BYTES, LineSplitter } from '../engine/capture/line-splitter.ts';
import { decodePayload } from '../engine/capture/payload.ts';
import type { ObjectStore } from '../stores/object-store.ts';

/** One ground-truth line, read. */
export type GroundTruthLine =
  | { ok: true; eventId: string; label: string | number }
  | { ok: false; reason: LabelRejectReason };

/** Keys of a JSON label object that name its label, when the object has more than one key. */
const LABEL_KEYS = ['label', 'ground_truth', 'groundTruth', 'actual', 'target'] as const;

type LabelRead = { ok: true; label: string | number } | { ok: false; reason: LabelRejectReason };

const rejected = (reason: LabelRejectReason): LabelRead => ({ ok: false, reason });

/** A scalar label: numbers stay numbers, booleans become `"true"`/`"false"`, text is trimmed. */
function scalarLabel(value: unknown): LabelRead {
  if (value === null || value === undefined) return rejected('empty_label');
  if (typeof value === 'number')
    return Number.isFinite(value) ? { ok: true, label: value } : rejected('unsupported_label_payload');
  if (typeof value === 'boolean') return { ok: true, label: String(value) };
  if (typeof value !== 'string') return rejected('unsupported_label_payload');
  const text = value.trim();
  return text === '' ? rejected('empty_label') : { ok: true, label: text };
}

/** The one value a JSON label document holds: a scalar, `[x]`, `{"label": x}` or `{"anyName": x}`. */
function jsonLabel(row: unknown): LabelRead {
  if (Array.isArray(row))
    return row.length === 1 ? scalarLabel(row[0]) : rejected('unsupported_label_payload');
  if (row === null || typeof row !== 'object') return scalarLabel(row);
  const o = row as Record<string, unknown>;
  const keys = Object.keys(o);
  if (keys.length === 1) return scalarLabel(o[keys[0]!]);
  for (const k of LABEL_KEYS) if (Object.hasOwn(o, k)) return scalarLabel(o[k]);
  return rejected('unsupported_label_payload');
}

/** Capture payload rejections as label rejections. */
const DECODE_REASONS: Partial<Record<RejectReason, LabelRejectReason>> = {
  invalid_base64: 'invalid_base64',
  unsupported_content_type: 'unsupported_content_type',
  invalid_json_payload: 'invalid_json_payload',
  empty_payload: 'empty_label',
};

/** The label of decoded data (see {@link parseGroundTruthLine}). */
function dataLabel(data: string, encoding: 'CSV' | 'JSON' | 'BASE64', contentType: string): LabelRead {
  const decoded = decodePayload({ data, encoding, contentType });
  if (decoded.kind === 'error')
    return rejected(DECODE_REASONS[decoded.reason] ?? 'unsupported_label_payload');
  if (decoded.kind === 'csv') {
    if (decoded.records.length > 1) return rejected('multiple_labels');
    const fields: string[] = [];
    splitCsvRecord(decoded.records[0] ?? '', fields);
    return scalarLabel(fields[0]);
  }
  return decoded.rows.length > 1 ? rejected('multiple_labels') : jsonLabel(decoded.rows[0]);
}

/**
 * SageMaker's own ground-truth line with a CSV label of one plain field, as FORMATS.md shows it
 * (keys in that order, with or without a space after each colon and comma): read without
 * JSON.parse, ten times faster, with the same result. Any other line takes the general path.
 */
const CANONICAL_CSV_LINE =
  // JSON strings hold no raw control character: a line with one is left to JSON.parse to refuse.
  /^\{"groundTruthData": ?\{"data": ?"([^"\\,\u0000-\u001f]*)", ?"encoding": ?"CSV"\}, ?"eventMetadata": ?\{"eventId": ?"([^"\\\u0000-\u001f]+)"\}(?:, ?"eventVersion": ?"[^"\\\u0000-\u001f]*")?\}$/;

/**
 * Parses one non-blank ground-truth line; never throws. The label is the data decoded by its
 * `encoding`: CSV gives the first field of its one record; JSON a scalar, a one-element list or
 * a label object; BASE64 the same after decoding (CSV or JSON by `observedContentType`, or by
 * the text's first character when there is none).
 */
export function parseGroundTruthLine(line: string): GroundTruthLine {
  const canonical = CANONICAL_CSV_LINE.exec(line);
  if (canonical === null) return parseGroundTruthJson(line);
  // One CSV record of one field (no comma, quote or line break): the label is that field.
  const read = scalarLabel(canonical[1]!);
  return read.ok ? { ok: true, eventId: canonical[2]!, label: read.label } : read;
}

/** {@link parseGroundTruthLine} through JSON.parse, for any line (the fast path's reference). */
export function parseGroundTruthJson(line: string): GroundTruthLine {
  let obj: unknown;
  try {
    obj = JSON.parse(line);
  } catch {
    return { ok: false, reason: 'invalid_json' };
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj))
    return { ok: false, reason: 'not_an_object' };
  const o = obj as Record<string, unknown>;
  const gt = o.groundTruthData;
  if (gt === null || typeof gt !== 'object' || Array.isArray(gt))
    return { ok: false, reason: 'missing_ground_truth_data' };
  const g = gt as Record<string, unknown>;
  if (typeof g.data !== 'string') return { ok: false, reason: 'missing_ground_truth_data' };
  const meta = o.eventMetadata;
  const eventId =
    meta !== null && typeof meta === 'object' ? (meta as Record<string, unknown>).eventId : undefined;
  if (typeof eventId !== 'string' || eventId === '') return { ok: false, reason: 'missing_event_id' };
  const encoding = typeof g.encoding === 'string' ? g.encoding.toUpperCase() : '';
  if (encoding !== 'CSV' && encoding !== 'JSON' && encoding !== 'BASE64')
    return { ok: false, reason: 'unknown_encoding' };
  const contentType = typeof g.observedContentType === 'string' ? g.observedContentType : '';
  const read = dataLabel(g.data, encoding, contentType);
  return read.ok ? { ok: true, eventId, label: read.label } : read;
}

/** Options of {@link readGroundTruth}. */
export interface ReadGroundTruthOptions {
  /**
   * Reads only the hour folders that overlap [startMs, endMs) (ms since the epoch); files with no
   * `yyyy/mm/dd/hh/` folders in their key are always read. Open ends read everything.
   */
  startMs?: number;
  endMs?: number;
  /** A prefix under the store to read (e.g. the endpoint's folder); default the whole store. */
  prefix?: string;
  /** Longest line read; longer lines are counted as `line_too_long`. */
  maxLineBytes?: number;
}

/** Receives each usable label, in reading order (files in key order, lines in order). */
export type LabelSink = (eventId: string, label: string | number) => void;

/**
 * Streams every ground-truth label in the store (or in the hour folders of a time range) to
 * `onLabel`, files in key order and lines in order, so a consumer that keeps the last label of
 * an id keeps the one read last (the later hour, the later line). Keeps nothing per label.
 */
export async function streamGroundTruth(
  store: ObjectStore,
  options: ReadGroundTruthOptions,
  onLabel: LabelSink,
): Promise<LabelFilesRead> {
  const { keys, skipped } = await listLabelFiles(store, options);
  const out: LabelFilesRead = { lines: 0, rejectedByReason: {}, files: 0, skipped };
  for (const key of keys) await readLabelFile(store, key, options.maxLineBytes, onLabel, out);
  return out;
}

/**
 * The label files of the hour folders that overlap [startMs, endMs) (files with no hour folder
 * in their key always), in key order, and the files in range that are not JSON Lines.
 */
export async function listLabelFiles(
  store: ObjectStore,
  options: Pick<ReadGroundTruthOptions, 'startMs' | 'endMs' | 'prefix'>,
): Promise<{ keys: string[]; skipped: string[] }> {
  const startMs = options.startMs ?? Number.NEGATIVE_INFINITY;
  const endMs = options.endMs ?? Number.POSITIVE_INFINITY;
  const keys: string[] = [];
  const skipped: string[] = [];
  for await (const o of store.list(options.prefix ?? '')) {
    const hour = hourOfKey(o.key);
    if (hour !== null && (hour + HOUR_MS <= startMs || hour >= endMs)) continue;
    if (isCaptureKey(o.key)) keys.push(o.key);
    else skipped.push(o.key);
  }
  return { keys, skipped };
}

/** Streams one label file's labels to `onLabel`, counting its lines and rejects into `into`. */
export async function readLabelFile(
  store: ObjectStore,
  key: string,
  maxLineBytes: number | undefined,
  onLabel: LabelSink,
  into: LabelFilesRead,
): Promise<void> {
  const reject = (reason: LabelRejectReason) => {
    into.rejectedByReason[reason] = (into.rejectedByReason[reason] ?? 0) + 1;
  };
  into.files++;
  const splitter = new LineSplitter((e) => {
    into.lines++;
    if (e.kind !== 'line') {
      reject(e.kind);
      return;
    }
    const parsed = parseGroundTruthLine(e.text);
    if (parsed.ok) onLabel(parsed.eventId, parsed.label);
    else reject(parsed.reason);
  }, maxLineBytes ?? DEFAULT_MAX_LINE_BYTES);
  for await (const chunk of store.read(key)) splitter.push(chunk);
  splitter.end();
}

/**
 * Reads every ground-truth label into a map (see {@link streamGroundTruth}); when an id is
 * labelled twice the label read last wins and the replaced ones are counted as `duplicates`.
 * Memory: one map entry per distinct id read, so the monitor streams instead.
 */
export async function readGroundTruth(
  store: ObjectStore,
  options: ReadGroundTruthOptions = {},
): Promise<GroundTruthLabels> {
  const labels = new Map<string, string | number>();
  let duplicates = 0;
  const read = await streamGroundTruth(store, options, (id, label) => {
    if (labels.has(id)) duplicates++;
    labels.set(id, label);
  });
  return { ...read, labels, duplicates };
}
