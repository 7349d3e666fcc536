/** The Pushgateway push with a recording fetch: the URL of the group, the request, the errors. */
import { describe, expect, it } from 'vitest';
import { PROMETHEUS_TEXT_CONTENT_TYPE } from '../../functions/engine/export/prometheus-text.ts';
import { groupingSegment, pushgatewayUrl, pushMetrics } from '../../functions/sinks/pushgateway.ts';

/** A fetch that records its calls and answers `status`. */
function recordingFetch(status = 200, body = '') {
  const calls: Array<{ url: string; init: RequestInit }> = [];
  const fn = (async (url: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(url), init: init ?? {} });
    return new Response(body, { status, statusText: status === 200 ? 'OK' : 'Bad Request' });
  }) as typeof fetch;
  return { fn, calls };
}

describe('the group URL', () => {
  it('percent-encodes plain values and uses @base64 for a slash or an empty value', () => {
    expect(groupingSegment('endpoint', 'xgb churn €')).toBe('/endpoint/xgb%20churn%20%E2%82%AC');
    expect(groupingSegment('endpoint', 'team/a')).toBe(
      `/endpoint@base64/${Buffer.from('team/a').toString('base64url')}`,
    );
    expect(groupingSegment('endpoint', 'team/a')).toBe('/endpoint@base64/dGVhbS9h');
    expect(groupingSegment('schedule', '')).toBe('/schedule@base64/=');
    expect(groupingSegment('endpoint', '?#%')).toBe('/endpoint/%3F%23%25');
  });

  it('keeps a path prefix, drops a trailing slash and moves credentials to a header', () => {
    expect(
      pushgatewayUrl({ url: 'https://u:p%40ss@pgw.example.com/prefix/', endpoint: 'e', schedule: 's' }),
    ).toEqual({
      url: 'https://pgw.example.com/prefix/metrics/job/driftwatch/endpoint/e/schedule/s',
      authorization: `Basic ${Buffer.from('u:p@ss').toString('base64')}`,
    });
    expect(pushgatewayUrl({ url: 'http://localhost:9091', endpoint: 'e', schedule: 's' })).toEqual({
      url: 'http://localhost:9091/metrics/job/driftwatch/endpoint/e/schedule/s',
      authorization: null,
    });
  });

  it('refuses what is not an http(s) URL, naming it', () => {
    expect(() => pushgatewayUrl({ url: 'pgw:9091x', endpoint: 'e', schedule: 's' })).toThrow(
      '--pushgateway pgw:9091x: use an http:// or https:// URL',
    );
    expect(() => pushgatewayUrl({ url: 'not a url', endpoint: 'e', schedule: 's' })).toThrow(
      '--pushgateway "not a url": not a URL; give http://HOST:9091',
    );
  });
});

describe('pushMetrics', () => {
  it('PUTs the text with the exposition content type', async () => {
    const { fn, calls } = recordingFetch();

    await pushMetrics(fn, { url: 'http://pgw:9091', endpoint: 'e', schedule: 's' }, 'x{a="b"} 1\n');

    expect(calls).toHaveLength(1);
    expect(calls[0]!.url).toBe('http://pgw:9091/metrics/job/driftwatch/endpoint/e/schedule/s');
    expect(calls[0]!.init.method).toBe('PUT');
    expect(calls[0]!.init.headers).toEqual({ 'Content-Type': PROMETHEUS_TEXT_CONTENT_TYPE });
    expect(calls[0]!.init.body).toBe('x{a="b"} 1\n');
  });

  it('names the URL, the status and the reason of a refusal, never the credentials', async () => {
    const { fn } = recordingFetch(400, 'pushed metrics are invalid\n');

    await expect(
      pushMetrics(fn, { url: 'http://u:secret@pgw:9091', endpoint: 'e', schedule: 's' }, ''),
    ).rejects.toThrow(
      'Pushgateway PUT http://pgw:9091/metrics/job/driftwatch/endpoint/e/schedule/s answered HTTP 400 Bad Request: pushed metrics are invalid',
    );
  });

  it('names the URL when the network fails', async () => {
    const failing = (async () => {
      throw new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:9') });
    }) as typeof fetch;

    await expect(
      pushMetrics(failing, { url: 'http://127.0.0.1:9', endpoint: 'e', schedule: 's' }, ''),
    ).rejects.toThrow(
      'Pushgateway PUT http://127.0.0.1:9/metrics/job/driftwatch/endpoint/e/schedule/s failed: fetch failed (connect ECONNREFUSED 127.0.0.1:9); is the Pushgateway running and reachable?',
    );
  });
});
