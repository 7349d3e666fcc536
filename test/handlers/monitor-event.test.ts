import { describe, expect, it } from 'vitest';
import type { MonitorRuntimeConfig } from '../../functions/contracts/monitor-config.ts';
import { windowsOfEvent } from '../../functions/pipeline/monitor-run.ts';

const config = { endpoint: 'churn-xgb' } as MonitorRuntimeConfig;
const NOW = new Date('2026-11-26T06:10:00Z');
const iso = (ms: number[]) => ms.map((t) => new Date(t).toISOString());

describe('the windows an invocation asks for', () => {
  it('is the last complete UTC hour for {} and for no event', () => {
    expect(iso(windowsOfEvent({}, config, NOW))).toEqual(['2026-11-26T05:00:00.000Z']);
    expect(iso(windowsOfEvent(undefined, config, new Date('2026-11-26T06:00:00Z')))).toEqual([
      '2026-11-26T05:00:00.000Z',
    ]);
  });

  it("is the hour before an EventBridge scheduled event's time, whenever it runs", () => {
    const event = {
      'detail-type': 'Scheduled Event',
      source: 'aws.events',
      time: '2026-11-26T03:05:00Z',
      detail: {},
    };

    expect(iso(windowsOfEvent(event, config, NOW))).toEqual(['2026-11-26T02:00:00.000Z']);
  });

  it('is every hour in [start, end) for a backfill', () => {
    const event = { endpoint: 'churn-xgb', start: '2026-11-25T22:00:00Z', end: '2026-11-26T01:00:00Z' };

    expect(iso(windowsOfEvent(event, config, NOW))).toEqual([
      '2026-11-25T22:00:00.000Z',
      '2026-11-25T23:00:00.000Z',
      '2026-11-26T00:00:00.000Z',
    ]);
  });

  it('says what is wrong with a backfill it cannot run', () => {
    const backfill = (over: object) => () =>
      windowsOfEvent(
        { endpoint: 'churn-xgb', start: '2026-11-26T01:00:00Z', end: '2026-11-26T03:00:00Z', ...over },
        config,
        NOW,
      );

    expect(backfill({ endpoint: 'other' })).toThrow('event.endpoint "other" is not "churn-xgb"');
    expect(backfill({ start: 'yesterday' })).toThrow('event.start must be an ISO-8601 time');
    expect(backfill({ start: '2026-11-26T01:30:00Z' })).toThrow(
      'event.start 2026-11-26T01:30:00Z is not on the hour; windows are whole UTC hours, e.g. 2026-11-26T01:00:00.000Z',
    );
    expect(backfill({ end: '2026-11-26T01:00:00Z' })).toThrow('is not before event.end');
    expect(backfill({ end: '2026-11-26T07:00:00Z' })).toThrow(
      'event.end 2026-11-26T07:00:00Z is after the last complete hour, which ends at 2026-11-26T06:00:00.000Z',
    );
    expect(backfill({ start: '2026-10-01T00:00:00Z' })).toThrow(
      'one invocation takes at most 744: split the range',
    );
  });

  it('refuses events it does not know', () => {
    expect(() => windowsOfEvent({ Records: [] }, config, NOW)).toThrow('unknown event with keys Records');
    expect(() => windowsOfEvent('run', config, NOW)).toThrow('the event is not an object');
  });
});
