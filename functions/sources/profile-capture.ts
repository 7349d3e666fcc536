/**
 * Profiles the capture objects of one window from any ObjectStore: lists, keeps the objects
 * that may hold the window's records, and streams each through a WindowProfiler.
 */
import { isCaptureKey, keyInWindow } from '../engine/capture-window.ts';
import type { WindowProfile } from '../engine/window-profile.ts';
import type { WindowProfiler } from '../engine/window-profiler.ts';
import type { ObjectStore, StoredObject } from './object-store.ts';

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
    if (!isCaptureKey(o.key)) {
      skipped.push(o.key);
      continue;
    }
    if (keyInWindow(o.key, startMs, endMs)) objects.push(o);
  }
  return { objects, skipped };
}

/** Streams objects through the profiler, one file at a time, calling `onObject` after each. */
export async function profileObjects(
  store: ObjectStore,
  objects: readonly StoredObject[],
  profiler: WindowProfiler,
  onObject?: (done: number, bytes: number) => void,
): Promise<WindowProfile> {
  let bytes = 0;
  for (let i = 0; i < objects.length; i++) {
    const splitter = profiler.fileSplitter();
    for await (const chunk of store.read(objects[i]!.key)) {
      splitter.push(chunk);
      bytes += chunk.length;
    }
    splitter.end();
    onObject?.(i + 1, bytes);
  }
  return profiler.profile;
}
