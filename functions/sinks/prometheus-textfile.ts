/**
 * A window's Prometheus metrics as a file for node_exporter's textfile collector
 * (`--collector.textfile.directory`): written beside the target and renamed over it, so the
 * collector never reads half a file.
 */

import { rename, rm, writeFile } from 'node:fs/promises';

/** Writes `text` to `path` atomically (a temporary file in the same folder, then a rename). */
export async function writePrometheusTextfile(path: string, text: string): Promise<void> {
  // The collector reads only `*.prom`: a `.tmp` suffix keeps the half-written file out of its sight.
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    await writeFile(temporary, text, 'utf8');
    await rename(temporary, path);
  } catch (e) {
    await rm(temporary, { force: true });
    throw new Error(`${path}: cannot write the Prometheus metrics (${(e as Error).message})`, { cause: e });
  }
}
