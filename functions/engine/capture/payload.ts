/**
 * Turns one captured payload (CSV, JSON or BASE64 of either) into rows. The layouts accepted are
 * those SageMaker containers and their users produce: CSV lines; a JSON flat object; JSON with
 * `instances` (objects, arrays, or `{features: [...]}`), `features`, `inputs` or `predictions`
 * lists; a JSON array of rows; JSON Lines. A row is positional (an array) or named (an object).
 */
import type { CapturePayload, RejectReason } from './capture-record.ts';
import { csvRecords } from './csv.ts';

/** A positional row (values in column order) or a named row (values by key). */
export type PayloadRow = unknown[] | Record<string, unknown>;

export type DecodedPayload =
  | { kind: 'csv'; records: string[] }
  | { kind: 'json'; rows: PayloadRow[] }
  | { kind: 'error'; reason: RejectReason };

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decodes a payload into rows; never throws. */
export function decodePayload(p: CapturePayload): DecodedPayload {
  switch (p.encoding) {
    case 'CSV':
      return csvPayload(p.data);
    case 'JSON':
      return jsonPayload(p.data);
    case 'BASE64': {
      let text: string;
      try {
        text = decodeBase64Utf8(p.data);
      } catch {
        return { kind: 'error', reason: 'invalid_base64' };
      }
      const ct = p.contentType.toLowerCase();
      if (ct.includes('json')) return jsonPayload(text);
      if (ct.includes('csv')) return csvPayload(text);
      if (ct === '' || ct.startsWith('text/plain')) {
        const first = text.trimStart()[0];
        return first === '{' || first === '[' ? jsonPayload(text) : csvPayload(text);
      }
      return { kind: 'error', reason: 'unsupported_content_type' };
    }
  }
}

function decodeBase64Utf8(data: string): string {
  const binary = atob(data.replace(/[\r\n]/g, ''));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return utf8.decode(bytes);
}

function csvPayload(text: string): DecodedPayload {
  const records = csvRecords(text);
  if (records.length === 0) return { kind: 'error', reason: 'empty_payload' };
  return { kind: 'csv', records };
}

function jsonPayload(text: string): DecodedPayload {
  if (text.trim() === '') return { kind: 'error', reason: 'empty_payload' };
  let docs: unknown[];
  try {
    docs = [JSON.parse(text)];
  } catch {
    // JSON Lines: one document per line.
    if (text.indexOf('\n') === -1) return { kind: 'error', reason: 'invalid_json_payload' };
    docs = [];
    for (const line of text.split('\n')) {
      if (line.trim() === '') continue;
      try {
        docs.push(JSON.parse(line));
      } catch {
        return { kind: 'error', reason: 'invalid_json_payload' };
      }
    }
  }
  const rows: PayloadRow[] = [];
  for (const doc of docs) if (!jsonRows(doc, rows)) return { kind: 'error', reason: 'invalid_json_payload' };
  if (rows.length === 0) return { kind: 'error', reason: 'empty_payload' };
  return { kind: 'json', rows };
}

const LIST_KEYS = ['instances', 'inputs', 'predictions', 'outputs'] as const;

/** Appends the rows of one JSON document; false when its layout is not one we know. */
function jsonRows(doc: unknown, rows: PayloadRow[]): boolean {
  if (doc === null || typeof doc !== 'object') {
    rows.push([doc]);
    return true;
  }
  if (Array.isArray(doc)) return arrayRows(doc, rows);
  const o = doc as Record<string, unknown>;
  for (const key of LIST_KEYS) {
    const list = o[key];
    // `{"predictions": [0.1, 0.7]}` is two predictions; `{"instances": [1, 2]}` is one row of features.
    if (Array.isArray(list)) return arrayRows(list, rows, key === 'predictions' || key === 'outputs');
  }
  if (Array.isArray(o.features)) {
    rows.push(o.features);
    return true;
  }
  rows.push(o);
  return true;
}

/** A list is either one row of scalars or a list of rows. */
function arrayRows(list: unknown[], rows: PayloadRow[], scalarsAreRows = false): boolean {
  if (list.length === 0) return true;
  const allScalars = list.every((v) => v === null || typeof v !== 'object');
  if (allScalars && !scalarsAreRows) {
    rows.push(list);
    return true;
  }
  for (const item of list) {
    if (item === null || typeof item !== 'object') rows.push([item]);
    else if (Array.isArray(item)) rows.push(item);
    else {
      const features = (item as Record<string, unknown>).features;
      rows.push(Array.isArray(features) ? features : (item as Record<string, unknown>));
    }
  }
  return true;
}
