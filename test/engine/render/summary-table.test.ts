// The terminal summary `driftwatch run` prints: names, categories, labels and warnings come
// from data, and a terminal or a CI log must show them, never obey them.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WindowQuality } from '../../../functions/engine/quality/window-quality.ts';
import { formatTable, summaryTable } from '../../../functions/engine/render/summary-table.ts';
import { terminalText } from '../../../functions/engine/render/terminal-text.ts';
import type { Report } from '../../../functions/engine/report/report-model.ts';
import { biasSection, feature, multivariateResult, report } from '../../sinks/report-fixture.ts';

/** What a terminal, a log reader or a bidi renderer acts on; a summary holds none but its line ends. */
const ACTIVE =
  /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
/** A GitHub Actions workflow command: `::` at the start of a line, after blanks. */
const WORKFLOW_COMMAND = /^\s*::/m;

const HOSTILE = [
  'ok\n::error file=a.ts::pwned',
  '\u001b[2J\u001b[31mred\u001b[0m',
  'cr\roverwritten',
  '::warning::at the start',
  '  ::set-output name=x::y',
  'abc\u202Efed\u202C and \u2066iso\u2069',
  '\u009b31mC1 CSI',
  'line\u2028separator',
  'bell\u0007 tab\t del\u007f',
];

function quality(name: string): WindowQuality {
  return {
    problemType: 'MulticlassClassification',
    threshold: null,
    matched: 10,
    unmatchedPredictions: 0,
    unmatchedLabels: 0,
    duplicateLabels: 0,
    join: { labelsRejected: 0 },
    invalidLabels: 0,
    invalidPredictions: 0,
    metrics: null,
    estimated: null,
    violations: [
      { metric_name: name, constraint_check_type: 'LessThanThreshold', description: `${name} fell` },
    ],
    slices: [
      {
        feature: name,
        slice: name,
        support: 40,
        measure: 'errorRate',
        error: 0.5,
        difference: 0.2,
        unseen: true,
      },
    ],
    minSliceSupport: 30,
    notes: [`labels of ${name}`],
  } as unknown as WindowQuality;
}

function hostileReport(names: readonly string[]): Report {
  return report(
    names.map((n) => feature(n, { distance: 0.3, drifted: true, note: n, distanceMetric: n })),
    names.map((n) => ({
      feature_name: n,
      constraint_check_type: 'completeness_check' as const,
      description: `feature "${n}" is missing`,
    })),
    {
      warnings: names.map((n) => `column ${n} was skipped`),
      quality: quality(names[0] ?? 'x'),
      multivariate: multivariateResult(),
      bias: biasSection({
        facets: names.map((n) => ({ ...biasSection().facets[0]!, facet: n, value: n })),
        violations: names.length,
      }),
      window: { start: names[0] ?? null, end: null },
    },
  );
}

describe('summaryTable', () => {
  it('prints every name as text: no control character, no line of its own, no workflow command', () => {
    const out = summaryTable(hostileReport(HOSTILE));
    const plain = summaryTable(hostileReport(HOSTILE.map((_, i) => `name${i}`)));

    expect(out).not.toMatch(ACTIVE);
    expect(out).not.toMatch(WORKFLOW_COMMAND);
    // The names took no lines: the summary has the lines it has with plain names.
    expect(out.split('\n')).toHaveLength(plain.split('\n').length);
    expect(out).toContain('ok\\x0a::error file=a.ts::pwned');
    expect(out).toContain('\\x1b[2J\\x1b[31mred\\x1b[0m');
    expect(out).toContain('cr\\x0doverwritten');
    expect(out).toContain('\\x3a:warning::at the start');
    expect(out).toContain('abc\\u202efed\\u202c and \\u2066iso\\u2069');
    expect(out).toContain('Warning: column \\x9b31mC1 CSI was skipped');
  });

  it('keeps names inert whatever they hold (property)', () => {
    const name = fc.string({ unit: 'binary', maxLength: 30 });
    fc.assert(
      fc.property(fc.array(name, { minLength: 1, maxLength: 4 }), (names) => {
        const out = summaryTable(hostileReport(names));
        expect(out).not.toMatch(ACTIVE);
        expect(out).not.toMatch(WORKFLOW_COMMAND);
        const plain = summaryTable(hostileReport(names.map((_, i) => `name${i}`)));
        expect(out.split('\n')).toHaveLength(plain.split('\n').length);
      }),
      { numRuns: 60 },
    );
  });
});

describe('the multivariate line', () => {
  it('gives the error, its sampling error and the band on one line, and says when it drifted', () => {
    const line = (r: Report) =>
      summaryTable(r)
        .split('\n')
        .find((l) => l.startsWith('Multivariate'));

    expect(line(report([feature('a')], [], { multivariate: multivariateResult() }))).toBe(
      'Multivariate: 1.23 ± 0.01 (band 0.95–1.08) DRIFTED',
    );
    expect(
      line(report([feature('a')], [], { multivariate: multivariateResult({ value: 1, drifted: false }) })),
    ).toBe('Multivariate: 1 ± 0.01 (band 0.95–1.08) within the band');
    expect(line(report([feature('a')], [], { multivariate: null }))).toBe(
      'Multivariate: not measured (the baseline has no multivariate model)',
    );
    expect(line(report([feature('a')]))).toBeUndefined();
  });
});

describe('formatTable', () => {
  it('aligns the escaped cells', () => {
    expect(
      formatTable([
        ['a\nb', 'c'],
        ['dd', 'e'],
      ]),
    ).toEqual(['a\\x0ab  c', 'dd      e']);
  });
});

describe('terminalText', () => {
  it('leaves ordinary text, non-Latin scripts and emoji as they are', () => {
    for (const s of ['tenure', 'Total Charges', 'größe 📈 데이터', 'a::b', 'C:\\path', 'x: y'])
      expect(terminalText(s)).toBe(s);
  });
});
