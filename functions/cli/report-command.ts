/**
 * `driftwatch report --reports DIR|s3://... [--out FILE]`: builds index.html over every
 * report.json under a folder or S3 prefix (any depth), in window order, with each point linking
 * to its window's report.html relative to the index.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { windowText } from '../engine/report-html.ts';
import type { Report } from '../engine/report-model.ts';
import { byWindowStart, type TrendInput, trendsHtml } from '../engine/trends-html.ts';
import { isS3Uri, type ObjectStore, parseS3Uri } from '../sources/object-store.ts';
import type { Io } from './main.ts';
import { openStore } from './stores.ts';
import { UsageError } from './usage.ts';

const REPORT_JSON = 'report.json';
const REPORT_HTML = 'report.html';
/** Reports read at once: S3 round trips overlap, memory stays small. */
const READ_CONCURRENCY = 16;

/** Where index.html goes, and how a report's folder (a key under --reports) is linked from it. */
interface Destination {
  store: ObjectStore;
  key: string;
  /** The printable location of the file written. */
  location: string;
  /** The href of `folder/report.html` (folder relative to the --reports root, '' for the root). */
  linkTo: (folder: string) => string;
}

function destination(reports: string, out: string | undefined): Destination {
  if (isS3Uri(reports)) {
    const from = parseS3Uri(reports);
    const target = out ?? `s3://${from.bucket}/${from.prefix}index.html`;
    if (!isS3Uri(target))
      throw new UsageError(
        `--out ${target}: the index links to the reports by relative paths, so it must sit in the same bucket as --reports ${reports}; use --out s3://${from.bucket}/.../index.html`,
      );
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(target);
    if (!m || m[2]!.endsWith('/'))
      throw new UsageError(
        `--out ${target}: name the object to write, such as s3://${from.bucket}/${from.prefix}index.html`,
      );
    if (m[1] !== from.bucket)
      throw new UsageError(
        `--out ${target}: is in bucket "${m[1]}" but the reports are in "${from.bucket}"; relative links cannot cross buckets`,
      );
    const key = m[2]!;
    const folder = posix.dirname(key) === '.' ? '' : `${posix.dirname(key)}/`;
    return {
      store: openStore(`s3://${from.bucket}/${folder}`),
      key: posix.basename(key),
      location: target,
      linkTo: (f) => posix.relative(`/${folder}`, `/${from.prefix}${f}${REPORT_HTML}`),
    };
  }
  if (out !== undefined && isS3Uri(out))
    throw new UsageError(
      `--out ${out}: the index links to the reports by relative paths, so it must be on the same disk as --reports ${reports}`,
    );
  let file = resolve(out ?? join(reports, 'index.html'));
  if (out !== undefined && (out.endsWith('/') || (existsSync(file) && statSync(file).isDirectory())))
    file = join(file, 'index.html');
  const root = resolve(reports);
  const toPosix = (p: string) => p.split(sep).join('/');
  return {
    store: openStore(dirname(file)),
    key: basename(file),
    location: out ?? join(reports, 'index.html'),
    linkTo: (f) => toPosix(relative(dirname(file), join(root, f, REPORT_HTML))),
  };
}

/** The parsed report, or why it is not one (the index is built from the others). */
export function parseReport(text: string): Report | string {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return `is not valid JSON (${(e as Error).message})`;
  }
  const r = json as Partial<Report> | null;
  if (r === null || typeof r !== 'object' || r.version !== 1)
    return 'is not a driftwatch report.json (no "version": 1)';
  const missing = (['window', 'records', 'datasetDrift'] as const).find(
    (k) => r[k] === null || typeof r[k] !== 'object',
  );
  if (missing !== undefined || !Array.isArray(r.features) || !Array.isArray(r.violations))
    return `is not a driftwatch report.json (no ${missing ?? 'features or violations'})`;
  return r as Report;
}

export async function mapConcurrent<T, U>(
  items: readonly T[],
  limit: number,
  f: (t: T) => Promise<U>,
): Promise<U[]> {
  const out: U[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await f(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** Runs `driftwatch report`; returns the exit status. */
export async function reportCommand(args: string[], io: Pick<Io, 'stdout' | 'stderr'>): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { reports: { type: 'string' }, out: { type: 'string' } },
  });
  if (positionals.length)
    throw new UsageError(`report takes no positional arguments; got "${positionals[0]}"`);
  const reports = values.reports;
  if (!reports)
    throw new UsageError(
      'report needs --reports DIR|s3://bucket/prefix (a folder holding report.json files, at any depth)',
    );
  if (!isS3Uri(reports) && !(existsSync(reports) && statSync(reports).isDirectory()))
    throw new UsageError(`--reports ${reports}: no such folder`);
  const dest = destination(reports, values.out);

  const source = openStore(reports);
  const keys = new Set<string>();
  for await (const o of source.list()) keys.add(o.key);
  const found = [...keys].filter((k) => k === REPORT_JSON || k.endsWith(`/${REPORT_JSON}`));
  if (found.length === 0)
    throw new UsageError(
      `--reports ${reports}: no ${REPORT_JSON} under it; write some with driftwatch run --out ${reports}/WINDOW`,
    );

  const read = await mapConcurrent(found, READ_CONCURRENCY, async (key) => ({
    key,
    parsed: parseReport((await source.getText(key)) ?? ''),
  }));
  const windows: TrendInput[] = [];
  for (const { key, parsed } of read) {
    const where = `${source.location.replace(/\/$/, '')}/${key}`;
    if (typeof parsed === 'string') {
      io.stderr(`driftwatch: skipping ${where}: ${parsed}\n`);
      continue;
    }
    const folder = key.slice(0, key.length - REPORT_JSON.length);
    if (!keys.has(`${folder}${REPORT_HTML}`))
      io.stderr(
        `driftwatch: ${where} has no ${REPORT_HTML} beside it; its points in the index link to a missing page\n`,
      );
    windows.push({ path: dest.linkTo(folder), report: parsed });
  }
  if (windows.length === 0)
    throw new UsageError(
      `--reports ${reports}: none of the ${found.length} ${REPORT_JSON} files under it is a driftwatch report (see the messages above)`,
    );

  windows.sort(byWindowStart);
  await dest.store.putText(dest.key, trendsHtml(windows), 'text/html; charset=utf-8');
  const first = windows[0]!.report.window;
  const last = windows.at(-1)!.report;
  io.stdout(
    `Wrote ${dest.location}: ${windows.length} window${windows.length === 1 ? '' : 's'}, ${windowText({ start: first.start, end: last.window.end })}; ` +
      `latest: ${last.datasetDrift.driftedFeatures} of ${last.datasetDrift.monitoredFeatures} features drifted\n`,
  );
  return 0;
}
