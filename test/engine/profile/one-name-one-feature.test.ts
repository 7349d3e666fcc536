/**
 * One input, one feature (issue: hardening): an input and an output that share a name never
 * merge into one profile with doubled counts. The output is named `NAME_output`, whichever side
 * came first and however the window was split into parts.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { WindowProfile } from '../../../functions/engine/profile/window-profile.ts';
import { WindowProfiler } from '../../../functions/engine/profile/window-profiler.ts';
import { captureLine, csvSide, jsonSide, profileLines, separateSchema } from '../../support/capture-lines.ts';

const schema = () => separateSchema({ age: 'numeric', city: 'categorical' }, { score: 'numeric' });

/** Present values and role of each feature, by name. */
function features(p: WindowProfile): Record<string, { role: string; present: number; missing: number }> {
  const out: Record<string, { role: string; present: number; missing: number }> = {};
  for (const [name, f] of p.features) out[name] = { role: f.role, present: f.present, missing: f.missing };
  return out;
}

const both = captureLine({ input: jsonSide({ age: 30, city: 'Rome', x: 1 }), output: jsonSide({ x: 0.7 }) });
const outputOnly = captureLine({ input: jsonSide({ age: 41, city: 'Lyon' }), output: jsonSide({ x: 0.2 }) });
const inputOnly = captureLine({
  input: jsonSide({ age: 52, city: 'Oslo', x: 3 }),
  output: jsonSide({ score: 0.1 }),
});

describe('an input and an output with one name', () => {
  it('are two features: the input keeps the name, the output is NAME_output', () => {
    const p = profileLines(new WindowProfiler(schema()), [both, both]);

    expect(features(p).x).toEqual({ role: 'input', present: 2, missing: 0 });
    expect(features(p).x_output).toEqual({ role: 'output', present: 2, missing: 0 });
  });

  it('give the same features whichever side came first', () => {
    const outputFirst = profileLines(new WindowProfiler(schema()), [outputOnly, both, inputOnly]);
    const inputFirst = profileLines(new WindowProfiler(schema()), [inputOnly, both, outputOnly]);

    expect(features(outputFirst)).toEqual(features(inputFirst));
    expect(features(inputFirst).x?.role).toBe('input');
    expect(features(inputFirst).x_output?.role).toBe('output');
    expect(features(inputFirst).x_output?.present).toBe(2);
  });

  it('give the same features however the window is split and merged', () => {
    const lines = [outputOnly, both, inputOnly, outputOnly, both];
    const whole = features(profileLines(new WindowProfiler(schema()), lines));
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: lines.length, maxLength: lines.length }),
        fc.boolean(),
        (side, aFirst) => {
          const a = profileLines(
            new WindowProfiler(schema()),
            lines.filter((_, i) => side[i]),
          );
          const b = profileLines(
            new WindowProfiler(schema()),
            lines.filter((_, i) => !side[i]),
          );
          const [first, second] = aFirst ? [a, b] : [b, a];
          const merged = WindowProfile.fromJSON(JSON.parse(JSON.stringify(first.toJSON())));
          merged.merge(WindowProfile.fromJSON(JSON.parse(JSON.stringify(second.toJSON()))));
          const got = features(merged);
          for (const name of Object.keys(whole)) expect(got[name], name).toEqual(whole[name]);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("a CSV output past the baseline's outputs named like an input column is prediction_output", () => {
    const s = separateSchema({ prediction: 'numeric', age: 'numeric' }, {});
    const line = captureLine({ input: csvSide('0.5,40'), output: csvSide('0.9') });

    const p = profileLines(new WindowProfiler(s), [line, line, line]);

    expect(features(p).prediction).toEqual({ role: 'input', present: 3, missing: 0 });
    expect(features(p).prediction_output).toEqual({ role: 'output', present: 3, missing: 0 });
  });

  it("an input named as one of the baseline's outputs is NAME_input, the output keeps its name", () => {
    const line = captureLine({
      input: jsonSide({ age: 30, city: 'Rome', score: 5 }),
      output: jsonSide({ score: 0.4 }),
    });

    const p = profileLines(new WindowProfiler(schema()), [line, line]);

    expect(features(p).score).toEqual({ role: 'output', present: 2, missing: 0 });
    expect(features(p).score_input).toEqual({ role: 'input', present: 2, missing: 0 });
  });
});
