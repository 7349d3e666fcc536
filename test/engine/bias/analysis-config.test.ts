/**
 * Clarify's analysis_config.json: what is read, every mistake reported (alone and all at once,
 * each naming its field and the fix), and the configuration against the data's columns.
 */
import { describe, expect, it } from 'vitest';
import {
  BiasConfigError,
  checkBiasConfigAgainstData,
  type DataColumn,
  parseBiasConfig,
} from '../../../functions/engine/bias/analysis-config.ts';
import { POST_TRAINING_METRICS, PRE_TRAINING_METRICS } from '../../../functions/engine/bias/bias-metrics.ts';

const VALID = {
  label: 'label',
  label_values_or_threshold: [1],
  facet: [{ name_or_index: 'region', value_or_threshold: ['south'] }],
  group_variable: 'group',
  probability_threshold: 0.5,
  methods: { pre_training_bias: { methods: 'all' }, post_training_bias: { methods: 'all' } },
};

/** VALID with `patch` applied (a key set to undefined is removed). */
function withFields(patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...structuredClone(VALID) };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

function problemsOf(json: unknown): readonly string[] {
  try {
    parseBiasConfig(json);
  } catch (e) {
    expect(e).toBeInstanceOf(BiasConfigError);
    return (e as BiasConfigError).problems;
  }
  throw new Error('expected a BiasConfigError');
}

describe('parseBiasConfig: what it reads', () => {
  it('reads the configuration of BIAS.md, with "all" as every metric but FT', () => {
    const config = parseBiasConfig(VALID);

    expect(config.label).toBe('label');
    expect(config.positive).toEqual({ values: [1] });
    expect(config.facets).toEqual([{ name: 'region', values: ['south'], value: 'south' }]);
    expect(config.groupVariable).toBe('group');
    expect(config.probabilityThreshold).toBe(0.5);
    expect(config.methods.preTraining).toEqual([...PRE_TRAINING_METRICS]);
    expect(config.methods.postTraining).toEqual([...POST_TRAINING_METRICS]);
    expect(config.methods.postTraining).not.toContain('FT');
    expect(config.headers).toBeNull();
  });

  it("defaults probability_threshold to Clarify's 0.5 and leaves an omitted stage uncomputed", () => {
    const config = parseBiasConfig(
      withFields({
        probability_threshold: undefined,
        group_variable: undefined,
        methods: { pre_training_bias: { methods: ['CI', 'DPL'] } },
      }),
    );

    expect(config.probabilityThreshold).toBe(0.5);
    expect(config.groupVariable).toBeNull();
    expect(config.methods.preTraining).toEqual(['CI', 'DPL']);
    expect(config.methods.postTraining).toEqual([]);
  });

  it('reads string labels such as "churn", and a bare number as a label threshold', () => {
    expect(parseBiasConfig(withFields({ label_values_or_threshold: ['churn'] })).positive).toEqual({
      values: ['churn'],
    });
    expect(parseBiasConfig(withFields({ label_values_or_threshold: 0.7 })).positive).toEqual({
      threshold: 0.7,
    });
  });

  it('reads one number as a facet threshold, text or several values as sensitive values', () => {
    const config = parseBiasConfig(
      withFields({
        facet: [
          { name_or_index: 'age', value_or_threshold: [60] },
          { name_or_index: 'sex', value_or_threshold: ['1'] },
          { name_or_index: 'region', value_or_threshold: ['south', 'west'] },
          { name_or_index: 'band', value_or_threshold: [1, 2] },
        ],
      }),
    );

    expect(config.facets).toEqual([
      { name: 'age', threshold: 60, value: '60' },
      { name: 'sex', values: ['1'], value: '1' },
      { name: 'region', values: ['south', 'west'], value: 'south,west' },
      { name: 'band', values: [1, 2], value: '1,2' },
    ]);
  });

  it('resolves column indices through headers', () => {
    const config = parseBiasConfig(
      withFields({
        headers: ['region', 'age', 'group', 'label'],
        label: 3,
        facet: [{ name_or_index: 1, value_or_threshold: [60] }],
        group_variable: 2,
      }),
    );

    expect(config.label).toBe('label');
    expect(config.facets[0]!.name).toBe('age');
    expect(config.groupVariable).toBe('group');
  });

  it('reads every analysis_config of the oracle cases', async () => {
    const { readFileSync } = await import('node:fs');
    const oracle = JSON.parse(
      readFileSync(new URL('../../fixtures/oracle/bias-cases.json', import.meta.url), 'utf8'),
    ) as { cases: { analysis_config: unknown }[] };

    for (const c of oracle.cases) expect(() => parseBiasConfig(c.analysis_config)).not.toThrow();
  });
});

