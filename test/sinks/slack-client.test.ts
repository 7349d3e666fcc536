// postToSlack against a scripted fetch: what is retried, how long it waits, when it gives up.
import { describe, expect, it } from 'vitest';
import { type FetchLike, postToSlack, SlackWebhookError } from '../../functions/sinks/slack-client.ts';
import type { SlackPayload } from '../../functions/sinks/slack-message.ts';

const URL = 'https://hooks.slack.com/services/T0000/B0000/secretsecretsecret';
const PAYLOAD: SlackPayload = {
  text: 'hello',
  blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hello' } }],
};

type Answer = { status: number; body?: string; headers?: Record<string, string> } | Error;

/** A fetch answering from `answers` in order, recording each request. */
function scriptedFetch(answers: Answer[]) {
  const requests: { url: string; method: string; headers: Record<string, string>; body: string }[] = [];
  const fetch: FetchLike = async (url, init) => {
    requests.push({ url, method: init.method, headers: init.headers, body: init.body });
    const answer = answers.shift();
    if (!answer) throw new Error('no more scripted answers');
    if (answer instanceof Error) throw answer;
    return {
      status: answer.status,
      ok: answer.status >= 200 && answer.status < 300,
      text: async () => answer.body ?? '',
      headers: new Headers(answer.headers ?? {}),
    };
  };
  return { fetch, requests };
}

function recordedSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}

describe('postToSlack', () => {
  it('POSTs the payload as JSON once when Slack answers 200 ok', async () => {
    const { fetch, requests } = scriptedFetch([{ status: 200, body: 'ok' }]);
    const { waits, sleep } = recordedSleep();

    const result = await postToSlack(URL, PAYLOAD, { fetch, sleep });

    expect(result).toEqual({ attempts: 1, status: 200 });
    expect(requests).toEqual([
      {
        url: URL,
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify(PAYLOAD),
      },
    ]);
    expect(waits).toEqual([]);
  });

  it('waits what Retry-After asks after a 429, then posts again', async () => {
    const { fetch, requests } = scriptedFetch([
      { status: 429, body: 'rate_limited', headers: { 'Retry-After': '3' } },
      { status: 200, body: 'ok' },
    ]);
    const { waits, sleep } = recordedSleep();

    const result = await postToSlack(URL, PAYLOAD, { fetch, sleep });

    expect(result).toEqual({ attempts: 2, status: 200 });
    expect(waits).toEqual([3000]);
    expect(requests.map((r) => r.body)).toEqual([JSON.stringify(PAYLOAD), JSON.stringify(PAYLOAD)]);
  });

  it('reads an HTTP-date Retry-After against the clock, and caps any wait at maxDelayMs', async () => {
    const now = () => new Date('2026-11-26T06:00:00Z');
    const { fetch } = scriptedFetch([
      { status: 429, headers: { 'Retry-After': 'Thu, 26 Nov 2026 06:00:07 GMT' } },
      { status: 429, headers: { 'Retry-After': '600' } },
      { status: 200 },
    ]);
    const { waits, sleep } = recordedSleep();

    await postToSlack(URL, PAYLOAD, { fetch, sleep, now, maxDelayMs: 20_000 });

    expect(waits).toEqual([7000, 20_000]);
  });

  it('backs off exponentially after a 500, then succeeds', async () => {
    const { fetch } = scriptedFetch([
      { status: 500, body: 'internal_error' },
      { status: 200, body: 'ok' },
    ]);
    const { waits, sleep } = recordedSleep();

    const result = await postToSlack(URL, PAYLOAD, { fetch, sleep, baseDelayMs: 1000 });

    expect(result).toEqual({ attempts: 2, status: 200 });
    expect(waits).toEqual([1000]);
  });

  it('retries a network failure like a 5xx', async () => {
    const { fetch } = scriptedFetch([new TypeError('fetch failed'), { status: 200 }]);
    const { waits, sleep } = recordedSleep();

    await expect(postToSlack(URL, PAYLOAD, { fetch, sleep })).resolves.toEqual({ attempts: 2, status: 200 });
    expect(waits).toEqual([1000]);
  });

  it('throws after maxAttempts when Slack keeps answering 500, having waited 1, 2 and 4 s', async () => {
    const { fetch, requests } = scriptedFetch(
      Array.from({ length: 4 }, () => ({ status: 503, body: 'down' })),
    );
    const { waits, sleep } = recordedSleep();

    const error = await postToSlack(URL, PAYLOAD, { fetch, sleep, maxAttempts: 4 }).catch((e) => e);

    expect(error).toBeInstanceOf(SlackWebhookError);
    expect(error).toMatchObject({ status: 503, attempts: 4, retryable: true });
    expect(error.message).toBe('Slack did not take the message after 4 attempts; last: HTTP 503: "down"');
    expect(requests).toHaveLength(4);
    expect(waits).toEqual([1000, 2000, 4000]);
  });

  it('does not retry what retrying cannot fix (404 no_service), and says what to check', async () => {
    const { fetch, requests } = scriptedFetch([{ status: 404, body: 'no_service' }]);
    const { waits, sleep } = recordedSleep();

    const error = await postToSlack(URL, PAYLOAD, { fetch, sleep }).catch((e) => e);

    expect(error).toMatchObject({ status: 404, attempts: 1, retryable: false });
    expect(error.message).toBe(
      'Slack refused the message with HTTP 404: "no_service"; check the webhook secret (a revoked or rotated webhook answers 403/404) and the channel',
    );
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('never puts the webhook URL in an error, even when the network error message has it', async () => {
    const { fetch } = scriptedFetch([
      new TypeError(`fetch failed for ${URL}`),
      new TypeError(`fetch failed for ${URL}`),
    ]);
    const { sleep } = recordedSleep();

    const error: Error = await postToSlack(URL, PAYLOAD, { fetch, sleep, maxAttempts: 2 }).catch((e) => e);

    expect(error.message).toBe(
      'Slack did not take the message after 2 attempts; last: no answer (TypeError)',
    );
    expect(`${error.message}${error.stack}`).not.toContain('hooks.slack.com');
  });
});
