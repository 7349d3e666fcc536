/**
 * The one CSV scanner: RFC 4180 fields (quotes, doubled quotes inside quotes), used for capture
 * payloads and training files alike. It fills a caller-owned array so the hot path allocates
 * only the field strings themselves.
 */

/**
 * Splits one CSV record (no line terminator) into `out`, returning the number of fields.
 * `out` is overwritten from index 0; entries past the returned count are stale.
 * An unquoted record takes the fast path: one `indexOf` and one `slice` per field.
 */
export function splitCsvRecord(text: string, out: string[]): number {
  if (text.indexOf('"') === -1) {
    let n = 0;
    let start = 0;
    for (;;) {
      const comma = text.indexOf(',', start);
      if (comma === -1) {
        out[n++] = start === 0 ? text : text.slice(start);
        return n;
      }
      out[n++] = text.slice(start, comma);
      start = comma + 1;
    }
  }
  return splitQuoted(text, out);
}

function splitQuoted(text: string, out: string[]): number {
  let n = 0;
  let i = 0;
  const len = text.length;
  for (;;) {
    if (text.charCodeAt(i) === 34 /* " */) {
      let value = '';
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) {
          // Unterminated quote: keep the rest as the field's text.
          value += text.slice(j);
          j = len;
          break;
        }
        value += text.slice(j, q);
        if (text.charCodeAt(q + 1) === 34) {
          value += '"';
          j = q + 2;
        } else {
          j = q + 1;
          break;
        }
      }
      // Text between the closing quote and the next comma is kept, as lenient readers do.
      const comma = text.indexOf(',', j);
      if (comma === -1) {
        out[n++] = value + text.slice(j);
        return n;
      }
      out[n++] = value + text.slice(j, comma);
      i = comma + 1;
    } else {
      const comma = text.indexOf(',', i);
      if (comma === -1) {
        out[n++] = text.slice(i);
        return n;
      }
      out[n++] = text.slice(i, comma);
      i = comma + 1;
    }
  }
}

/**
 * True when the record has an opening quote that is not closed (a field spanning lines). Only a
 * quote that starts a field opens one, as {@link splitCsvRecord} reads it: a quote inside an
 * unquoted field (`15" laptop`) is text, as lenient RFC 4180 readers take it, and so is one
 * after a quoted field's closing quote.
 */
export function hasOpenQuote(text: string): boolean {
  let i = 0;
  for (;;) {
    if (text.charCodeAt(i) === 34 /* " */) {
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q === -1) return true;
        if (text.charCodeAt(q + 1) === 34) j = q + 2;
        else {
          j = q + 1;
          break;
        }
      }
      i = j;
    }
    const comma = text.indexOf(',', i);
    if (comma === -1) return false;
    i = comma + 1;
  }
}

/** Splits a CSV payload body into records (one per non-empty line, CRLF tolerated). */
export function csvRecords(body: string): string[] {
  // A body without a newline is one record, even when empty: for a one-column payload (a
  // score) "" is one missing value, not an empty payload.
  if (body.indexOf('\n') === -1) return [body.endsWith('\r') ? body.slice(0, -1) : body];
  const lines: string[] = [];
  let pending = '';
  for (const raw of body.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    const joined = pending ? `${pending}\n${line}` : line;
    if (hasOpenQuote(joined)) {
      pending = joined;
      continue;
    }
    pending = '';
    if (joined.length > 0) lines.push(joined);
  }
  if (pending) lines.push(pending);
  return lines;
}
