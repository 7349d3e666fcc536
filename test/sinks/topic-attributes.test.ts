import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AttributeError,
  messageKind,
  readSummaryAttributes,
} from '../../functions/contracts/topic-attributes.ts';
import { retrainingAttributes, summaryAttributes } from '../../functions/sinks/topic-attributes.ts';
import {
  attributionSection,
  attributionViolation,
  biasSection,
  driftViolation,
  feature,
  multivariateResult,
  multivariateViolation,
  report,
} from './report-fixture.ts';

/** Attributes as SNS delivers them to a Lambda subscriber. */
function delivered(attributes: ReturnType<typeof summaryAttributes>) {
  return Object.fromEntries(
    Object.entries(attributes).map(([name, v]) => [name, { Type: v.DataType, Value: v.StringValue }]),
  );
}

describe('topic attributes', () => {
  it('read back as what the monitor wrote, for any endpoint, schedule and hour', () => {
    const r = report([feature('plan', { distance: 0.4, drifted: true })], [driftViolation('plan')]);
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }),
        fc.string({ minLength: 1 }),
        fc.integer({ min: 0, max: 200_000 }),
        (endpoint, scheduleName, hour) => {
          const windowStart = new Date(Date.UTC(2020, 0, 1) + hour * 3_600_000);
          const windowEnd = new Date(windowStart.getTime() + 3_600_000);
          const ctx = { endpoint, scheduleName, windowStart, windowEnd, reportLocation: 's3://b/r/' };

          const read = readSummaryAttributes(delivered(summaryAttributes(r, ctx)));

          expect(read).toEqual({
            ...ctx,
            datasetDrift: r.datasetDrift.detected,
            qualityViolations: 0,
            biasViolations: 0,
            multivariateDrift: false,
            attributionDrift: false,
          });
        },
      ),
    );
  });

  it("carry the bias and multivariate verdicts only when the report has them, within SNS's 10 attributes", () => {
    const ctx = {
      endpoint: 'churn-xgb',
      scheduleName: 'hourly',
      windowStart: new Date('2026-11-26T05:00:00Z'),
      windowEnd: new Date('2026-11-26T06:00:00Z'),
      reportLocation: 's3://b/r/',
    };
    const both = report([feature('plan')], [multivariateViolation()], {
      bias: biasSection({ violations: 2 }),
      multivariate: multivariateResult(),
    });
    const neither = report([feature('plan')], [], { bias: null, multivariate: null });

    const written = summaryAttributes(both, ctx);
    const read = readSummaryAttributes(delivered(written));

    expect(Object.keys(written)).toHaveLength(10);
    expect(written['driftwatch.biasViolations']).toEqual({ DataType: 'Number', StringValue: '2' });
    expect(written['driftwatch.multivariateDrift']).toEqual({ DataType: 'String', StringValue: 'true' });
    expect(read).toMatchObject({ biasViolations: 2, multivariateDrift: true });
    expect(Object.keys(summaryAttributes(neither, ctx))).toHaveLength(8);
    expect(readSummaryAttributes(delivered(summaryAttributes(neither, ctx)))).toMatchObject({
      biasViolations: 0,
      multivariateDrift: false,
      attributionDrift: false,
    });
    expect(() =>
      readSummaryAttributes({
        ...delivered(written),
        'driftwatch.biasViolations': { Type: 'Number', Value: '-1' },
      }),
    ).toThrow('message attribute driftwatch.biasViolations is not a count: "-1"');
  });

  it("carry the attribution verdict when it was measured, leaving out windowEnd to stay within SNS's 10", () => {
    const ctx = {
      endpoint: 'churn-xgb',
      scheduleName: 'hourly',
      windowStart: new Date('2026-11-26T05:00:00Z'),
      windowEnd: new Date('2026-11-26T06:00:00Z'),
      reportLocation: 's3://b/r/',
    };
    const every = report([feature('plan')], [multivariateViolation(), attributionViolation()], {
      bias: biasSection({ violations: 2 }),
      multivariate: multivariateResult(),
      attribution: attributionSection(),
    });
    const alone = report([feature('plan')], [attributionViolation()], { attribution: attributionSection() });
    const failed = report([feature('plan')], [], {
      attribution: attributionSection({ window: null, ndcg: null, drifted: false, error: 'refused' }),
    });

    const written = summaryAttributes(every, ctx);

    expect(Object.keys(written)).toHaveLength(10);
    expect(written['driftwatch.windowEnd']).toBeUndefined();
    expect(written['driftwatch.attributionDrift']).toEqual({ DataType: 'String', StringValue: 'true' });
    expect(readSummaryAttributes(delivered(written))).toEqual({
      ...ctx,
      datasetDrift: false,
      qualityViolations: 0,
      biasViolations: 2,
      multivariateDrift: true,
      attributionDrift: true,
    });
    const aloneWritten = summaryAttributes(alone, ctx);
    expect(Object.keys(aloneWritten)).toHaveLength(9);
    expect(aloneWritten['driftwatch.windowEnd']).toEqual({
      DataType: 'String',
      StringValue: '2026-11-26T06:00:00.000Z',
    });
    expect(summaryAttributes(failed, ctx)['driftwatch.attributionDrift']).toBeUndefined();
    expect(readSummaryAttributes(delivered(summaryAttributes(failed, ctx))).attributionDrift).toBe(false);
  });

  it('name the kind of message, and a summary without its attributes is refused by name', () => {
    expect(messageKind(delivered(retrainingAttributes('churn-xgb')))).toBe('retraining');
    expect(messageKind(undefined)).toBeUndefined();
    expect(() => readSummaryAttributes({})).toThrow(
      new AttributeError('window summary without the driftwatch.endpoint message attribute'),
    );
  });
});
