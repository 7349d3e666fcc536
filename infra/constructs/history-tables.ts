import { Arn, Aws, CfnOutput, Duration, Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import { CfnDatabase, CfnTable } from 'aws-cdk-lib/aws-glue';
import { ManagedPolicy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  type GlueColumn,
  glueColumns,
  gluePartitionKeys,
  HISTORY_PREFIX,
  HISTORY_STORAGE,
  historyTableParameters,
} from '../../functions/contracts/history-schema.ts';
import { HISTORY_DEFAULTS } from '../config/index.ts';
import { HISTORY_TABLES } from '../history-grants.ts';
import { acknowledgePrefixWildcards } from '../iam-acknowledgements.ts';
import { objectKeyStatements } from '../kms-grants.ts';
import { joinKey, listPrefix } from '../s3-grants.ts';

/** A schema column as CDK's Glue column (which CloudFormation writes back as `{Name, Type, Comment}`). */
const columnProperty = (c: GlueColumn): CfnTable.ColumnProperty => ({
  name: c.Name,
  type: c.Type,
  comment: c.Comment,
});

/** The folder of the workgroup's query results, below the reports prefix. */
export const ATHENA_RESULTS_FOLDER = 'athena-results';

/** Properties of {@link HistoryTables}. */
export interface HistoryTablesProps {
  /** The bucket the monitor writes the reports and the history to. */
  readonly reportsBucket: IBucket;
  /**
   * The reports prefix, without slashes at either end: the history is under `PREFIX/history/`,
   * the query results under `PREFIX/athena-results/`.
   * @default "" (the bucket root)
   */
  readonly reportsPrefix?: string;
  /**
   * The customer managed key of the reports bucket's SSE-KMS encryption: query results are
   * encrypted with it (SSE_KMS) and readers may use it through S3.
   * @default none (results are encrypted with SSE_S3)
   */
  readonly reportsKmsKeyArn?: string;
  /** The monitored endpoints' names: the `endpoint` partition's projected values. */
  readonly endpoints: readonly string[];
  /** Their schedules' names: the `schedule` partition's projected values. */
  readonly schedules: readonly string[];
  /**
   * The Glue database's name.
   * @default "driftwatch_history"
   */
  readonly databaseName?: string;
  /**
   * The Athena workgroup's name.
   * @default "driftwatch"
   */
  readonly workgroupName?: string;
  /**
   * The first day (yyyy-MM-dd) the `dt` partition projects.
   * @default "2024-01-01"
   */
  readonly firstDay?: string;
  /**
   * How long query results are kept: a lifecycle rule on the results folder when the stack owns
   * the bucket (an imported bucket's owner adds the rule).
   * @default Duration.days(30)
   */
  readonly resultsExpiration?: Duration;
  /**
   * Bytes one query may scan before Athena cancels it.
   * @default none (no limit)
   */
  readonly bytesScannedCutoffPerQuery?: number;
}

/**
 * The history as SQL tables: a Glue database with the external tables `features` and `windows`
 * over `s3://BUCKET/[PREFIX/]history/TABLE/`, their columns, partition keys, SerDe and partition
 * projection built from the schema module (functions/contracts/history-schema.ts, the one the
 * writer writes by), so no crawler or MSCK REPAIR is ever needed; an Athena workgroup (engine
 * version 3, configuration enforced) whose results go encrypted to their own folder; and a
 * managed policy that lets a reader query exactly these tables in exactly this workgroup.
 */
export class HistoryTables extends Construct {
  /** The Glue database's name. */
  readonly databaseName: string;
  /** The Athena workgroup's name. */
  readonly workgroupName: string;
  readonly database: CfnDatabase;
  /** The tables, by name. */
  readonly tables: Readonly<Record<'features' | 'windows', CfnTable>>;
  readonly workgroup: CfnWorkGroup;
  /** Attach to the roles (or users, groups) that query the history. */
  readonly readerPolicy: ManagedPolicy;
  /** `s3://BUCKET/[PREFIX/]athena-results/`. */
  readonly resultsLocation: string;
  /** Whether results expire by a lifecycle rule this construct added (false for an imported bucket). */
  readonly resultsExpire: boolean;

  constructor(scope: Construct, id: string, props: HistoryTablesProps) {
    super(scope, id);
    const stack = Stack.of(this);
    const bucket = props.reportsBucket;
    const prefix = props.reportsPrefix ?? '';
    this.databaseName = props.databaseName ?? HISTORY_DEFAULTS.database;
    this.workgroupName = props.workgroupName ?? HISTORY_DEFAULTS.workgroup;
    const reportsUri = `s3://${bucket.bucketName}${prefix === '' ? '' : `/${prefix}`}`;

    this.database = new CfnDatabase(this, 'Database', {
      catalogId: Aws.ACCOUNT_ID,
      databaseInput: {
        name: this.databaseName,
        description:
          'driftwatch: the monitoring history of the SageMaker endpoints (one line per feature and per window)',
      },
    });

    const table = (name: 'features' | 'windows', description: string) => {
      const t = new CfnTable(this, name === 'features' ? 'FeaturesTable' : 'WindowsTable', {
        catalogId: Aws.ACCOUNT_ID,
        databaseName: this.databaseName,
        tableInput: {
          name,
          description,
          tableType: 'EXTERNAL_TABLE',
          parameters: {
            EXTERNAL: 'TRUE',
            ...historyTableParameters(name, {
              reportsUri,
              endpoints: props.endpoints,
              schedules: props.schedules,
              firstDay: props.firstDay ?? HISTORY_DEFAULTS.firstDay,
            }),
          },
          partitionKeys: gluePartitionKeys().map(columnProperty),
          storageDescriptor: {
            columns: glueColumns(name).map(columnProperty),
            location: `${reportsUri}/${HISTORY_PREFIX[name]}`,
            inputFormat: HISTORY_STORAGE.inputFormat,
            outputFormat: HISTORY_STORAGE.outputFormat,
            serdeInfo: { serializationLibrary: HISTORY_STORAGE.serializationLibrary },
          },
        },
      });
      t.addDependency(this.database);
      return t;
    };
    this.tables = {
      features: table('features', 'One line per baseline feature of each monitored window'),
      windows: table('windows', 'One line per monitored window'),
    };

    const resultsKeys = joinKey(prefix, ATHENA_RESULTS_FOLDER);
    this.resultsLocation = `s3://${bucket.bucketName}/${resultsKeys}/`;
    this.workgroup = new CfnWorkGroup(this, 'Workgroup', {
      name: this.workgroupName,
      description: `driftwatch: queries of the history tables in ${this.databaseName}`,
      state: 'ENABLED',
      // Its query history and saved queries go with it when the stack is deleted.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        enforceWorkGroupConfiguration: true,
        publishCloudWatchMetricsEnabled: true,
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        ...(props.bytesScannedCutoffPerQuery !== undefined
          ? { bytesScannedCutoffPerQuery: props.bytesScannedCutoffPerQuery }
          : {}),
        resultConfiguration: {
          outputLocation: this.resultsLocation,
          encryptionConfiguration:
            props.reportsKmsKeyArn === undefined
              ? { encryptionOption: 'SSE_S3' }
              : { encryptionOption: 'SSE_KMS', kmsKey: props.reportsKmsKeyArn },
        },
      },
    });

    const expiration = props.resultsExpiration ?? Duration.days(HISTORY_DEFAULTS.resultsExpirationDays);
    this.resultsExpire = bucket instanceof Bucket;
    if (bucket instanceof Bucket)
      bucket.addLifecycleRule({ id: 'AthenaResults', prefix: `${resultsKeys}/`, expiration });

    this.readerPolicy = new ManagedPolicy(this, 'ReaderPolicy', {
      description: `driftwatch: query the history tables of ${this.databaseName} in the Athena workgroup ${this.workgroupName}`,
    });
    const glueArn = (resource: string) =>
      Arn.format({ service: 'glue', resource, region: stack.region, account: stack.account }, stack);
    this.readerPolicy.addStatements(
      new PolicyStatement({
        sid: 'QueryInTheWorkgroup',
        actions: [
          'athena:StartQueryExecution',
          'athena:StopQueryExecution',
          'athena:GetQueryExecution',
          'athena:BatchGetQueryExecution',
          'athena:GetQueryResults',
          'athena:GetQueryRuntimeStatistics',
          'athena:ListQueryExecutions',
          'athena:GetWorkGroup',
        ],
        resources: [
          Arn.format({ service: 'athena', resource: 'workgroup', resourceName: this.workgroupName }, stack),
        ],
      }),
      new PolicyStatement({
        sid: 'ReadTheTableDefinitions',
        actions: ['glue:GetDatabase', 'glue:GetTable', 'glue:GetTables'],
        resources: [
          glueArn('catalog'),
          glueArn(`database/${this.databaseName}`),
          ...HISTORY_TABLES.map((t) => glueArn(`table/${this.databaseName}/${t}`)),
        ],
      }),
      new PolicyStatement({
        sid: 'FindTheBuckets',
        actions: ['s3:GetBucketLocation'],
        resources: [bucket.bucketArn],
      }),
    );
    const historyKeys = joinKey(prefix, 'history');
    const readHistory = new PolicyStatement({
      sid: 'ReadTheHistory',
      actions: ['s3:GetObject'],
      resources: [bucket.arnForObjects(`${historyKeys}/*`)],
    });
    const results = new PolicyStatement({
      sid: 'WriteAndReadQueryResults',
      actions: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
      resources: [bucket.arnForObjects(`${resultsKeys}/*`)],
    });
    this.readerPolicy.addStatements(
      readHistory,
      listPrefix(bucket.bucketName, historyKeys),
      results,
      listPrefix(bucket.bucketName, resultsKeys),
      ...objectKeyStatements([{ keyArn: props.reportsKmsKeyArn, use: 'readWrite' }]),
    );
    acknowledgePrefixWildcards(
      this.readerPolicy,
      readHistory,
      'Reads only the history tables: the trailing /* stands for the partition folders and hourly objects the monitor writes after deployment.',
    );
    acknowledgePrefixWildcards(
      this.readerPolicy,
      results,
      "Writes and reads only the workgroup's own query results: Athena names each result object by its query id, unknown in advance.",
    );

    new CfnOutput(this, 'DatabaseName', {
      description: 'Glue database of the history tables (features, windows)',
      value: this.databaseName,
    });
    new CfnOutput(this, 'WorkgroupName', {
      description: 'Athena workgroup to query the history in',
      value: this.workgroupName,
    });
    new CfnOutput(this, 'ReaderPolicyArn', {
      description: 'Managed policy to attach to whoever queries the history',
      value: this.readerPolicy.managedPolicyArn,
    });
  }
}
