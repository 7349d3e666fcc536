/**
 * Posts a message to a Slack incoming webhook, retrying what Slack asks to retry: 429 (after its
 * Retry-After) and 5xx or network failures (after an exponential backoff). Other answers (400
 * invalid_payload, 403, 404 no_service, 410 channel_is_archived) fail at once: retrying cannot
 * fix them. The webhook URL is a credential: no error or result here ever contains it.
 */
import type { SlackPayload } from './slack-message.ts';

/** The part of `fetch` the client uses (global `fetch` in Lambda; a fake in tests). */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string; signal: AbortSignal },
) => Promise<Pick<Response, 'status' | 'ok' | 'text'> & { headers: Pick<Headers, 'get'> }>;

/** How {@link postToSlack} posts: the fetch, and its retry and backoff settings. */
export interface SlackPostOptions {
  fetch: FetchLike;
  /** @default setTimeout-based */
  sleep?: (ms: number) => Promise<void>;
  /** The clock, to read an HTTP-date Retry-After. @default () => new Date() */
  now?: () => Date;
  /** Requests made at most, the first included. @default 5 */
  maxAttempts?: number;
  /** The first backoff; each next one doubles. @default 1000 */
  baseDelayMs?: number;
  /** The longest wait between attempts, also when Retry-After asks for more. @default 20000 */
  maxDelayMs?: number;
  /** How long one request may take. @default 10000 */
  timeoutMs?: number;
}

/** What a post that Slack took came to. */
export interface SlackPostResult {
  /** Requests made. */
  attempts: number;
  status: number;
}

/** Slack did not take the message. `status` is the last HTTP status, `null` for a network failure. */
export class SlackWebhookError extends Error {
  constructor(
    message: string,
    readonly status: number | null,
    readonly attempts: number,
    /** Whether retrying later may help (429, 5xx, network); false when the webhook itself is refused. */
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'SlackWebhookError';
  }
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Seconds, or an HTTP date; `undefined` when absent or unreadable. */
function retryAfterMs(value: string | null, now: Date): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now.getTime());
}

/** Slack's error bodies are short codes (`invalid_payload`); keep a little, as the reason. */
async function bodySnippet(res: { text(): Promise<string> }): Promise<string> {
  try {
    const text = (await res.text()).trim();
    return text === '' ? '' : `: ${JSON.stringify(text.slice(0, 200))}`;
  } catch {
    return '';
  }
}

/**
 * POSTs `payload` to the webhook. Resolves once Slack answers 2xx; throws `SlackWebhookError`
 * for an answer retrying cannot fix, or when `maxAttempts` requests all failed.
 */
export async function postToSlack(
  url: string,
  payload: SlackPayload,
  options: SlackPostOptions,
): Promise<SlackPostResult> {
  const sleep = options.sleep ?? defaultSleep;
  const now = options.now ?? (() => new Date());
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelay = options.baseDelayMs ?? 1000;
  const maxDelay = options.maxDelayMs ?? 20_000;
  const body = JSON.stringify(payload);
  let last = '';
  let lastStatus: number | null = null;

  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    // One notifier per endpoint posts at most a few messages an hour: no jitter needed to spread retries.
    let delay = Math.min(maxDelay, baseDelay * 2 ** (attempt - 1));
    try {
      const res = await options.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      lastStatus = res.status;
      if (res.ok) {
        await res.text().catch(() => '');
        return { attempts: attempt, status: res.status };
      }
      const snippet = await bodySnippet(res);
      if (res.status === 429) {
        const asked = retryAfterMs(res.headers.get('retry-after'), now());
        if (asked !== undefined) delay = Math.min(maxDelay, asked);
        last = `HTTP 429 (rate limited${asked !== undefined ? `, Retry-After ${Math.round(asked / 1000)} s` : ''})${snippet}`;
      } else if (res.status >= 500) {
        last = `HTTP ${res.status}${snippet}`;
      } else {
        throw new SlackWebhookError(
          `Slack refused the message with HTTP ${res.status}${snippet}; check the webhook secret (a revoked or rotated webhook answers 403/404) and the channel`,
          res.status,
          attempt,
          false,
        );
      }
    } catch (e) {
      if (e instanceof SlackWebhookError) throw e;
      // Network errors and timeouts. Only the error's name: some runtimes put the URL in messages.
      lastStatus = null;
      last = `no answer (${(e as Error).name ?? 'Error'})`;
    }
    if (attempt < maxAttempts) await sleep(delay);
  }
  throw new SlackWebhookError(
    `Slack did not take the message after ${maxAttempts} attempts; last: ${last}`,
    lastStatus,
    maxAttempts,
    true,
  );
}
