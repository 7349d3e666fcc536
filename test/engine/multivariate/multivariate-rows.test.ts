/**
 * The profiler's multivariate sink encodes tapped values itself (categories straight from the
 * bytes of a capture field): it must score every kind of value exactly as the documented row
 * reader does (row-values.ts through `MultivariateScore.addRow`).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitMultivariateModel } from '../../../functions/engine/multivariate/multivariate-fit.ts';
import {
  featureValue,
  MultivariateRowSink,
} from '../../../functions/engine/multivariate/multivariate-rows.ts';
import { MultivariateScore } from '../../../functions/engine/multivariate/multivariate-score.ts';
import type { FeatureValue } from '../../../functions/engine/multivariate/row-values.ts';
import { ByteSpan } from '../../../functions/engine/profile/row-sink.ts';

interface OracleCase {
  name: string;
  columns: string[];
  categorical: string[];
  baseline: FeatureValue[][];
}
const ORACLE = JSON.parse(
  readFileSync(new URL('../../fixtures/oracle/multivariate-cases.json', import.meta.url), 'utf8'),
) as { cases: OracleCase[] };
const CASE = ORACLE.cases.find((c) => c.name.startsWith('missing values'))!;
const fit = fitMultivariateModel(
  CASE.columns.map((name) => ({ name, kind: CASE.categorical.includes(name) ? 'categorical' : 'numeric' })),
  () => CASE.baseline,
);
const model = fit.model!;

/** A value as the profiler may tap it: numbers, texts, spans of ASCII bytes, JSON values. */
const span = (text: string) =>
  new ByteSpan().set(new TextEncoder().encode(`..${text}..`), 2, 2 + text.length);
const tapped = fc.oneof(
  fc.double(),
  fc.constantFrom('red', 'green', 'blue', 'purple', '', ' 1', '0x1f', 'Infinity', '12.5', 'true', 'é'),
  fc.constantFrom('red', 'green', 'blue', 'purple', '12.5', '-3', '1e3', 'x').map(span),
  fc.constantFrom(true, false, null, undefined, { a: 1 }, [1]),
);

describe('MultivariateRowSink', () => {
  it('scores any tapped values exactly as the row reader does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(tapped, { minLength: 5, maxLength: 5 }), { minLength: 1, maxLength: 40 }),
        (rows) => {
          const sink = new MultivariateRowSink(model);
          const reference = new MultivariateScore(model);
          sink.beginObject();
          reference.beginBlock();
          for (const row of rows) {
            sink.row(undefined, row);
            reference.addRow(row.map(featureValue));
          }
          expect(sink.score.result()).toEqual(reference.result());
        },
      ),
      { numRuns: 300 },
    );
  });

  it('reads a category from the bytes of a field as from its text', () => {
    const row = (e: unknown) => [50, 20, 0.5, 2, e];
    const a = new MultivariateRowSink(model);
    const b = new MultivariateRowSink(model);
    for (const c of ['red', 'green', 'blue', 'purple']) {
      a.row(undefined, row(span(c)));
      b.row(undefined, row(c));
    }
    expect(a.score.result()).toEqual(b.score.result());
  });
});
