import { describe, expect, it } from 'vitest';
import { logLine } from '../../functions/contracts/log-line.ts';

describe('a log line', () => {
  it('is one JSON object: level and message first, then the fields in their order', () => {
    const line = logLine('warn', 'index: report left out', { endpoint: 'churn-xgb', issue: 'skipping x' });

    expect(line).toBe(
      '{"level":"warn","message":"index: report left out","endpoint":"churn-xgb","issue":"skipping x"}',
    );
  });

  it('leaves out fields that are undefined, as JSON does', () => {
    expect(logLine('info', 'window monitored', { endpoint: 'e', fanOut: undefined })).toBe(
      '{"level":"info","message":"window monitored","endpoint":"e"}',
    );
    expect(logLine('error', 'failed')).toBe('{"level":"error","message":"failed"}');
  });
});