describe('parseBiasConfig: each mistake names its field and the fix', () => {
  const cases: [string, unknown, string, string][] = [
    ['a file that is not an object', [1, 2], '(the file)', 'JSON object'],
    ['no label', withFields({ label: undefined }), 'label', 'is missing; name the label'],
    ['a label index without headers', withFields({ label: 4 }), 'label', 'add "headers"'],
    [
      'a label index past the headers',
      withFields({ headers: ['a', 'label'], label: 5 }),
      'label',
      'past the 2 columns',
    ],
    ['a label of the wrong type', withFields({ label: { name: 'x' } }), 'label', 'must be a column name'],
    [
      'no label values',
      withFields({ label_values_or_threshold: undefined }),
      'label_values_or_threshold',
      'is missing',
    ],
    [
      'an empty label list',
      withFields({ label_values_or_threshold: [] }),
      'label_values_or_threshold',
      'non-empty list',
    ],
    [
      'a null label value',
      withFields({ label_values_or_threshold: [1, null] }),
      'label_values_or_threshold[1]',
      'label value',
    ],
    ['no facet', withFields({ facet: undefined }), 'facet', 'is missing'],
    ['an empty facet list', withFields({ facet: [] }), 'facet', 'non-empty list'],
    ['a facet that is not an object', withFields({ facet: ['region'] }), 'facet[0]', 'must be an object'],
    [
      'a facet without a column',
      withFields({ facet: [{ value_or_threshold: ['x'] }] }),
      'facet[0].name_or_index',
      'is missing',
    ],
    [
      'a facet without values',
      withFields({ facet: [{ name_or_index: 'region' }] }),
      'facet[0].value_or_threshold',
      'is missing',
    ],
    [
      'a facet with an empty list',
      withFields({ facet: [{ name_or_index: 'region', value_or_threshold: [] }] }),
      'facet[0].value_or_threshold',
      'e.g. ["south"]',
    ],
    [
      'a facet on the label column',
      withFields({ facet: [{ name_or_index: 'label', value_or_threshold: [1] }] }),
      'facet[0].name_or_index',
      'a facet must be another column',
    ],
    [
      'a facet listed twice',
      withFields({
        facet: [
          { name_or_index: 'region', value_or_threshold: ['south'] },
          { name_or_index: 'region', value_or_threshold: ['south'] },
        ],
      }),
      'facet[1]',
      'list each column and value once',
    ],
    [
      'a group variable of the wrong type',
      withFields({ group_variable: true }),
      'group_variable',
      'column name',
    ],
    [
      'a group variable that is the label',
      withFields({ group_variable: 'label' }),
      'group_variable',
      'is the label column',
    ],
    [
      'a probability threshold as text',
      withFields({ probability_threshold: '0.5' }),
      'probability_threshold',
      'finite number',
    ],
    ['no methods', withFields({ methods: undefined }), 'methods', 'is missing'],
    [
      'methods without a stage',
      withFields({ methods: { shap: {} } }),
      'methods',
      'nothing would be computed',
    ],
    [
      'a stage without its list',
      withFields({ methods: { pre_training_bias: {} } }),
      'methods.pre_training_bias.methods',
      'give "all" or a list',
    ],
    [
      'an empty metric list',
      withFields({ methods: { pre_training_bias: { methods: [] } } }),
      'methods.pre_training_bias.methods',
      'non-empty list',
    ],
    [
      'an unknown metric',
      withFields({ methods: { pre_training_bias: { methods: ['CI', 'XYZ'] } } }),
      'methods.pre_training_bias.methods[1]',
      'is not a pre-training metric',
    ],
    [
      'the flip test',
      withFields({ methods: { post_training_bias: { methods: ['DI', 'FT'] } } }),
      'methods.post_training_bias.methods[1]',
      'not computed by driftwatch; remove it',
    ],
    [
      'a metric of the other stage',
      withFields({ methods: { pre_training_bias: { methods: ['DPPL'] } } }),
      'methods.pre_training_bias.methods[0]',
      'list it under methods.post_training_bias.methods',
    ],
    [
      'a metric in the wrong case',
      withFields({ methods: { post_training_bias: { methods: ['di'] } } }),
      'methods.post_training_bias.methods[0]',
      'use "DI"',
    ],
    [
      'headers naming a column twice',
      withFields({ headers: ['a', 'a'] }),
      'headers[1]',
      'list each column once',
    ],
    ['a version that is not text', withFields({ version: 1 }), 'version', 'must be text'],
  ];

  for (const [what, json, path, fix] of cases)
    it(`reports ${what}`, () => {
      const problems = problemsOf(json);

      expect(problems).toHaveLength(1);
      expect(problems[0]!.startsWith(`${path}: `), problems[0]).toBe(true);
      expect(problems[0]).toContain(fix);
    });

  it('reports several mistakes at once, in one message naming each field', () => {
    const json = {
      label: 7,
      label_values_or_threshold: [],
      facet: [
        { name_or_index: 'region', value_or_threshold: ['south'] },
        { name_or_index: 'age', value_or_threshold: 'sixty' },
      ],
      probability_threshold: 'high',
      methods: { pre_training_bias: { methods: ['CI', 'FT'] }, post_training_bias: { methods: ['Dl'] } },
    };

    let error: BiasConfigError | undefined;
    try {
      parseBiasConfig(json, 'bias/analysis_config.json');
    } catch (e) {
      error = e as BiasConfigError;
    }

    expect(error).toBeInstanceOf(BiasConfigError);
    expect(error!.problems.map((p) => p.slice(0, p.indexOf(': ')))).toEqual([
      'label',
      'label_values_or_threshold',
      'facet[1].value_or_threshold',
      'probability_threshold',
      'methods.pre_training_bias.methods[1]',
      'methods.post_training_bias.methods[0]',
    ]);
    expect(error!.message.startsWith('bias/analysis_config.json has 6 problems:\n')).toBe(true);
    for (const p of error!.problems) expect(error!.message).toContain(`  - ${p}`);
  });
});

