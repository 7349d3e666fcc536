/**
 * The terminal's line about feature attribution drift, printed after the summary table: the
 * nDCG and its verdict, the records explained and what they cost, or what failed.
 */
import type { Report } from '../report/report-model.ts';
import { terminalText } from './terminal-text.ts';

const count = (n: number) => n.toLocaleString('en-US');

/** The line (with its newline) for `report`'s attribution; `''` when the run did not explain. */
export function attributionText(report: Report): string {
  const a = report.attribution;
  if (a === undefined || a === null) return '';
  const cost = `${count(a.recordsExplained)} of ${count(a.windowRows)} rows explained, ${count(a.modelRows)} model rows in ${count(a.requests)} requests${a.endpoint === null ? '' : ` to ${a.endpoint}`}`;
  let line: string;
  if (a.error !== null) line = `Feature attribution: not measured: ${a.error} (${cost}).`;
  else if (a.ndcg === null) line = `Feature attribution: not measured: no record explained (${cost}).`;
  else
    line = `Feature attribution: nDCG ${Number(a.ndcg.toPrecision(4))} against the baseline's ranking (threshold ${a.threshold}): ${a.drifted ? 'DRIFTED' : 'ok'}; ${cost}${a.reason === null ? '' : `; ${a.reason}`}.`;
  return `${terminalText(line)}\n`;
}
