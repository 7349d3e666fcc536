/**
 * Profiles the capture objects of one window from any ObjectStore: lists, keeps the objects
 * that may hold the window's records, and streams each through a WindowProfiler.
 */
import { isDriftwatchOutput } from '../contracts/report-layout.ts';
import { isCaptureKey, keyInWindow } from '../engine/capture/capture-window.ts';
import type { WindowProfile } from '../engine/profile/window-profile.ts';
import type { WindowProfiler } from '../engine/profile/window-profiler.ts';
import { ObjectMissingError, type ObjectStore, type StoredObject } from '../stores/object-store.ts';

/** A window's capture objects, and the files beside them that are not capture. */
export interface CaptureSelection {
  objects: StoredObject[];
  /** Files in the folder that are not capture files (reported, not read). */
  skipped: string[];
}

/** Lists the capture objects of a window ([start, end) in ms; open ends read everything). */
export async function selectCaptureObjects(
  store: ObjectStore,
  startMs: number,
  endMs: number,
  prefix = '',
): Promise<CaptureSelection> {
  const objects: StoredObject[] = [];
  const skipped: string[] = [];
  for await (const o of store.list(prefix)) {
    // driftwatch's own files (a report folder inside the capture tree) are never capture.
    if (!isCaptureKey(o.key) || isDriftwatchOutput(o.key)) {
      skipped.push(o.key);
      continue;
    }
    if (keyInWindow(o.key, startMs, endMs)) objects.push(o);
  }
  return { objects, skipped };
}

/** Bytes of read-ahead held in memory at most, whatever the store's read-ahead count. */
const READ_AHEAD_BYTES = 64 * 1024 * 1024;

/**
 * Streams objects through the profiler in key order, calling `onObject` after each. Stores with
 * a read-ahead (S3) fetch the next objects while one is profiled, within READ_AHEAD_BYTES. An
 * object deleted between listing and reading is counted and skipped (its records were never
 * read, so none is lost); any other failure, or one mid-object, fails the window.
 *
 * `shouldStop` is asked between objects (never before the first, never inside one): when it
 * says yes, the objects read so far are the profile and the rest are left unread; the last
 * `onObject` call says how many were read. Reads fetched ahead are abandoned.
 */
export async function profileObjects(
  store: ObjectStore,
  objects: readonly StoredObject[],
  profiler: WindowProfiler,
  onObject?: (done: number, bytes: number) => void,
  shouldStop?: () => boolean,
  ordinals?: readonly number[],
): Promise<WindowProfile> {
  const ahead = Math.max(1, store.readAhead ?? 1);
  const fetched = new Map<number, Promise<Uint8Array[] | null>>();
  let next = 0;
  let held = 0;
  const fetchUpTo = (i: number) => {
    while (
      next < objects.length &&
      next <= i + ahead &&
      (next === i || held + objects[next]!.size <= READ_AHEAD_BYTES)
    ) {
      const size = objects[next]!.size;
      held += size;
      const fetch = readWhole(store, objects[next]!.key);
      // Marked handled here; the loop awaits it in order and rethrows. Without this, a second
      // failing prefetch would be an unhandled rejection once the first one fails the window.
      fetch.catch(() => {});
      fetched.set(next, fetch);
      next++;
    }
  };
  let bytes = 0;
  for (let i = 0; i < objects.length; i++) {
    if (i > 0 && shouldStop?.()) break;
    let chunks: AsyncIterable<Uint8Array> | Uint8Array[] | null;
    if (ahead > 1) {
      fetchUpTo(i);
      chunks = await fetched.get(i)!;
      fetched.delete(i);
      held -= objects[i]!.size;
    } else chunks = store.read(objects[i]!.key);
    profiler.beginObject(ordinals?.[i] ?? i);
    const splitter = profiler.fileSplitter();
    try {
      for await (const chunk of chunks ?? []) {
        splitter.push(chunk);
        bytes += chunk.length;
      }
    } catch (e) {
      if (!(e instanceof ObjectMissingError)) throw e;
      chunks = null;
    }
    if (chunks === null) profiler.profile.missingObjects++;
    else splitter.end();
    onObject?.(i + 1, bytes);
  }
  return profiler.profile;
}

async function readWhole(store: ObjectStore, key: string): Promise<Uint8Array[] | null> {
  const chunks: Uint8Array[] = [];
  try {
    // Copied (Buffer#slice would not): a chunk is only valid until the next is read.
    for await (const chunk of store.read(key)) chunks.push(new Uint8Array(chunk));
  } catch (e) {
    if (e instanceof ObjectMissingError && chunks.length === 0) return null;
    throw e;
  }
  return chunks;
}
