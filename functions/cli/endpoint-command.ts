/**
 * `driftwatch endpoint history NAME --reports DIR|s3://...`: the versions an endpoint served, read
 * from its windows' report.json `model` fields, with their drift and quality.
 *
 * `driftwatch endpoint rollback NAME --to CONFIG [--yes]`: shows what the endpoint serves and what
 * CONFIG would serve, asks, then points the endpoint at CONFIG (UpdateEndpoint). SageMaker
 * deploys the change; the endpoint keeps serving until the new fleet is in service.
 */
import { parseArgs } from 'node:util';
import {
  DescribeEndpointCommand,
  type DescribeEndpointOutput,
  SageMakerClient,
  UpdateEndpointCommand,
} from '@aws-sdk/client-sagemaker';
import { formatTable } from '../engine/render/summary-table.ts';
import { type ModelVersionHistory, modelHistory } from '../engine/report/model-history.ts';
import type { Report, ServingVariant } from '../engine/report/report-model.ts';
import { packageName } from '../engine/report/serving-window.ts';
import { mapConcurrent, parseReport, READ_CONCURRENCY, REPORT_JSON } from '../sinks/report-index.ts';
import { describeEndpointConfigVariants } from '../sources/serving-model.ts';
import { existingFolder } from './flags.ts';
import type { Io } from './io.ts';
import { openStore } from './stores.ts';
import { UsageError } from './usage.ts';

/** What the command reaches outside: SageMaker, created on first use unless given. */
export interface EndpointCommandDeps {
  sagemaker?: (region: string | undefined) => SageMakerClient;
}

let defaultClient: SageMakerClient | undefined;
const lazySageMaker = (region: string | undefined): SageMakerClient => {
  defaultClient ??= new SageMakerClient(region ? { region } : {});
  return defaultClient;
};

/** Runs `driftwatch endpoint SUBCOMMAND ...`; returns the exit status. */
export async function endpointCommand(
  args: string[],
  io: Pick<Io, 'stdout' | 'stderr' | 'prompt'>,
  deps: EndpointCommandDeps = {},
): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'history') return historyCommand(rest, io);
  if (sub === 'rollback') return rollbackCommand(rest, io, deps.sagemaker ?? lazySageMaker);
  throw new UsageError(
    `endpoint takes history or rollback${sub === undefined ? '' : `, not "${sub}"`}: driftwatch endpoint history NAME --reports DIR|s3://..., or driftwatch endpoint rollback NAME --to CONFIG`,
  );
}

function endpointName(positionals: string[], usage: string): string {
  const name = positionals[0];
  if (name === undefined || positionals.length > 1)
    throw new UsageError(
      `${usage} takes one endpoint NAME${positionals.length > 1 ? `; got ${positionals.join(' ')}` : ''}`,
    );
  return name;
}