describe('checkBiasConfigAgainstData', () => {
  const columns: DataColumn[] = [
    { name: 'region', kind: 'categorical' },
    { name: 'age', kind: 'numeric' },
    { name: 'group', kind: 'categorical' },
    { name: 'label', kind: 'numeric' },
    { name: 'score', kind: 'numeric' },
  ];

  it('finds nothing wrong with a configuration that fits the data', () => {
    const config = parseBiasConfig(
      withFields({
        facet: [
          { name_or_index: 'region', value_or_threshold: ['south'] },
          { name_or_index: 'age', value_or_threshold: [60] },
        ],
        headers: ['region', 'age', 'group', 'label', 'score'],
      }),
    );

    expect(checkBiasConfigAgainstData(config, columns)).toEqual([]);
  });

  const cases: [string, Record<string, unknown>, DataColumn[], string, string][] = [
    [
      'a label column the data lacks',
      { label: 'approved' },
      columns,
      'label',
      'column "approved" is not in the data',
    ],
    [
      'a label threshold on a categorical label',
      { label_values_or_threshold: 0.5 },
      columns.map((c) => (c.name === 'label' ? { ...c, kind: 'categorical' as const } : c)),
      'label_values_or_threshold',
      'list the positive label values instead',
    ],
    [
      'an unknown facet column',
      { facet: [{ name_or_index: 'income', value_or_threshold: [50000] }] },
      columns,
      'facet[0].name_or_index',
      'column "income" is not in the data',
    ],
    [
      'a threshold on a categorical column',
      { facet: [{ name_or_index: 'region', value_or_threshold: [60] }] },
      columns,
      'facet[0].value_or_threshold',
      'is categorical; list its sensitive values instead',
    ],
    [
      'a group variable the data lacks',
      { group_variable: 'cohort' },
      columns,
      'group_variable',
      'column "cohort"',
    ],
    [
      'headers that are not the columns',
      { headers: ['region', 'age', 'group', 'label', 'income'] },
      columns,
      'headers',
      'lists "income", not in the data and lacks "score", in the data',
    ],
    [
      'headers in another order',
      { headers: ['age', 'region', 'group', 'label', 'score'] },
      columns,
      'headers',
      'in another order',
    ],
  ];

  for (const [what, patch, data, path, fix] of cases)
    it(`reports ${what}`, () => {
      const problems = checkBiasConfigAgainstData(parseBiasConfig(withFields(patch)), data);

      expect(problems).toHaveLength(1);
      expect(problems[0]!.startsWith(`${path}: `), problems[0]).toBe(true);
      expect(problems[0]).toContain(fix);
    });

  it('reports every mismatch at once', () => {
    const config = parseBiasConfig(
      withFields({
        label: 'approved',
        facet: [{ name_or_index: 'region', value_or_threshold: [60] }],
        group_variable: 'cohort',
      }),
    );

    expect(checkBiasConfigAgainstData(config, columns).map((p) => p.slice(0, p.indexOf(': ')))).toEqual([
      'label',
      'facet[0].value_or_threshold',
      'group_variable',
    ]);
  });
});
