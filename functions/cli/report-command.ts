/**
 * `driftwatch report --reports DIR|s3://... [--out FILE]`: builds index.html over every
 * report.json under a folder or S3 prefix (any depth), in window order, with each point linking
 * to its window's report.html relative to the index.
 */
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, posix, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { isS3Uri, parseS3Uri } from '../contracts/s3-uri.ts';
import { windowText } from '../engine/render/report-html.ts';
import { collectReports, REPORT_HTML, REPORT_JSON, renderIndex } from '../sinks/report-index.ts';
import type { ObjectStore } from '../stores/object-store.ts';
import { existingFolder, outputFolder } from './flags.ts';
import type { Io } from './io.ts';
import { openStore } from './stores.ts';
import { UsageError } from './usage.ts';

/** Where index.html goes, and how a report's folder (a key under --reports) is linked from it. */
interface Destination {
  store: ObjectStore;
  key: string;
  /** The printable location of the file written. */
  location: string;
  /** The href of `folder/report.html` (folder relative to the --reports root, '' for the root). */
  linkTo: (folder: string) => string;
}

/** The index is never written over a window's report.json or the report.html it links to. */
function refuseInputName(name: string, out: string): void {
  if (name === REPORT_JSON || name === REPORT_HTML)
    throw new UsageError(
      `--out ${out}: would overwrite a window's ${name}, which the index reads or links to; name the index, such as index.html`,
    );
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
    refuseInputName(posix.basename(key), target);
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
  refuseInputName(basename(file), out ?? file);
  outputFolder(dirname(file), '--out');
  const root = resolve(reports);
  const toPosix = (p: string) => p.split(sep).join('/');
  return {
    store: openStore(dirname(file)),
    key: basename(file),
    location: out ?? join(reports, 'index.html'),
    linkTo: (f) => toPosix(relative(dirname(file), join(root, f, REPORT_HTML))),
  };
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
  existingFolder(reports, '--reports');
  const dest = destination(reports, values.out);

  const onIssue = (message: string) => io.stderr(`driftwatch: ${message}\n`);
  const source = openStore(reports, onIssue);
  const collected = await collectReports(source, { linkTo: dest.linkTo, onIssue });
  const { found } = collected;
  if (found === 0)
    throw new UsageError(
      `--reports ${reports}: no ${REPORT_JSON} under it; write some with driftwatch run --out ${reports}/WINDOW`,
    );
  const page = collected.windows.length === 0 ? null : renderIndex(collected.windows, undefined, onIssue);
  if (page === null || page.windows.length === 0)
    throw new UsageError(
      `--reports ${reports}: none of the ${found} ${REPORT_JSON} files under it is a driftwatch report (see the messages above)`,
    );
  const { windows } = page;
  await dest.store.putText(dest.key, page.html, 'text/html; charset=utf-8');
  const first = windows[0]!.report.window;
  const last = windows.at(-1)!.report;
  io.stdout(
    `Wrote ${dest.location}: ${windows.length} window${windows.length === 1 ? '' : 's'}, ${windowText({ start: first.start, end: last.window.end })}; ` +
      `latest: ${last.datasetDrift.driftedFeatures} of ${last.datasetDrift.monitoredFeatures} features drifted` +
      (found > windows.length ? `; ${found - windows.length} ${REPORT_JSON} skipped (named above)` : '') +
      '\n',
  );
  return 0;
}
