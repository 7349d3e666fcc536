/**
 * Models for the attribution tests: in-process `BatchModel`s over a function, and a real local
 * HTTP stand-in for the SageMaker runtime's `POST /endpoints/{name}/invocations` that the SDK's
 * client talks to. The stand-in scores CSV (`text/csv`) and JSON (`{"instances": [...]}`)
 * requests with any function of a row, records what it was sent, and can be told to answer
 * errors (429 ThrottlingException, 400 ValidationError) or to be slow.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BatchModel, ModelRow, ModelValue } from '../../functions/engine/attribution/batch-model.ts';

/** A `BatchModel` over a function of one numeric row, counting calls and rows. */
export function functionModel(
  f: (x: readonly number[]) => number,
): BatchModel & { calls: number; rows: number } {
  const model = {
    calls: 0,
    rows: 0,
    async predict(rows: readonly ModelRow[]) {
      model.calls++;
      model.rows += rows.length;
      return rows.map((r) => f(r.map((v) => Number(v))));
    },
  };
  return model;
}

/** f(x) = bias + w·x, as a function of a row. */
export function linearFunction(weights: readonly number[], bias: number): (x: readonly number[]) => number {
  return (x) => x.reduce((s, v, i) => s + weights[i]! * v, bias);
}

/** f(x) = bias + w·x as a `BatchModel`. */
export function linearModel(weights: readonly number[], bias: number) {
  return functionModel(linearFunction(weights, bias));
}

/** One request the stand-in received. */
export interface ReceivedRequest {
  endpoint: string;
  contentType: string;
  accept: string;
  bytes: number;
  rows: ModelValue[][];
}

/** An error answer: HTTP status and the service's error type (`x-amzn-errortype`). */
export interface ErrorAnswer {
  status: number;
  type: string;
  /** The error's message; the stand-in appends the start of the request body, as a model's own error text might. */
  message?: string;
}

/** How JSON responses are shaped. */
export type JsonAnswer = 'predictions-objects' | 'list';

/** Splits one CSV line into fields (quotes and doubled quotes understood). */
function csvFields(line: string): string[] {
  const out: string[] = [];
  let i = 0;
  for (;;) {
    if (line[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        const q = line.indexOf('"', i);
        v += line.slice(i, q);
        i = q + 1;
        if (line[i] === '"') {
          v += '"';
          i++;
        } else break;
      }
      out.push(v);
    } else {
      const c = line.indexOf(',', i);
      out.push(c < 0 ? line.slice(i) : line.slice(i, c));
      i = c < 0 ? line.length : c;
    }
    if (line[i] !== ',') return out;
    i++;
  }
}

const fieldValue = (field: string): ModelValue => {
  if (field === '') return null;
  const n = Number(field);
  return Number.isFinite(n) ? n : field;
};

export class ModelEndpointStandIn {
  /** Every request received, in order. */
  readonly received: ReceivedRequest[] = [];
  /** Answers to give before scoring again, first first. */
  readonly errors: ErrorAnswer[] = [];
  /** Milliseconds to wait before answering. */
  delayMs = 0;
  /** The shape of JSON answers. */
  jsonAnswer: JsonAnswer = 'predictions-objects';
  /** CSV answers carry a second column (a label) after the score. */
  csvWithLabel = false;

  private constructor(
    private readonly server: Server,
    readonly url: string,
    private readonly model: (row: readonly ModelValue[]) => number,
  ) {}

  /** Starts a stand-in on a free local port, scoring with `model`. */
  static async start(model: (row: readonly ModelValue[]) => number): Promise<ModelEndpointStandIn> {
    let standIn: ModelEndpointStandIn | undefined;
    const server = createServer((req, res) => {
      void standIn!.handle(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    standIn = new ModelEndpointStandIn(server, `http://127.0.0.1:${port}`, model);
    return standIn;
  }

  /** A stand-in for f(x) = bias + w·x over numeric rows. */
  static linear(weights: readonly number[], bias: number): Promise<ModelEndpointStandIn> {
    const f = linearFunction(weights, bias);
    return ModelEndpointStandIn.start((row) => f(row.map((v) => Number(v))));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    const m = /^\/endpoints\/([^/]+)\/invocations$/.exec(req.url ?? '');
    if (req.method !== 'POST' || m === null) {
      res.writeHead(404, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'UnknownOperationException',
      });
      res.end('{"message":"no such operation"}');
      return;
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const accept = String(req.headers.accept ?? contentType);
    const rows =
      contentType === 'application/json'
        ? ((JSON.parse(body) as { instances: ModelValue[][] }).instances ?? [])
        : body
            .split('\n')
            .filter((l) => l !== '')
            .map((l) => csvFields(l).map(fieldValue));
    this.received.push({
      endpoint: decodeURIComponent(m[1]!),
      contentType,
      accept,
      bytes: Buffer.byteLength(body),
      rows,
    });
    if (this.delayMs > 0) await new Promise((r) => setTimeout(r, this.delayMs));
    if (res.destroyed) return;
    const error = this.errors.shift();
    if (error !== undefined) {
      res.writeHead(error.status, { 'content-type': 'application/json', 'x-amzn-errortype': error.type });
      res.end(JSON.stringify({ message: `${error.message ?? error.type}: ${body.slice(0, 80)}` }));
      return;
    }
    const scores = rows.map((r) => this.model(r));
    if (accept === 'application/json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          this.jsonAnswer === 'list'
            ? scores
            : { predictions: scores.map((s) => ({ score: s, predicted_label: s > 0 ? 1 : 0 })) },
        ),
      );
      return;
    }
    res.writeHead(200, { 'content-type': 'text/csv' });
    res.end(scores.map((s) => (this.csvWithLabel ? `${s},${s > 0 ? 1 : 0}` : String(s))).join('\n'));
  }
}
