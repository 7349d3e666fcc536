/**
 * The history tables in the stack (infra/constructs/history-tables.ts): the Glue tables' columns,
 * partition keys, SerDe and projection are the schema module's, their location is where the
 * writer writes, the Athena workgroup keeps its own encrypted results folder, and the reader
 * policy grants exactly the queries, tables, objects and key it needs. Also the `history`
 * setting, and the monitor's write grant (infra/history-grants.ts).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Bucket } from 'aws-cdk-lib/aws-s3';
import { describe, expect, it } from 'vitest';
import {
  glueColumns,
  gluePartitionKeys,
  HISTORY_STORAGE,
  historyKey,
} from '../../functions/contracts/history-schema.ts';
import type { ConfigError } from '../../infra/config/index.ts';
import { grantHistoryWrite } from '../../infra/history-grants.ts';
import { buildStack, renderTokens, resourcesOf, testConfig } from './stack-fixtures.ts';

const KEY = 'arn:aws:kms:us-east-1:123456789012:key/reports';

/** Two endpoints on an existing SSE-KMS bucket under a prefix: every value in the template is literal. */
const existing = testConfig({
  reportsBucket: { existingBucketName: 'team-reports', prefix: 'ml', kmsKeyArn: KEY },
  history: { database: 'ml_history', workgroup: 'ml-drift', firstDay: '2026-01-01' },
  endpoints: [
    { name: 'churn', captureUri: 's3://cap-bucket/c', baselineUri: 's3://cap-bucket/b' },
    {
      name: 'fraud',
      captureUri: 's3://cap-bucket/c',
      baselineUri: 's3://cap-bucket/b',
      scheduleName: 'fraud-daily',
    },
  ],
});

interface GlueTable {
  CatalogId: unknown;
  DatabaseName: string;
  TableInput: {
    Name: string;
    TableType: string;
    Parameters: Record<string, string>;
    PartitionKeys: unknown[];
    StorageDescriptor: {
      Columns: unknown[];
      Location: unknown;
      InputFormat: string;
      OutputFormat: string;
      SerdeInfo: { SerializationLibrary: string };
    };
  };
}

function tables(template: Template): Record<string, GlueTable> {
  return Object.fromEntries(
    resourcesOf(template, 'AWS::Glue::Table').map(([, p]) => {
      const t = p as unknown as GlueTable;
      return [t.TableInput.Name, t];
    }),
  );
}

interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** The reader policy's statements with every resource rendered as text. */
function readerStatements(template: Template) {
  const policies = resourcesOf(template, 'AWS::IAM::ManagedPolicy').filter(([id]) =>
    id.startsWith('HistoryReaderPolicy'),
  );
  expect(policies).toHaveLength(1);
  const doc = policies[0]![1].PolicyDocument as { Statement: Statement[] };
  return doc.Statement.map((s) => ({
    ...s,
    Resource: (Array.isArray(s.Resource) ? s.Resource : [s.Resource]).map(renderTokens),
  }));
}

