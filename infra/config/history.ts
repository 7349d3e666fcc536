/**
 * The `history` setting: the Glue database, tables and Athena workgroup over the history the
 * monitor writes under the reports prefix (infra/constructs/history-tables.ts). On by default:
 * the catalog and an idle workgroup cost nothing until queried. `false` turns it off.
 */
import { type Checker, isObject } from './checker.ts';
import type { HistoryConfig } from './types.ts';

/** What an absent `history` (or `true`) stands for, and what an object's missing fields take. */
export const HISTORY_DEFAULTS: HistoryConfig = {
  database: 'driftwatch_history',
  workgroup: 'driftwatch',
  firstDay: '2024-01-01',
  resultsExpirationDays: 30,
};

const HISTORY_KEYS = Object.keys(HISTORY_DEFAULTS) as (keyof HistoryConfig)[];

/** Glue database names Athena can query: lower case (Athena lower-cases them), digits, underscores. */
const DATABASE_NAME = /^[a-z][a-z0-9_]{0,254}$/;
/** Athena workgroup names. */
const WORKGROUP_NAME = /^[A-Za-z0-9._-]{1,128}$/;

/** Parses `history`: absent or `true` the defaults, `false` off, an object overrides some of them. */
export function parseHistory(check: Checker, value: unknown, path: string): HistoryConfig | false {
  if (value === false) return false;
  if (value === undefined || value === true) return HISTORY_DEFAULTS;
  if (!isObject(value)) {
    check.fail(path, `must be true (the defaults), false, or an object of ${HISTORY_KEYS.join(', ')}`, value);
    return HISTORY_DEFAULTS;
  }
  check.knownKeys(value, path, HISTORY_KEYS);
  const out: { -readonly [K in keyof HistoryConfig]: HistoryConfig[K] } = { ...HISTORY_DEFAULTS };
  const { database, workgroup, firstDay, resultsExpirationDays } = value;
  if (database !== undefined) {
    if (typeof database === 'string' && DATABASE_NAME.test(database)) out.database = database;
    else
      check.fail(
        `${path}.database`,
        'must be a Glue database name Athena can query: lower-case letters, digits and underscores, starting with a letter (e.g. "driftwatch_history")',
        database,
      );
  }
  if (workgroup !== undefined) {
    if (typeof workgroup === 'string' && WORKGROUP_NAME.test(workgroup)) out.workgroup = workgroup;
    else
      check.fail(
        `${path}.workgroup`,
        'must be an Athena workgroup name: 1 to 128 letters, digits, ".", "_" or "-"',
        workgroup,
      );
  }
  if (firstDay !== undefined) {
    if (typeof firstDay === 'string' && isDay(firstDay)) out.firstDay = firstDay;
    else
      check.fail(
        `${path}.firstDay`,
        'must be a day as yyyy-MM-dd (the first day the tables project partitions for)',
        firstDay,
      );
  }
  if (resultsExpirationDays !== undefined) {
    if (
      typeof resultsExpirationDays === 'number' &&
      Number.isInteger(resultsExpirationDays) &&
      resultsExpirationDays >= 1
    )
      out.resultsExpirationDays = resultsExpirationDays;
    else
      check.fail(
        `${path}.resultsExpirationDays`,
        'must be a whole number of days, 1 or more (how long Athena query results are kept)',
        resultsExpirationDays,
      );
  }
  return out;
}

/** `yyyy-MM-dd` of a day that exists. */
function isDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}
