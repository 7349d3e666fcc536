/**
 * Which windows an invocation of the monitor asks for: `{}` or nothing (the last complete hour),
 * an EventBridge scheduled event (the hour before its time), or a backfill
 * `{"endpoint", "start", "end"}` (every hour in [start, end)). Anything else is refused with a
 * message saying what the function takes.
 */
import type { MonitorRuntimeConfig } from '../contracts/monitor-config.ts';
import { HOUR_MS } from '../contracts/time.ts';

/** Most hours one backfill invocation takes. */
export const MAX_BACKFILL_HOURS = 744;

/** A hand invocation: profile every hour in [start, end), one window at a time. */
export interface BackfillEvent {
  endpoint: string;
  /** ISO-8601, on the hour. */
  start: string;
  /** ISO-8601, on the hour; not after the start of the current hour. */
  end: string;
}

/** Thrown for an invocation event the monitor cannot act on; the message says what it takes. */
export class MonitorEventError extends Error {}

const EVENT_FORMS =
  'invoke with {} (the last complete hour), an EventBridge scheduled event, or {"endpoint", "start", "end"} to backfill';

function hourStart(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}

function parseHour(value: unknown, field: 'start' | 'end'): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms))
    throw new MonitorEventError(
      `event.${field} must be an ISO-8601 time such as 2026-11-26T05:00:00Z; got ${JSON.stringify(value)}`,
    );
  if (ms % HOUR_MS !== 0)
    throw new MonitorEventError(
      `event.${field} ${value} is not on the hour; windows are whole UTC hours, e.g. ${new Date(hourStart(ms)).toISOString()}`,
    );
  return ms;
}

/** The hours of a backfill event, checked against the endpoint and the last complete hour. */
function backfillWindows(
  e: Record<string, unknown>,
  config: MonitorRuntimeConfig,
  lastComplete: number,
): number[] {
  if (e.endpoint !== config.endpoint)
    throw new MonitorEventError(
      `event.endpoint ${JSON.stringify(e.endpoint)} is not ${JSON.stringify(config.endpoint)}, the endpoint this function monitors; invoke that endpoint's monitor function`,
    );
  const start = parseHour(e.start, 'start');
  const end = parseHour(e.end, 'end');
  if (start >= end) throw new MonitorEventError(`event.start ${e.start} is not before event.end ${e.end}`);
  if (end > lastComplete + HOUR_MS)
    throw new MonitorEventError(
      `event.end ${e.end} is after the last complete hour, which ends at ${new Date(lastComplete + HOUR_MS).toISOString()}; an hour is profiled once it is over`,
    );
  const hours = (end - start) / HOUR_MS;
  if (hours > MAX_BACKFILL_HOURS)
    throw new MonitorEventError(
      `the backfill spans ${hours} hours; one invocation takes at most ${MAX_BACKFILL_HOURS}: split the range`,
    );
  return Array.from({ length: hours }, (_, i) => start + i * HOUR_MS);
}

/** The windows (start ms of each hour) an invocation event asks for. */
export function windowsOfEvent(event: unknown, config: MonitorRuntimeConfig, now: Date): number[] {
  const lastComplete = hourStart(now.getTime()) - HOUR_MS;
  if (event === null || event === undefined) return [lastComplete];
  if (typeof event !== 'object' || Array.isArray(event))
    throw new MonitorEventError(`the event is not an object; ${EVENT_FORMS}`);
  const e = event as Record<string, unknown>;
  if ('endpoint' in e || 'start' in e || 'end' in e) return backfillWindows(e, config, lastComplete);
  if (Object.keys(e).length === 0) return [lastComplete];
  // An EventBridge rule's scheduled event: its time, not the clock, names the hour, so a retry
  // profiles the same window.
  if (
    e['detail-type'] === 'Scheduled Event' &&
    typeof e.time === 'string' &&
    !Number.isNaN(Date.parse(e.time))
  )
    return [hourStart(Date.parse(e.time)) - HOUR_MS];
  throw new MonitorEventError(`unknown event with keys ${Object.keys(e).join(', ')}; ${EVENT_FORMS}`);
}
