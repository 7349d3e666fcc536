/**
 * The limits a window is profiled with when they derive from memory (issue 17, "memory bounded
 * by configuration, not by the client"): the CLI's `run --memory-mb N`, and the deployed
 * monitor's `MONITOR_CONFIG.profileMemoryMb`. Deployed, the monitor function, the fan-out
 * workers and the reducer all derive them here from the same config and baseline, so every part
 * of a window is profiled alike and the parts merge into the whole.
 */
import type { MonitorRuntimeConfig } from '../contracts/monitor-config.ts';
import type { Baseline } from '../engine/drift/baseline.ts';
import { limitsForMemory, type MemoryLimits } from '../engine/profile/memory-limits.ts';
import { type LineWriter, logger } from './log.ts';
import type { RunWindowOptions } from './run-window.ts';

/** What a window's profile is bounded by; absent fields take the profiler's defaults. */
export type WindowLimits = Pick<RunWindowOptions, 'limits' | 'maxLineBytes' | 'maxColumns'>;

/** The limits of a window profiled within `memoryMb` against `baseline`'s features. */
export function baselineMemoryLimits(memoryMb: number, baseline: Pick<Baseline, 'features'>): MemoryLimits {
  let numeric = 0;
  let categorical = 0;
  for (const f of baseline.features)
    if (f.kind === 'numeric') numeric++;
    else categorical++;
  return limitsForMemory(memoryMb, { numeric, categorical });
}

/**
 * The limits of a deployed window: derived from `profileMemoryMb`, or the profiler's defaults
 * for a config written before the field existed. Pure: every step gets the same answer.
 */
export function configuredLimits(
  config: Pick<MonitorRuntimeConfig, 'profileMemoryMb'>,
  baseline: Pick<Baseline, 'features'>,
): WindowLimits {
  if (config.profileMemoryMb === undefined) return {};
  const { limits, maxLineBytes, maxColumns } = baselineMemoryLimits(config.profileMemoryMb, baseline);
  return { limits, maxLineBytes, maxColumns };
}

/**
 * Logs one warning line when the worst case of the configured limits does not fit
 * `profileMemoryMb` (a function too small for the limits' floors); the run goes on. Called once
 * per run, by the step that starts it (the monitor function, or the fan-out's Plan step).
 */
export function warnUnfitLimits(
  deps: { config: MonitorRuntimeConfig; log?: LineWriter },
  baseline: Pick<Baseline, 'features'>,
): void {
  const { config } = deps;
  const memory = config.profileMemoryMb;
  if (memory === undefined) return;
  const derived = baselineMemoryLimits(memory, baseline);
  if (derived.worstCaseMb <= memory) return;
  logger(deps.log).warn(
    "profile limits' worst case exceeds the profiling memory; a hostile window may run out of memory: raise the monitor's (and fan-out worker's) memory",
    {
      endpoint: config.endpoint,
      schedule: config.scheduleName,
      profileMemoryMb: memory,
      worstCaseMb: derived.worstCaseMb,
      maxLineBytes: derived.maxLineBytes,
      maxColumns: derived.maxColumns,
      exactCap: derived.limits.exactCap,
      maxCategories: derived.limits.maxCategories,
    },
  );
}
