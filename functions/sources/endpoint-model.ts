/**
 * A SageMaker endpoint as the attribution engine's `BatchModel`: rows sent with InvokeEndpoint in
 * requests kept under SageMaker's payload limit and a row count, at a bounded request rate.
 *
 * Formats (the endpoint's `content_type` / `accept_type` in the explainability configuration):
 * - `text/csv` (default): one row per line, values CSV-escaped (text with a comma, quote or line
 *   break quoted, quotes doubled; `null` as an empty field). The response has one line per row,
 *   its first field the score (further fields, such as a label, are ignored); a response of one
 *   line with one field per row (older XGBoost containers) is read as one score per row.
 * - `application/json`: `{"instances": [[v, ...], ...]}`, the request shape of SageMaker's
 *   TensorFlow Serving, PyTorch and scikit-learn containers and Clarify's JSON predictor. The
 *   response is a list, or `{"predictions": [...]}`, or JSON Lines with one output per line; an
 *   output is a number, a list whose first item is the score, or an object with the score at the
 *   configured `predictionPath` (default `score`, as the built-in Linear Learner writes it).
 *
 * Errors name the endpoint, the request's number, and the service's error code and HTTP status
 * (the SDK's message is left out: a model's error text can quote its input).
 */
import {
  InvokeEndpointCommand,
  type InvokeEndpointCommandOutput,
  type SageMakerRuntimeClient,
} from '@aws-sdk/client-sagemaker-runtime';
import type { BatchModel, ModelRow, ModelUsage, ModelValue } from '../engine/attribution/batch-model.ts';
import { type ContentType, DEFAULT_PREDICTION_PATH } from '../engine/attribution/explain-config.ts';
import { type FieldPath, parseFieldPath, valueAt } from '../engine/attribution/field-path.ts';

/** SageMaker's InvokeEndpoint payload limit: 6 MB (6 MiB, request and response). */
export const SAGEMAKER_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;
/** The request body limit used: 1 MiB under SageMaker's, a margin for encodings and proxies. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 5 * 1024 * 1024;
/** Rows per request at most, so a response (one score per row) stays small and quick. */
export const DEFAULT_MAX_ROWS_PER_REQUEST = 1000;
/** Requests per second at most: one explanation run must not crowd out live traffic. */
export const DEFAULT_REQUESTS_PER_SECOND = 10;

/** Time, passed in so tests run the rate limit on a fake clock. */
export interface Clock {
  /** Milliseconds. */
  now(): number;
  /** Resolves after `ms` milliseconds, or rejects when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The process's own clock. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const onAbort = () => {
        clearTimeout(timer);
        reject(signal?.reason);
      };
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      signal?.addEventListener('abort', onAbort, { once: true });
    }),
};

export interface EndpointModelOptions {
  client: SageMakerRuntimeClient;
  endpointName: string;
  /** The production variant to call, when not the endpoint's traffic split. */
  targetVariant?: string;
  /** @default 'text/csv' */
  contentType?: ContentType;
  /** @default the content type */
  acceptType?: ContentType;
  /** Where the score is in a JSON output item. @default `score` */
  predictionPath?: FieldPath;
  /** Request body bytes at most. @default {@link DEFAULT_MAX_PAYLOAD_BYTES} */
  maxPayloadBytes?: number;
  /** @default {@link DEFAULT_MAX_ROWS_PER_REQUEST} */
  maxRowsPerRequest?: number;
  /** Sustained request rate. @default {@link DEFAULT_REQUESTS_PER_SECOND} */
  requestsPerSecond?: number;
  /** Requests that may go at once before the rate applies. @default 1 */
  burst?: number;
  /** @default {@link systemClock} */
  clock?: Clock;
  /** Aborts the request in flight and refuses further ones (a run's deadline). */
  signal?: AbortSignal;
}

/** An InvokeEndpoint call that failed: which endpoint, which request, and the service's code. */
export class EndpointInvocationError extends Error {
  constructor(
    readonly endpointName: string,
    readonly problem: string,
    readonly status: number | null = null,
    readonly code: string | null = null,
  ) {
    super(`InvokeEndpoint "${endpointName}": ${problem}`);
    this.name = 'EndpointInvocationError';
  }
}

