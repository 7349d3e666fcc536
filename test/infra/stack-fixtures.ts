import { readFileSync } from 'node:fs';
import { App, type AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type DriftwatchConfig, parseConfig } from '../../infra/config/index.ts';
import { DriftwatchStack } from '../../infra/driftwatch-stack.ts';

/** The feature flags `cdk synth` runs with, so tests build the stack the CLI builds. */
export const CDK_CONTEXT: Record<string, unknown> = JSON.parse(
  readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8'),
).context;

/** A config exercising most options: two variants, listed features, quality, overrides. */
export const TEST_CONFIG_JSON = {
  alarmEmails: ['oncall@example.com'],
  endpoints: [
    {
      name: 'churn-endpoint',
      variants: ['AllTraffic', 'Shadow'],
      captureUri: 's3://capture-bucket/datacapture/',
      baselineUri: 's3://baseline-bucket/baselines/churn',
      groundTruthUri: 's3://labels-bucket/ground-truth',
      problemType: 'BinaryClassification',
      probabilityThreshold: 0.4,
      features: ['age', 'income'],
      featureThresholds: { income: 0.25, tenure: 0.3 },
      alarms: {
        quality: {
          auc: 0.8,
          false_positive_rate: { threshold: 0.2, evaluationPeriods: 6, datapointsToAlarm: 2 },
        },
        health: { modelLatencyP99Micros: 500000, invocationsMin: { threshold: 100, periodMinutes: 60 } },
      },
      emails: ['churn-team@example.com', 'oncall@example.com'],
    },
  ],
};

export function testConfig(json: unknown = TEST_CONFIG_JSON): DriftwatchConfig {
  return parseConfig(json, 'test.config.json');
}

/** Builds the stack without bundling (unit tests); `app` is returned for nag and synth checks. */
export function buildStack(
  config: DriftwatchConfig = testConfig(),
  appProps: AppProps = {},
): { app: App; stack: DriftwatchStack; template: Template } {
  const app = new App({
    ...appProps,
    context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...appProps.context },
  });
  const stack = new DriftwatchStack(app, 'Driftwatch', { config });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The template's resources of `type`, as `[logicalId, properties]`. */
export function resourcesOf(template: Template, type: string): [string, Record<string, unknown>][] {
  return Object.entries(template.findResources(type)).map(([id, resource]) => [
    id,
    (resource as { Properties: Record<string, unknown> }).Properties,
  ]);
}

/**
 * A CloudFormation string value (`Fn::Join` of literals, `Ref`s and `Fn::GetAtt`s) as plain text,
 * with `<Ref>` and `<Resource.Attribute>` in place of the references, so JSON built from tokens
 * (MONITOR_CONFIG, a dashboard body) can be parsed and asserted on.
 */
export function renderTokens(value: unknown): string {
  if (typeof value === 'string') return value;
  const node = value as Record<string, unknown>;
  const join = node['Fn::Join'] as [string, unknown[]] | undefined;
  if (join) return join[1].map(renderTokens).join(join[0]);
  const getAtt = node['Fn::GetAtt'] as [string, string] | undefined;
  if (getAtt) return `<${getAtt[0]}.${getAtt[1]}>`;
  if (typeof node.Ref === 'string') return `<${node.Ref}>`;
  throw new Error(`cannot render ${JSON.stringify(value)}`);
}
