import { readFileSync } from 'node:fs';
import { App, type AppProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ConfigError, type DriftwatchConfig, parseConfig } from '../../infra/config/index.ts';
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
        health: { modelLatencyMicros: 500000, invocationsMin: { threshold: 100, periodMinutes: 60 } },
      },
      emails: ['churn-team@example.com', 'oncall@example.com'],
    },
  ],
};

export function testConfig(json: unknown = TEST_CONFIG_JSON): DriftwatchConfig {
  return parseConfig(json, 'test.config.json');
}

/**
 * Builds the stack without bundling (unit tests); `app` is returned for nag and synth checks.
 * `template` is the whole deployment as one template: see {@link deploymentTemplate}.
 */
export function buildStack(
  config: DriftwatchConfig = testConfig(),
  appProps: AppProps = {},
): { app: App; stack: DriftwatchStack; template: Template } {
  const app = new App({
    ...appProps,
    context: { ...CDK_CONTEXT, 'aws:cdk:bundling-stacks': [], ...appProps.context },
  });
  const stack = new DriftwatchStack(app, 'Driftwatch', { config });
  return { app, stack, template: deploymentTemplate(stack) };
}

type TemplateJson = {
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  Parameters?: Record<string, unknown>;
  [section: string]: unknown;
};

/**
 * The parent stack's template with the resources of each endpoint's nested stack added, every
 * `Ref` to a nested stack parameter replaced by the value the parent passes it. Each endpoint's
 * resources sit in a nested stack of their own (infra/constructs/endpoint-stack.ts); this puts
 * them back in one template as a deployment sees them, so `<ReportsBucket....Arn>` reads the same
 * in a nested policy as it did when everything was one stack.
 */
export function deploymentTemplate(stack: DriftwatchStack): Template {
  const parent = Template.fromStack(stack).toJSON() as TemplateJson;
  const resources = { ...parent.Resources };
  for (const nested of stack.endpointStacks) {
    const passed =
      (parent.Resources[stack.getLogicalId(nested.nestedStackResource!)]?.Properties?.Parameters as
        | Record<string, unknown>
        | undefined) ?? {};
    const child = Template.fromStack(nested).toJSON() as TemplateJson;
    const substituted = substituteParameters(child.Resources, passed) as TemplateJson['Resources'];
    for (const [id, resource] of Object.entries(substituted)) {
      if (id in resources) throw new Error(`logical id ${id} is in more than one stack`);
      resources[id] = resource;
    }
  }
  return Template.fromJSON({ ...parent, Resources: resources });
}

function substituteParameters(value: unknown, passed: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => substituteParameters(v, passed));
  if (typeof value !== 'object' || value === null) return value;
  const node = value as Record<string, unknown>;
  const keys = Object.keys(node);
  if (keys.length === 1 && typeof node.Ref === 'string' && node.Ref in passed) return passed[node.Ref];
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, substituteParameters(v, passed)]));
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

/** The problems `parseConfig` reports for `json` (read as `file`); fails the test when it accepts it. */
export function problemsOf(json: unknown, file = 'test.config.json'): readonly string[] {
  try {
    parseConfig(json, file);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  throw new Error('expected the config to be rejected');
}
