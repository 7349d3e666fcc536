/**
 * Which capture objects belong to a window. SageMaker writes capture under
 * `.../yyyy/mm/dd/hh/` by the UTC hour of the request; files land a few minutes late, so a
 * window also reads the hour folder after its end and lets inferenceTime decide.
 */
import { HOUR_MS } from '../../contracts/time.ts';

const HOUR_PATH = /(?:^|\/)(\d{4})\/(\d{2})\/(\d{2})\/(\d{2})(?:\/|$)/;

/** The UTC hour (ms since epoch) a key's folders name, or null when the key has no hour folders. */
export function hourOfKey(key: string): number | null {
  const m = HOUR_PATH.exec(key);
  if (!m) return null;
  return Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]));
}

/** True when a key may hold records of [startMs, endMs): its hour overlaps, or one hour late. */
export function keyInWindow(key: string, startMs: number, endMs: number): boolean {
  const h = hourOfKey(key);
  if (h === null) return true;
  return h + HOUR_MS > startMs && h < endMs + HOUR_MS;
}

/** `yyyy/mm/dd/hh/` folder names of the hours a window reads (with the late hour). */
export function hourFolders(startMs: number, endMs: number): string[] {
  const out: string[] = [];
  for (let h = Math.floor(startMs / HOUR_MS) * HOUR_MS; h < endMs + HOUR_MS; h += HOUR_MS) {
    const d = new Date(h);
    const p = (n: number) => String(n).padStart(2, '0');
    out.push(`${d.getUTCFullYear()}/${p(d.getUTCMonth() + 1)}/${p(d.getUTCDate())}/${p(d.getUTCHours())}/`);
  }
  return out;
}

/** Capture files are JSON Lines; anything else in the folder is reported and skipped. */
export function isCaptureKey(key: string): boolean {
  return /\.jsonl?$/.test(key);
}
