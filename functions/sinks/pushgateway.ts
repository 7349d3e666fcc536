/**
 * A window's Prometheus metrics pushed to a Pushgateway: PUT to
 * `URL/metrics/job/driftwatch/endpoint/E/schedule/S`, which replaces every metric of that group
 * (the previous window's) with this window's.
 */

import { PROMETHEUS_TEXT_CONTENT_TYPE } from '../engine/export/prometheus-text.ts';

/** The Pushgateway job every driftwatch push goes under. */
export const PUSHGATEWAY_JOB = 'driftwatch';

/** Where a push goes: the Pushgateway's base URL and the group's labels. */
export interface PushTarget {
  /** The Pushgateway's base URL (`http://pushgateway:9091`, or with a path prefix); may carry `user:password@`. */
  url: string;
  endpoint: string;
  schedule: string;
}

/** Options of {@link pushMetrics}. */
export interface PushOptions {
  /** Milliseconds before the request is abandoned. @default 10000 */
  timeoutMs?: number;
}

/**
 * One grouping-key segment, `/name/value`. A value is percent-encoded; a value the path cannot
 * carry that way (one with `/`, which the Pushgateway refuses even as `%2F`, or an empty one)
 * uses the Pushgateway's `name@base64/VALUE` form, base64url of its UTF-8 bytes (`=` for empty).
 */
export function groupingSegment(name: string, value: string): string {
  if (value === '') return `/${name}@base64/=`;
  if (value.includes('/')) return `/${name}@base64/${Buffer.from(value, 'utf8').toString('base64url')}`;
  return `/${name}/${encodeURIComponent(value)}`;
}

/**
 * The group's URL: `URL/metrics/job/driftwatch/endpoint/E/schedule/S`, credentials removed (they
 * go in the Authorization header). Throws a message naming the URL when it is not http(s).
 */
export function pushgatewayUrl(target: PushTarget): { url: string; authorization: string | null } {
  let base: URL;
  try {
    base = new URL(target.url);
  } catch {
    throw new Error(`--pushgateway ${JSON.stringify(target.url)}: not a URL; give http://HOST:9091`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:')
    throw new Error(`--pushgateway ${redacted(base)}: use an http:// or https:// URL`);
  const authorization =
    base.username || base.password
      ? `Basic ${Buffer.from(`${decodeURIComponent(base.username)}:${decodeURIComponent(base.password)}`).toString('base64')}`
      : null;
  base.username = '';
  base.password = '';
  const path = base.pathname.replace(/\/+$/, '');
  const group =
    `/metrics/job/${PUSHGATEWAY_JOB}` +
    groupingSegment('endpoint', target.endpoint) +
    groupingSegment('schedule', target.schedule);
  return { url: `${base.origin}${path}${group}`, authorization };
}

/** The URL without credentials, for messages. */
function redacted(u: URL): string {
  const copy = new URL(u.href);
  copy.username = '';
  copy.password = '';
  return copy.href;
}

/**
 * PUTs `text` (the exposition format, see prometheus-text.ts) to the target's group, replacing
 * what it held. `fetchFn` is the global `fetch` in production. An error names the URL (without
 * credentials) and the HTTP status with the Pushgateway's reason, or the network failure.
 */
export async function pushMetrics(
  fetchFn: typeof fetch,
  target: PushTarget,
  text: string,
  options: PushOptions = {},
): Promise<void> {
  const { url, authorization } = pushgatewayUrl(target);
  const headers: Record<string, string> = { 'Content-Type': PROMETHEUS_TEXT_CONTENT_TYPE };
  if (authorization) headers.Authorization = authorization;
  let response: Response;
  try {
    response = await fetchFn(url, {
      method: 'PUT',
      headers,
      body: text,
      signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
    });
  } catch (e) {
    const cause = (e as Error & { cause?: Error }).cause;
    throw new Error(
      `Pushgateway PUT ${url} failed: ${(e as Error).message}${cause ? ` (${cause.message})` : ''}; is the Pushgateway running and reachable?`,
      { cause: e },
    );
  }
  if (!response.ok) {
    const body = (await response.text().catch(() => '')).trim().slice(0, 500);
    throw new Error(
      `Pushgateway PUT ${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}${body ? `: ${body}` : ''}`,
    );
  }
}
