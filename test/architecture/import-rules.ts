/**
 * The layering rules of the source tree (ARCHITECTURE.md), as data, and the checker that holds
 * every import of `functions/` and `infra/` to them. Type-only imports count: a type import is
 * still a dependency of the design, and loops of them were what hid the layers before.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** A source file: its path from the repository root and its text. */
export interface SourceFile {
  path: string;
  text: string;
}

/** One import that breaks a rule, with the rule's reason. */
export interface Breach {
  file: string;
  specifier: string;
  reason: string;
}

/**
 * The engine's folders, lowest first. A folder may import its own files and those of the
 * folders listed with it; anything else in the engine is higher and off limits.
 */
export const ENGINE_LAYERS: Readonly<Record<string, readonly string[]>> = {
  stats: [],
  capture: ['stats'],
  profile: ['capture', 'stats'],
  sagemaker: ['profile', 'capture', 'stats'],
  drift: ['sagemaker', 'profile', 'capture', 'stats'],
  quality: ['drift', 'sagemaker', 'profile', 'capture', 'stats'],
  bias: ['drift', 'sagemaker', 'profile', 'capture', 'stats'],
  multivariate: ['profile', 'capture', 'stats'],
  attribution: ['quality', 'profile', 'capture', 'stats'],
  report: [
    'quality',
    'bias',
    'multivariate',
    'attribution',
    'drift',
    'sagemaker',
    'profile',
    'capture',
    'stats',
  ],
  export: [
    'report',
    'quality',
    'bias',
    'multivariate',
    'attribution',
    'drift',
    'sagemaker',
    'profile',
    'capture',
    'stats',
  ],
  render: [
    'report',
    'quality',
    'bias',
    'multivariate',
    'attribution',
    'drift',
    'sagemaker',
    'profile',
    'capture',
    'stats',
  ],
};

/** Which top-level parts of `functions/` each part may import (besides itself). */
export const PART_IMPORTS: Readonly<Record<string, readonly string[]>> = {
  contracts: [],
  engine: ['contracts'],
  stores: ['contracts'],
  sources: ['contracts', 'engine', 'stores'],
  sinks: ['contracts', 'engine', 'stores'],
  pipeline: ['contracts', 'engine', 'stores', 'sources', 'sinks'],
  handlers: ['contracts', 'engine', 'stores', 'sources', 'sinks', 'pipeline'],
  cli: ['contracts', 'engine', 'stores', 'sources', 'sinks', 'pipeline'],
};

/** Every module specifier a file names: static imports and re-exports, and dynamic `import()`. */
export function importSpecifiers(text: string): string[] {
  // Comments may mention paths in prose: drop them first (strings never contain `/*` here).
  const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
  const out: string[] = [];
  for (const m of code.matchAll(/(?:^|[;\s])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/g))
    out.push(m[1]!);
  for (const m of code.matchAll(/(?:^|[;\s])import\s*['"]([^'"]+)['"]/g)) out.push(m[1]!);
  for (const m of code.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) out.push(m[1]!);
  return out;
}

/** `functions/engine/drift/compare.ts` -> `{ part: 'engine', layer: 'drift' }`; infra -> `{ part: 'infra' }`. */
function placeOf(file: string): { part: string; layer?: string } | null {
  const seg = file.split('/');
  if (seg[0] === 'infra') return { part: 'infra' };
  if (seg[0] !== 'functions' || seg.length < 3) return null;
  const part = seg[1]!;
  return part === 'engine' && seg.length >= 4 ? { part, layer: seg[2]! } : { part };
}

/** The breaches of `files`' imports: empty when the tree keeps its layers. */
export function checkImports(files: readonly SourceFile[]): Breach[] {
  const breaches: Breach[] = [];
  for (const file of files) {
    const from = placeOf(file.path);
    if (from === null) continue;
    for (const specifier of importSpecifiers(file.text)) {
      const reason = breachOf(file.path, from, specifier);
      if (reason !== null) breaches.push({ file: file.path, specifier, reason });
    }
  }
  return breaches;
}

function breachOf(file: string, from: { part: string; layer?: string }, specifier: string): string | null {
  const relative = specifier.startsWith('.');
  const bare = !relative;
  const isNode = specifier.startsWith('node:');
  const isAws = specifier.startsWith('@aws-sdk/') || specifier.startsWith('@smithy/');
  if (from.part === 'contracts' && bare) return 'contracts import nothing but other contracts files';
  if (from.part === 'engine' && (isNode || isAws))
    return 'the engine imports no node:* module and no AWS SDK';
  if (bare) return null;
  const target = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
  const to = placeOf(target);
  if (from.part === 'infra') {
    if (to?.part === 'infra') return null;
    if (to?.part === 'contracts') return null;
    return 'infra imports only functions/contracts (handlers are referred to by entry path)';
  }
  if (to === null || to.part === 'infra') return `${from.part} imports nothing outside functions/`;
  if (from.part === 'handlers' && to.part === 'handlers') return 'a handler never imports another handler';
  if (to.part === from.part) {
    if (from.part !== 'engine' || from.layer === undefined || to.layer === undefined) return null;
    if (to.layer === from.layer) return null;
    const allowed = ENGINE_LAYERS[from.layer];
    if (allowed === undefined)
      return `engine/${from.layer} is not a known engine folder (add it to ENGINE_LAYERS)`;
    return allowed.includes(to.layer)
      ? null
      : `engine/${from.layer} may not import the higher engine/${to.layer}`;
  }
  const parts = PART_IMPORTS[from.part];
  if (parts === undefined) return `functions/${from.part} is not a known part (add it to PART_IMPORTS)`;
  return parts.includes(to.part) ? null : `${from.part} may not import ${to.part}`;
}

/** Every `.ts`/`.mjs` file under `dirs` (paths from `root`). */
export function sourceFiles(root: string, dirs: readonly string[]): SourceFile[] {
  const out: SourceFile[] = [];
  const walk = (rel: string) => {
    for (const e of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const p = `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else if (/\.(ts|mjs)$/.test(e.name))
        out.push({ path: p, text: readFileSync(path.join(root, p), 'utf8') });
    }
  };
  for (const d of dirs) walk(d);
  return out;
}
