import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ConfigError, type DriftwatchConfig, loadConfigFile } from './config/index.ts';
import { DriftwatchStack } from './driftwatch-stack.ts';

/**
 * The CDK app (`cdk.json`: `npx tsx infra/app.ts`). Reads the config file named by the
 * `driftwatch:configFile` context key (relative to the repository root), builds the stack and
 * checks it with cdk-nag's AwsSolutions pack: a finding that is not acknowledged fails the synth.
 *
 * The stack is environment-agnostic (no account or region), so `cdk synth` needs no credentials;
 * `cdk deploy` takes them from the usual AWS profile or environment.
 */
const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

const app = new App();
const configFile: string = app.node.tryGetContext('driftwatch:configFile') ?? 'driftwatch.config.json';

let config: DriftwatchConfig;
try {
  config = loadConfigFile(resolve(REPO_ROOT, configFile), configFile);
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`The driftwatch configuration has ${error.problems.length} problem(s):\n${error.message}`);
  process.exit(1);
}

new DriftwatchStack(app, 'Driftwatch', {
  config,
  description: 'driftwatch: serverless model monitoring for Amazon SageMaker endpoints',
});
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