/** A CSV field: quoted when it holds a comma, quote, line break or edge space. */
function csvField(v: ModelValue): string {
  if (v === null) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  return /[",\r\n]|^\s|\s$/.test(v) ? `"${v.replaceAll('"', '""')}"` : v;
}

function jsonValue(v: ModelValue): string {
  return typeof v === 'number' && !Number.isFinite(v) ? 'null' : JSON.stringify(v);
}

/** How a format frames its rows: each row's text, the separator, and the text around them. */
interface Framing {
  row(values: ModelRow): string;
  separator: string;
  open: string;
  close: string;
}

const FRAMINGS: Readonly<Record<ContentType, Framing>> = {
  'text/csv': { row: (r) => r.map(csvField).join(','), separator: '\n', open: '', close: '' },
  'application/json': {
    row: (r) => `[${r.map(jsonValue).join(',')}]`,
    separator: ',',
    open: '{"instances":[',
    close: ']}',
  },
};

const utf8 = (s: string) => Buffer.byteLength(s, 'utf8');

/** The first field of a CSV line, unquoted. */
function firstCsvField(line: string): string {
  if (!line.startsWith('"')) {
    const comma = line.indexOf(',');
    return comma < 0 ? line : line.slice(0, comma);
  }
  const end = line.indexOf('"', 1);
  return end < 0 ? line.slice(1) : line.slice(1, end);
}

/** A response field as a score, or NaN. */
function scoreOf(text: string): number {
  const t = text.trim();
  return t === '' ? Number.NaN : Number(t);
}

export class EndpointModel implements BatchModel {
  private readonly contentType: ContentType;
  private readonly framing: Framing;
  private readonly acceptType: ContentType;
  private readonly predictionPath: FieldPath;
  private readonly maxPayloadBytes: number;
  private readonly maxRows: number;
  private readonly clock: Clock;
  private readonly rate: number;
  private readonly burst: number;
  private tokens: number;
  private refilledAt: number;
  private requests = 0;
  private rowsSent = 0;

  constructor(private readonly options: EndpointModelOptions) {
    const contentType = options.contentType ?? 'text/csv';
    this.contentType = contentType;
    this.framing = FRAMINGS[contentType];
    this.acceptType = options.acceptType ?? contentType;
    this.predictionPath = options.predictionPath ?? parseFieldPath(DEFAULT_PREDICTION_PATH)!;
    this.maxPayloadBytes = Math.min(
      options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
      SAGEMAKER_PAYLOAD_LIMIT_BYTES,
    );
    this.maxRows = options.maxRowsPerRequest ?? DEFAULT_MAX_ROWS_PER_REQUEST;
    this.rate = options.requestsPerSecond ?? DEFAULT_REQUESTS_PER_SECOND;
    this.burst = options.burst ?? 1;
    if (!(this.maxPayloadBytes > 0) || !(this.maxRows >= 1) || !(this.rate > 0) || !(this.burst >= 1))
      throw new RangeError(
        'EndpointModel: maxPayloadBytes, maxRowsPerRequest, requestsPerSecond and burst must be positive',
      );
    this.clock = options.clock ?? systemClock;
    this.tokens = this.burst;
    this.refilledAt = this.clock.now();
  }

  /** Requests made (failed ones included) and rows sent. */
  usage(): ModelUsage {
    return { requests: this.requests, rows: this.rowsSent };
  }

  async predict(rows: readonly ModelRow[]): Promise<number[]> {
    const { framing } = this;
    const frame = utf8(framing.open) + utf8(framing.close);
    const separatorBytes = utf8(framing.separator);
    const out: number[] = [];
    let texts: string[] = [];
    let bytes = frame;
    const send = async () => {
      const scores = await this.invoke(
        framing.open + texts.join(framing.separator) + framing.close,
        texts.length,
      );
      for (const s of scores) out.push(s);
      texts = [];
      bytes = frame;
    };
    for (const row of rows) {
      const text = framing.row(row);
      const size = utf8(text);
      if (frame + size > this.maxPayloadBytes)
        throw new EndpointInvocationError(
          this.options.endpointName,
          `a row of ${size} bytes does not fit a request of at most ${this.maxPayloadBytes} bytes`,
        );
      if (texts.length >= this.maxRows || bytes + separatorBytes + size > this.maxPayloadBytes) await send();
      bytes += (texts.length === 0 ? 0 : separatorBytes) + size;
      texts.push(text);
    }
    if (texts.length > 0) await send();
    return out;
  }

  /** Waits for a token of the rate limit. */
  private async takeToken(): Promise<void> {
    const refill = () => {
      const now = this.clock.now();
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.refilledAt) / 1000) * this.rate);
      this.refilledAt = now;
    };
    refill();
    if (this.tokens < 1) {
      await this.clock.sleep(((1 - this.tokens) / this.rate) * 1000, this.options.signal);
      refill();
    }
    this.tokens -= 1;
  }

  private async invoke(body: string, rowCount: number): Promise<number[]> {
    const { endpointName, signal } = this.options;
    const aborted = () =>
      new EndpointInvocationError(
        endpointName,
        `stopped before request ${this.requests + 1}: the run's deadline passed`,
      );
    if (signal?.aborted) throw aborted();
    try {
      await this.takeToken();
    } catch {
      throw aborted();
    }
    this.requests++;
    this.rowsSent += rowCount;
    const n = this.requests;
    let response: InvokeEndpointCommandOutput;
    try {
      response = await this.options.client.send(
        new InvokeEndpointCommand({
          EndpointName: endpointName,
          Body: Buffer.from(body, 'utf8'),
          ContentType: this.contentType,
          Accept: this.acceptType,
          ...(this.options.targetVariant !== undefined ? { TargetVariant: this.options.targetVariant } : {}),
        }),
        signal === undefined ? {} : { abortSignal: signal },
      );
    } catch (e) {
      throw this.failure(e, n);
    }
    const text = response.Body === undefined ? '' : response.Body.transformToString('utf8');
    const scores =
      this.acceptType === 'text/csv' ? this.csvScores(text, rowCount) : this.jsonScores(text, rowCount);
    if (typeof scores === 'string')
      throw new EndpointInvocationError(
        endpointName,
        `request ${n} (${rowCount} rows): the response ${scores}`,
      );
    return scores;
  }

  /** The SDK's error as an {@link EndpointInvocationError}: its code and status, not its message. */
  private failure(e: unknown, n: number): EndpointInvocationError {
    const { endpointName } = this.options;
    const err = (e ?? {}) as {
      name?: unknown;
      $metadata?: { httpStatusCode?: unknown };
      OriginalStatusCode?: unknown;
    };
    const code = typeof err.name === 'string' ? err.name : 'Error';
    if (code === 'AbortError' || this.options.signal?.aborted)
      return new EndpointInvocationError(
        endpointName,
        `request ${n} aborted: the run's deadline passed`,
        null,
        'AbortError',
      );
    const status = typeof err.$metadata?.httpStatusCode === 'number' ? err.$metadata.httpStatusCode : null;
    const original =
      typeof err.OriginalStatusCode === 'number'
        ? `, the model container answered HTTP ${err.OriginalStatusCode}`
        : '';
    const how = status === null ? code : `${code} (HTTP ${status})`;
    return new EndpointInvocationError(endpointName, `request ${n} failed: ${how}${original}`, status, code);
  }

  private csvScores(text: string, rowCount: number): number[] | string {
    const lines = text.split(/\r?\n/);
    while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
    let fields: string[];
    if (lines.length === rowCount) fields = lines.map(firstCsvField);
    else if (lines.length === 1 && rowCount > 1 && lines[0]!.split(',').length === rowCount)
      fields = lines[0]!.split(',');
    else return `has ${lines.length} lines for ${rowCount} rows`;
    const scores = fields.map(scoreOf);
    const bad = scores.findIndex((s) => !Number.isFinite(s));
    return bad < 0 ? scores : `has no number as the score of row ${bad}`;
  }

  private jsonScores(text: string, rowCount: number): number[] | string {
    let items: unknown[];
    try {
      const body: unknown = JSON.parse(text);
      if (Array.isArray(body)) items = body;
      else if (
        body !== null &&
        typeof body === 'object' &&
        Array.isArray((body as { predictions?: unknown }).predictions)
      )
        items = (body as { predictions: unknown[] }).predictions;
      else if (rowCount === 1) items = [body];
      else return 'is neither a list nor {"predictions": [...]}';
    } catch {
      // JSON Lines: one output per line.
      try {
        items = text
          .split(/\r?\n/)
          .filter((l) => l.trim() !== '')
          .map((l) => JSON.parse(l) as unknown);
      } catch {
        return 'is not JSON nor JSON Lines';
      }
    }
    if (items.length !== rowCount) return `has ${items.length} outputs for ${rowCount} rows`;
    const scores: number[] = [];
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const v =
        typeof item === 'number' ? item : Array.isArray(item) ? item[0] : valueAt(item, this.predictionPath);
      if (typeof v !== 'number' || !Number.isFinite(v))
        return `has no number as the score of output ${i} (looked at "${this.predictionPath.text}" of objects)`;
      scores.push(v);
    }
    return scores;
  }
}