describe('history tables on an existing SSE-KMS bucket with a prefix', () => {
  const { template } = buildStack(existing);
  const byName = tables(template);

  it('creates the configured Glue database', () => {
    template.hasResourceProperties('AWS::Glue::Database', {
      DatabaseInput: { Name: 'ml_history' },
    });
    expect(Object.keys(byName).sort()).toEqual(['features', 'windows']);
  });

  it.each(['features', 'windows'] as const)(
    '%s: columns, partition keys and SerDe are the schema module’s',
    (name) => {
      const t = byName[name]!;

      expect(t.DatabaseName).toBe('ml_history');
      expect(t.TableInput.TableType).toBe('EXTERNAL_TABLE');
      expect(t.TableInput.StorageDescriptor.Columns).toEqual(glueColumns(name));
      expect(t.TableInput.PartitionKeys).toEqual(gluePartitionKeys());
      expect(t.TableInput.PartitionKeys.map((k) => (k as { Name: string }).Name)).toEqual([
        'endpoint',
        'schedule',
        'dt',
      ]);
      expect(t.TableInput.StorageDescriptor.InputFormat).toBe(HISTORY_STORAGE.inputFormat);
      expect(t.TableInput.StorageDescriptor.OutputFormat).toBe(HISTORY_STORAGE.outputFormat);
      expect(t.TableInput.StorageDescriptor.SerdeInfo.SerializationLibrary).toBe(
        'org.apache.hive.hcatalog.data.JsonSerDe',
      );
      // Glue refuses column comments over 255 characters.
      for (const c of glueColumns(name)) expect(c.Comment.length, c.Name).toBeLessThanOrEqual(255);
    },
  );

  it.each(['features', 'windows'] as const)(
    '%s: projects the deployed endpoints, schedules and days over the history folder',
    (name) => {
      const t = byName[name]!;

      expect(renderTokens(t.TableInput.StorageDescriptor.Location)).toBe(
        `s3://team-reports/ml/history/${name}/`,
      );
      expect(t.TableInput.Parameters).toEqual({
        EXTERNAL: 'TRUE',
        classification: 'json',
        'projection.enabled': 'true',
        'projection.endpoint.type': 'enum',
        'projection.endpoint.values': 'churn,fraud',
        'projection.schedule.type': 'enum',
        'projection.schedule.values': 'driftwatch-hourly,fraud-daily',
        'projection.dt.type': 'date',
        'projection.dt.format': 'yyyy-MM-dd',
        'projection.dt.range': '2026-01-01,NOW',
        'projection.dt.interval': '1',
        'projection.dt.interval.unit': 'DAYS',
        'storage.location.template': `s3://team-reports/ml/history/${name}/endpoint=\${endpoint}/schedule=\${schedule}/dt=\${dt}/`,
      });
    },
  );

  it('locates a partition exactly where the writer puts that window', () => {
    const template = byName.windows!.TableInput.Parameters['storage.location.template']!;
    const key = historyKey('windows', 'fraud', 'fraud-daily', new Date('2026-11-26T05:00:00Z'));

    const values: Record<string, string> = { endpoint: 'fraud', schedule: 'fraud-daily', dt: '2026-11-26' };
    const folder = template.replace(/\$\{(\w+)\}/g, (_, k: string) => values[k]!);

    expect(`s3://team-reports/ml/${key}`).toBe(`${folder}05.jsonl`);
  });

  it('runs queries in an enforced engine-3 workgroup whose results go SSE-KMS to their own folder', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'ml-drift',
      State: 'ENABLED',
      WorkGroupConfiguration: {
        EnforceWorkGroupConfiguration: true,
        PublishCloudWatchMetricsEnabled: true,
        EngineVersion: { SelectedEngineVersion: 'Athena engine version 3' },
        ResultConfiguration: {
          OutputLocation: 's3://team-reports/ml/athena-results/',
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: KEY },
        },
      },
    });
  });

  it('lets a reader query only this workgroup, these tables, the history and its own results', () => {
    const statements = readerStatements(template);
    const glue = 'arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>';
    const s3 = 'arn:<AWS::Partition>:s3:::team-reports';

    expect(statements).toEqual([
      {
        Sid: 'QueryInTheWorkgroup',
        Effect: 'Allow',
        Action: [
          'athena:BatchGetQueryExecution',
          'athena:GetQueryExecution',
          'athena:GetQueryResults',
          'athena:GetQueryRuntimeStatistics',
          'athena:GetWorkGroup',
          'athena:ListQueryExecutions',
          'athena:StartQueryExecution',
          'athena:StopQueryExecution',
        ],
        Resource: ['arn:<AWS::Partition>:athena:<AWS::Region>:<AWS::AccountId>:workgroup/ml-drift'],
      },
      {
        Sid: 'ReadTheTableDefinitions',
        Effect: 'Allow',
        Action: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables'],
        Resource: [
          `${glue}:catalog`,
          `${glue}:database/ml_history`,
          `${glue}:table/ml_history/features`,
          `${glue}:table/ml_history/windows`,
        ],
      },
      { Sid: 'FindTheBuckets', Effect: 'Allow', Action: 's3:GetBucketLocation', Resource: [s3] },
      { Sid: 'ReadTheHistory', Effect: 'Allow', Action: 's3:GetObject', Resource: [`${s3}/ml/history/*`] },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: [s3],
        Condition: { StringLike: { 's3:prefix': ['ml/history/*'] } },
      },
      {
        Sid: 'WriteAndReadQueryResults',
        Effect: 'Allow',
        Action: ['s3:AbortMultipartUpload', 's3:GetObject', 's3:ListMultipartUploadParts', 's3:PutObject'],
        Resource: [`${s3}/ml/athena-results/*`],
      },
      {
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: [s3],
        Condition: { StringLike: { 's3:prefix': ['ml/athena-results/*'] } },
      },
      {
        Effect: 'Allow',
        Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
        Resource: [KEY],
        Condition: { StringEquals: { 'kms:ViaService': 's3.us-east-1.amazonaws.com' } },
      },
    ]);
  });

  it('outputs the database, the workgroup and the reader policy', () => {
    const outputs = Object.values(template.findOutputs('*')).map((o) => (o as { Value: unknown }).Value);
    expect(outputs).toEqual(expect.arrayContaining(['ml_history', 'ml-drift']));
    expect(Object.keys(template.findOutputs('*')).some((k) => k.startsWith('HistoryReaderPolicyArn'))).toBe(
      true,
    );
  });
});