const day = (iso: string | null) => (iso === null ? '…' : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`);
const num = (x: number) => String(Number(x.toPrecision(4)));

async function historyCommand(args: string[], io: Pick<Io, 'stdout' | 'stderr'>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reports: { type: 'string' }, json: { type: 'boolean' } },
  });
  const name = endpointName(positionals, 'endpoint history');
  const reports = values.reports;
  if (!reports)
    throw new UsageError(
      'endpoint history needs --reports DIR|s3://bucket/prefix (where the monitor writes reports, e.g. s3://BUCKET/reports/NAME/)',
    );
  existingFolder(reports, '--reports');

  const source = openStore(reports);
  const keys: string[] = [];
  for await (const o of source.list())
    if (o.key === REPORT_JSON || o.key.endsWith(`/${REPORT_JSON}`)) keys.push(o.key);
  const read = await mapConcurrent(keys, READ_CONCURRENCY, async (key) => ({
    key,
    parsed: parseReport((await source.getText(key)) ?? ''),
  }));
  const parsed: Report[] = [];
  // A report without a model is this endpoint's when its path says so (reports/NAME/SCHEDULE/...).
  const ownPath = new Set<Report>();
  for (const { key, parsed: p } of read) {
    if (typeof p === 'string') {
      io.stderr(`driftwatch: skipping ${source.location.replace(/\/$/, '')}/${key}: ${p}\n`);
      continue;
    }
    parsed.push(p);
    if (`/${key}`.includes(`/${name}/`)) ownPath.add(p);
  }
  const history = modelHistory(parsed, name, (r) => ownPath.has(r));
  if (values.json) {
    io.stdout(`${JSON.stringify({ endpoint: name, ...history }, null, 2)}\n`);
    return 0;
  }
  if (history.versions.length === 0) {
    io.stdout(
      `No window under ${reports} records what served ${name}` +
        (history.windowsWithoutModel
          ? ` (${history.windowsWithoutModel} of its windows have no model: written before driftwatch recorded models, or the endpoint changed after them).\n`
          : ' (no report of it there).\n'),
    );
    return 0;
  }
  const windows = history.versions.reduce((s, v) => s + v.windows, 0);
  const lines = [
    `Versions of ${name} in ${windows} window${windows === 1 ? '' : 's'} under ${reports}, in the order first seen:`,
    '',
    ...formatTable([
      ['endpoint config', 'models', 'first window', 'last window', 'windows', 'drift share', 'quality'],
      ...history.versions.map((v) => versionRow(v)),
    ]).map((l) => `  ${l}`),
  ];
  if (history.changes.length) {
    lines.push('', 'Windows that span a deployment (records on both sides of it):');
    for (const c of history.changes) lines.push(`  ${day(c.window)} UTC: to ${c.endpointConfigName}`);
  }
  if (history.windowsWithoutModel)
    lines.push(
      '',
      `${history.windowsWithoutModel} window${history.windowsWithoutModel === 1 ? '' : 's'} of ${name} record no model (written before driftwatch recorded models, SageMaker could not be read, or the endpoint changed after the window).`,
    );
  io.stdout(`${lines.join('\n')}\n`);
  return 0;
}

function versionRow(v: ModelVersionHistory): string[] {
  return [
    v.endpointConfigName,
    v.models.join(', '),
    day(v.firstWindow),
    day(v.lastWindow),
    `${v.windows}${v.windowsSpanningChange ? ` (${v.windowsSpanningChange} spanning a change)` : ''}`,
    num(v.meanDatasetDriftShare),
    v.quality === null
      ? '-'
      : `${v.quality.metric} ${num(v.quality.mean)} (${v.quality.windows} window${v.quality.windows === 1 ? '' : 's'})`,
  ];
}

/** SageMaker's statuses in which an endpoint is changing and takes no update. */
const BUSY = new Set([
  'Creating',
  'Updating',
  'SystemUpdating',
  'RollingBack',
  'Deleting',
  'UpdateRollbackFailed',
]);

/** The message of a SageMaker error, with its code. */
function sageMakerError(e: unknown): string {
  const err = e as { name?: string; message?: string };
  return `${err.name ?? 'Error'}: ${err.message ?? String(e)}`;
}

function variantsText(variants: readonly ServingVariant[]): string {
  return variants
    .map(
      (v) =>
        `${v.variantName}${v.shadow ? ' [shadow]' : ''} ${v.modelName ?? '(inference components)'}` +
        (v.modelPackageArn === undefined ? '' : ` (package ${packageName(v.modelPackageArn)})`),
    )
    .join(', ');
}

async function rollbackCommand(
  args: string[],
  io: Pick<Io, 'stdout' | 'stderr' | 'prompt'>,
  sagemaker: (region: string | undefined) => SageMakerClient,
): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { to: { type: 'string' }, yes: { type: 'boolean' }, region: { type: 'string' } },
  });
  const name = endpointName(positionals, 'endpoint rollback');
  const target = values.to;
  if (!target)
    throw new UsageError(
      'endpoint rollback needs --to CONFIG (the endpoint config to serve again; `driftwatch endpoint history` lists those seen)',
    );
  if (!values.yes && io.prompt === undefined)
    throw new UsageError(
      'endpoint rollback asks before it changes the endpoint; pass --yes to update without asking',
    );
  const client = sagemaker(values.region);

  let endpoint: DescribeEndpointOutput;
  try {
    endpoint = await client.send(new DescribeEndpointCommand({ EndpointName: name }));
  } catch (e) {
    if ((e as { name?: string }).name === 'ValidationException')
      throw new UsageError(
        `endpoint ${name}: ${(e as Error).message} (aws sagemaker list-endpoints lists them)`,
      );
    io.stderr(`driftwatch: DescribeEndpoint ${name} failed: ${sageMakerError(e)}\n`);
    return 3;
  }
  const current = endpoint.EndpointConfigName ?? '(none)';
  const status = endpoint.EndpointStatus ?? 'unknown';
  if (current === target) {
    io.stdout(`Endpoint ${name} already serves endpoint config ${target} (${status}); nothing to do.\n`);
    return 0;
  }
  if (BUSY.has(status))
    throw new UsageError(
      `endpoint ${name} is ${status}; SageMaker takes no update until it is InService (aws sagemaker wait endpoint-in-service --endpoint-name ${name})`,
    );
  let now: ServingVariant[];
  let then: ServingVariant[];
  try {
    then = await describeEndpointConfigVariants(client, target);
  } catch (e) {
    const cause = (e as Error).cause as { name?: string } | undefined;
    if (cause?.name === 'ValidationException')
      throw new UsageError(
        `--to ${target}: no such endpoint config (${(e as Error).message}); aws sagemaker list-endpoint-configs lists them`,
      );
    io.stderr(`driftwatch: ${(e as Error).message}\n`);
    return 3;
  }
  try {
    now = current === '(none)' ? [] : await describeEndpointConfigVariants(client, current);
  } catch (e) {
    // The current config may be gone already; the change can still be shown and made.
    io.stderr(`driftwatch: cannot describe the current endpoint config: ${(e as Error).message}\n`);
    now = [];
  }
  io.stdout(
    [
      `Endpoint ${name} (${status}, last updated ${endpoint.LastModifiedTime?.toISOString() ?? 'unknown'})`,
      `  serves now:   ${current}${now.length ? `: ${variantsText(now)}` : ''}`,
      `  roll back to: ${target}${then.length ? `: ${variantsText(then)}` : ''}`,
      '',
      '',
    ].join('\n'),
  );
  if (!values.yes) {
    const answer = await io.prompt!(`Update endpoint ${name} to endpoint config ${target}? [y/N] `);
    if (answer === null || !/^\s*y(es)?\s*$/i.test(answer)) {
      io.stdout('Not updated.\n');
      return 1;
    }
  }
  try {
    await client.send(new UpdateEndpointCommand({ EndpointName: name, EndpointConfigName: target }));
  } catch (e) {
    io.stderr(`driftwatch: UpdateEndpoint ${name} to ${target} failed: ${sageMakerError(e)}\n`);
    return 3;
  }
  io.stdout(
    `Updating ${name} to ${target}: SageMaker is deploying it, and ${current} serves until the new instances are in service.\n` +
      `Wait for it with: aws sagemaker wait endpoint-in-service --endpoint-name ${name}\n`,
  );
  return 0;
}
