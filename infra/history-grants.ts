import { type IGrantable, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { HISTORY_PREFIX, type HistoryTable, historyFolder } from '../functions/contracts/history-schema.ts';
import { acknowledgePrefixWildcards } from './iam-acknowledgements.ts';
import { joinKey } from './s3-grants.ts';

/** The history tables, in schema order. */
export const HISTORY_TABLES = Object.keys(HISTORY_PREFIX) as HistoryTable[];

/**
 * `s3:PutObject` on the two history folders of one endpoint's schedule under the reports prefix,
 * `[PREFIX/]history/{features,windows}/endpoint=E/schedule=S/*`: what the monitor writes after each
 * window (one object per table and hour, sinks/history-writer.ts). The folders are the schema's
 * (`historyFolder`, names percent-encoded as the writer encodes them), so the grant and the keys
 * cannot disagree. No read, no list: the writer only puts.
 */
export function historyWriteStatement(
  reportsBucket: IBucket,
  reportsPrefix: string,
  endpoint: string,
  schedule: string,
): PolicyStatement {
  return new PolicyStatement({
    actions: ['s3:PutObject'],
    resources: HISTORY_TABLES.map((table) =>
      reportsBucket.arnForObjects(`${joinKey(reportsPrefix, historyFolder(table, endpoint, schedule))}*`),
    ),
  });
}

/**
 * Lets `grantee` (the monitor's role, the fan-out reducer's) write the history of `endpoint`'s
 * `schedule`: {@link historyWriteStatement}, its prefix wildcards acknowledged on `grantee`'s
 * construct. The reports bucket's customer managed key, when there is one, is the caller's to
 * grant (`grantObjectKeys` with `readWrite`, as for the reports themselves).
 */
export function grantHistoryWrite(
  grantee: IGrantable & IConstruct,
  reportsBucket: IBucket,
  reportsPrefix: string,
  endpoint: string,
  schedule: string,
): PolicyStatement {
  const statement = historyWriteStatement(reportsBucket, reportsPrefix, endpoint, schedule);
  grantee.grantPrincipal.addToPrincipalPolicy(statement);
  acknowledgePrefixWildcards(
    grantee,
    statement,
    `Writes only the history of endpoint ${endpoint} and schedule ${schedule}: the trailing /* stands for the dt=YYYY-MM-DD/HH.jsonl keys of windows to come, unknown in advance.`,
  );
  return statement;
}