describe('history tables on the bucket the stack creates', () => {
  const { template } = buildStack(testConfig());

  it('encrypts results with SSE-S3 and expires them after the default 30 days', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      Name: 'driftwatch',
      WorkGroupConfiguration: {
        ResultConfiguration: { EncryptionConfiguration: { EncryptionOption: 'SSE_S3' } },
      },
    });
    const [wg] = resourcesOf(template, 'AWS::Athena::WorkGroup');
    const location = (wg![1].WorkGroupConfiguration as { ResultConfiguration: { OutputLocation: unknown } })
      .ResultConfiguration.OutputLocation;
    expect(renderTokens(location)).toBe('s3://<ReportsBucket4E7C5994>/athena-results/');
    const buckets = resourcesOf(template, 'AWS::S3::Bucket').filter(([id]) => id.startsWith('ReportsBucket'));
    const rules = (buckets[0]![1].LifecycleConfiguration as { Rules: unknown[] }).Rules;
    expect(rules).toContainEqual({
      Id: 'AthenaResults',
      Prefix: 'athena-results/',
      ExpirationInDays: 30,
      Status: 'Enabled',
    });
    template.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'driftwatch_history' } });
  });

  it('has no KMS statement in the reader policy (no customer managed key)', () => {
    expect(readerStatements(template).flatMap((s) => [s.Action].flat())).not.toContain('kms:Decrypt');
  });
});

describe('the history setting', () => {
  it('"history": false leaves the tables and the workgroup out', () => {
    const { template } = buildStack(
      testConfig({
        history: false,
        endpoints: [{ name: 'plain', captureUri: 's3://cap-bucket/c', baselineUri: 's3://cap-bucket/b' }],
      }),
    );

    for (const type of ['AWS::Glue::Database', 'AWS::Glue::Table', 'AWS::Athena::WorkGroup'])
      expect(resourcesOf(template, type), type).toEqual([]);
  });

  it('names each mistake with its fix', () => {
    const endpoints = [{ name: 'plain', captureUri: 's3://cap-bucket/c', baselineUri: 's3://cap-bucket/b' }];
    const problems = (history: unknown) => {
      try {
        testConfig({ history, endpoints });
        return [];
      } catch (e) {
        return (e as ConfigError).message;
      }
    };

    expect(problems({ database: 'Drift-History' })).toContain('history.database');
    expect(problems({ workgroup: 'a b' })).toContain('history.workgroup');
    expect(problems({ firstDay: '2026-02-30' })).toContain('history.firstDay');
    expect(problems({ resultsExpirationDays: 0 })).toContain('history.resultsExpirationDays');
    expect(problems({ crawler: true })).toContain('history.crawler');
    expect(problems('yes')).toContain('must be true (the defaults), false, or an object');
    expect(testConfig({ endpoints }).history).toEqual({
      database: 'driftwatch_history',
      workgroup: 'driftwatch',
      firstDay: '2024-01-01',
      resultsExpirationDays: 30,
    });
  });
});

describe('grantHistoryWrite', () => {
  it('grants PutObject on the two history folders of one endpoint and schedule, names encoded as the writer encodes them', () => {
    const stack = new Stack(new App(), 'S', { env: { region: 'us-east-1', account: '123456789012' } });
    const role = new Role(stack, 'Monitor', { assumedBy: new ServicePrincipal('lambda.amazonaws.com') });
    const bucket = Bucket.fromBucketName(stack, 'Reports', 'team-reports');

    grantHistoryWrite(role, bucket, 'ml', 'churn', 'every hour');

    const [[, policy]] = resourcesOf(Template.fromStack(stack), 'AWS::IAM::Policy') as [
      [string, { PolicyDocument: { Statement: Statement[] } }],
    ];
    expect(
      policy.PolicyDocument.Statement.map((s) => ({
        Action: s.Action,
        Resource: (s.Resource as unknown[]).map(renderTokens),
      })),
    ).toEqual([
      {
        Action: 's3:PutObject',
        Resource: [
          'arn:<AWS::Partition>:s3:::team-reports/ml/history/features/endpoint=churn/schedule=every%20hour/*',
          'arn:<AWS::Partition>:s3:::team-reports/ml/history/windows/endpoint=churn/schedule=every%20hour/*',
        ],
      },
    ]);
    // The writer's key for a window of that schedule falls under the grant.
    expect(historyKey('features', 'churn', 'every hour', new Date('2026-11-26T05:00:00Z'))).toBe(
      'history/features/endpoint=churn/schedule=every%20hour/dt=2026-11-26/05.jsonl',
    );
  });
});
