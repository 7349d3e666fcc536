import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  fanOutFolder,
  hourPath,
  reportFolder,
  scheduleFolder,
  windowReportLocation,
} from '../../functions/contracts/report-layout.ts';

const WHERE = { endpoint: 'churn-xgb', scheduleName: 'hourly', reportsBucket: 'reports' };

describe('the report layout', () => {
  it("puts a window's files under its schedule's folder, by its start's UTC hour", () => {
    const start = new Date('2026-01-02T03:00:00Z');

    expect(scheduleFolder('churn-xgb', 'hourly')).toBe('reports/churn-xgb/hourly/');
    expect(reportFolder('churn-xgb', 'hourly', start)).toBe('reports/churn-xgb/hourly/2026/01/02/03/');
    expect(fanOutFolder('churn-xgb', 'hourly')).toBe('fan-out/churn-xgb/hourly/');
  });

  it('names a window folder by the hour any instant of it falls in', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01Z'), max: new Date('2999-12-31Z'), noInvalidDate: true }),
        (t) => {
          const hour = new Date(Math.floor(t.getTime() / 3_600_000) * 3_600_000);

          expect(hourPath(t)).toBe(hourPath(hour));
          expect(hourPath(t)).toBe(`${hour.toISOString().slice(0, 13).replace(/[-T]/g, '/')}/`);
        },
      ),
    );
  });

  it('locates a window report under the reports prefix, with or without one', () => {
    const start = new Date('2026-11-26T05:00:00Z');

    expect(windowReportLocation({ ...WHERE, reportsPrefix: '' }, start)).toBe(
      's3://reports/reports/churn-xgb/hourly/2026/11/26/05/',
    );
    expect(windowReportLocation({ ...WHERE, reportsPrefix: 'ml' }, start)).toBe(
      's3://reports/ml/reports/churn-xgb/hourly/2026/11/26/05/',
    );
    expect(windowReportLocation({ ...WHERE, reportsPrefix: 'ml/' }, start)).toBe(
      's3://reports/ml/reports/churn-xgb/hourly/2026/11/26/05/',
    );
  });
});
