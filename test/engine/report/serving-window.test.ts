// Which model served a window, from what serves now and when the endpoint last changed; and
// the run summary's line about it.
import { describe, expect, it } from 'vitest';
import { summaryTable } from '../../../functions/engine/render/summary-table.ts';
import type { Report, ServingModel } from '../../../functions/engine/report/report-model.ts';
import { applyWindowModel, windowModel } from '../../../functions/engine/report/serving-window.ts';

const WINDOW = { start: new Date('2026-11-25T10:00:00Z'), end: new Date('2026-11-25T11:00:00Z') };

function serving(updated: string | null, config = 'cfg-7', model = 'm-7'): ServingModel {
  return {
    endpointName: 'churn-xgb',
    endpointConfigName: config,
    lastModifiedTime: updated,
    variants: [{ variantName: 'AllTraffic', modelName: model }],
  };
}

describe('windowModel', () => {
  it('records the model of a window the endpoint did not change in', () => {
    expect(windowModel(serving('2026-11-25T10:00:00.000Z'), WINDOW, undefined)).toEqual({
      model: serving('2026-11-25T10:00:00.000Z'),
      changedDuringWindow: false,
      note: null,
    });
    expect(windowModel(serving(null), WINDOW, undefined).changedDuringWindow).toBe(false);
  });

  it('flags a change inside the window unless the previous window had the same config and models', () => {
    const now = serving('2026-11-25T10:30:00.000Z');

    expect(windowModel(now, WINDOW, undefined).changedDuringWindow).toBe(true);
    expect(windowModel(now, WINDOW, null).changedDuringWindow).toBe(true);
    expect(
      windowModel(now, WINDOW, serving('2026-11-20T00:00:00.000Z', 'cfg-6', 'm-6')).changedDuringWindow,
    ).toBe(true);
    expect(windowModel(now, WINDOW, serving('2026-11-20T00:00:00.000Z'))).toEqual({
      model: now,
      changedDuringWindow: false,
      note: null,
    });
  });

  it('records no model when the endpoint changed after the window', () => {
    const m = windowModel(serving('2026-11-25T11:00:00.000Z'), WINDOW, undefined);

    expect(m.model).toBeNull();
    expect(m.changedDuringWindow).toBeUndefined();
    expect(m.note).toMatch(/^the endpoint was updated at 2026-11-25T11:00:00.000Z, after this window/);
  });
});

describe('the run summary', () => {
  it('names the serving model and says when the window spans a change', () => {
    const report: Report = {
      version: 1,
      window: { start: WINDOW.start.toISOString(), end: WINDOW.end.toISOString() },
      generatedAt: WINDOW.end.toISOString(),
      records: { total: 0, profiled: 0, rejected: 0, rejectedByReason: {}, outsideWindow: 0 },
      features: [],
      datasetDrift: { monitoredFeatures: 0, driftedFeatures: 0, share: 0, threshold: 0.5, detected: false },
      violations: [],
      quality: null,
      baseline: { source: 'driftwatch', path: 'b/' },
      warnings: [],
    };
    applyWindowModel(report, windowModel(serving('2026-11-25T10:30:00.000Z'), WINDOW, undefined));

    const text = summaryTable(report);

    expect(text).toContain('\nModel: endpoint config cfg-7: AllTraffic m-7 (CHANGED during the window)\n');
    expect(text).toContain(
      'Warning: the endpoint was updated at 2026-11-25T10:30:00.000Z, inside this window: records before that may come from the model served before (now serving endpoint config cfg-7: AllTraffic m-7)',
    );
  });
});
