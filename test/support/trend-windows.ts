/**
 * Many windows for the trend page at production scale: `hourlyTrendInputs(336)` is two weeks of
 * hourly reports of a ten-feature binary classifier with every monitor (model quality with an
 * estimate, multivariate, bias), drifting in recognisable episodes. Deterministic (seeded), so a
 * page built from them has the same bytes on every run.
 */
import type { FeatureDrift } from '../../functions/engine/drift/compare.ts';
import type { TrendInput } from '../../functions/engine/render/trends-html.ts';
import type { Report } from '../../functions/engine/report/report-model.ts';
import { mulberry32 } from '../../functions/engine/stats/seeded-random.ts';
import {
  biasSection,
  multivariateResult,
  report,
  feature as reportFeature,
} from '../sinks/report-fixture.ts';

/** The features: the example's churn model's, half numeric, half categorical. */
export const TREND_FEATURES = [
  'account_length',
  'day_mins',
  'eve_mins',
  'night_mins',
  'intl_mins',
  'custserv_calls',
  'plan',
  'vmail_plan',
  'state',
  'score',
] as const;

export interface TrendWindowsOptions {
  /** The first window's start. @default 2026-11-16T00:00:00Z (a Monday) */
  first?: string;
  /** Hours between window starts (and each window's length). @default 1 */
  hours?: number;
  /** @default 7 */
  seed?: number;
}

/**
 * `n` windows from `first`, each at `path` `YYYY-MM-DDTHH/report.html`. day_mins drifts for
 * six hours every third day, plan from the start of the second week on, score in one spike;
 * accuracy dips below its constraint (a quality violation) with day_mins.
 */
export function hourlyTrendInputs(n: number, options: TrendWindowsOptions = {}): TrendInput[] {
  const first = Date.parse(options.first ?? '2026-11-16T00:00:00Z');
  const step = (options.hours ?? 1) * 3_600_000;
  const next = mulberry32(options.seed ?? 7);
  return Array.from({ length: n }, (_, i) => {
    const start = new Date(first + i * step);
    const end = new Date(first + (i + 1) * step);
    const hourOfRun = (i * step) / 3_600_000;
    const day = Math.floor(hourOfRun / 24);
    const dayMinsEpisode = day % 3 === 2 && hourOfRun % 24 >= 9 && hourOfRun % 24 < 15;
    const features: FeatureDrift[] = TREND_FEATURES.map((name, f) => {
      const numeric = f < 6 || name === 'score';
      let distance = 0.02 + next() * 0.05;
      if (name === 'day_mins' && dayMinsEpisode) distance = 0.18 + next() * 0.1;
      if (name === 'plan' && hourOfRun >= 168) distance = 0.11 + next() * 0.08;
      if (name === 'score' && i === Math.floor(n * 0.6)) distance = 0.4;
      return reportFeature(name, {
        type: numeric ? 'numeric' : 'categorical',
        role: name === 'score' ? 'output' : 'input',
        count: 1000,
        distance,
        threshold: 0.1,
        drifted: distance > 0.1,
        distanceMetric: numeric ? 'linfRobust' : 'linf',
      });
    });
    const accuracy = dayMinsEpisode ? 0.78 + next() * 0.02 : 0.86 + next() * 0.04;
    const violations = features
      .filter((f) => f.drifted)
      .map((f) => ({
        feature_name: f.name,
        constraint_check_type: 'baseline_drift_check' as const,
        description: `distance of ${f.name} exceeds its threshold`,
      }));
    const r: Report = report(features, violations, {
      window: { start: start.toISOString(), end: end.toISOString() },
      generatedAt: new Date(end.getTime() + 600_000).toISOString(),
      records: {
        total: 1000 + Math.round(next() * 200),
        profiled: 990,
        rejected: Math.round(next() * 10),
        rejectedByReason: {},
        outsideWindow: 0,
      },
      quality: {
        problemType: 'BinaryClassification',
        metrics: {
          accuracy,
          precision: accuracy - 0.1,
          recall: accuracy - 0.15,
          f1: accuracy - 0.12,
          auc: accuracy + 0.05,
          confusionMatrix: { tn: 1, fp: 1, fn: 1, tp: 1 },
        },
        estimated: { accuracy: accuracy + 0.01 },
        violations:
          accuracy < 0.8
            ? [
                {
                  metric_name: 'accuracy',
                  constraint_check_type: 'LessThanThreshold',
                  description: `accuracy ${accuracy.toFixed(3)} is below 0.8`,
                },
              ]
            : [],
      } as unknown as Report['quality'],
      multivariate: multivariateResult({
        value: dayMinsEpisode ? 1.2 : 1 + next() * 0.05,
        drifted: dayMinsEpisode,
      }),
      bias: biasSection({ violations: dayMinsEpisode ? 1 : 0 }),
    });
    const iso = start.toISOString();
    return { path: `${iso.slice(0, 13)}/report.html`, report: r };
  });
}
