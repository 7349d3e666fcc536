import { afterEach, describe, expect, it, vi } from 'vitest';
import { logger } from '../../functions/pipeline/log.ts';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the logger', () => {
  it("writes info and warn lines to the run's writer, error lines to stderr", () => {
    const out: string[] = [];
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
    const log = logger((line) => out.push(line));

    log.info('window monitored', { endpoint: 'e' });
    log.warn('index: report left out', { endpoint: 'e', issue: 'x' });
    log.log('warn', 'window incomplete', { endpoint: 'e' });
    log.error('index refresh failed', { endpoint: 'e', error: 'boom' });

    expect(out.map((l) => JSON.parse(l))).toEqual([
      { level: 'info', message: 'window monitored', endpoint: 'e' },
      { level: 'warn', message: 'index: report left out', endpoint: 'e', issue: 'x' },
      { level: 'warn', message: 'window incomplete', endpoint: 'e' },
    ]);
    expect(errors).toEqual([
      '{"level":"error","message":"index refresh failed","endpoint":"e","error":"boom"}',
    ]);
  });

  it('writes to the console of the moment without a writer', () => {
    const log = logger();
    const lines: string[] = [];
    // Replaced after the logger was made: it must still be the one written to.
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));

    log.info('posted to Slack', { endpoint: 'e', kind: 'alarm', attempts: 1 });

    expect(lines).toEqual([
      '{"level":"info","message":"posted to Slack","endpoint":"e","kind":"alarm","attempts":1}',
    ]);
  });
});
