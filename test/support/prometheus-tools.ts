/**
 * Debian's Prometheus tools for the tests (apt-get install prometheus prometheus-pushgateway
 * prometheus-node-exporter;
 * `.ci/run` installs them): where they are, and servers started on free ports with storage in
 * temporary folders, stopped by the test that started them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

/** The tools the Prometheus tests drive. */
export const PROMETHEUS_TOOLS = [
  'promtool',
  'prometheus',
  'prometheus-pushgateway',
  'prometheus-node-exporter',
] as const;

/** The absolute path of `name` on PATH, or null. */
export function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return null;
}

/**
 * Whether the tools are here. Without them the suite is skipped with a warning, except under
 * CI (`CI` set), where it fails: `.ci/run` installs Debian's packages.
 */
export function requirePrometheusTools(suite: string): boolean {
  const missing = PROMETHEUS_TOOLS.filter((t) => onPath(t) === null);
  if (missing.length === 0) return true;
  const fix = 'apt-get install prometheus prometheus-pushgateway prometheus-node-exporter';
  if (process.env.CI)
    throw new Error(
      `${missing.join(', ')} not found: ${suite} needs Debian's packages (${fix}); .ci/run installs them`,
    );
  console.warn(`${suite} skipped: ${missing.join(', ')} not found (${fix} to run it)`);
  return false;
}

/** A port nothing listens on now, on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A server the test started: its base URL, its output so far, and how to stop it. */
export interface StartedServer {
  url: string;
  output: () => string;
  stop: () => Promise<void>;
}

/**
 * Starts `command args` and waits until `readyPath` answers 200 on `port` (at most `timeoutMs`);
 * fails with the process's output when it exits or does not get ready.
 */
export async function startServer(
  command: string,
  args: string[],
  port: number,
  readyPath: string,
  timeoutMs = 15_000,
): Promise<StartedServer> {
  const child: ChildProcess = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (b: Buffer) => {
    output += b.toString();
  });
  child.stderr?.on('data', (b: Buffer) => {
    output += b.toString();
  });
  let exited: number | null | undefined;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', (code) => {
      exited = code;
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exited !== undefined)
      throw new Error(`${command} exited with ${exited} before it was ready:\n${output}`);
    try {
      const r = await fetch(`${url}${readyPath}`);
      if (r.ok) return { url, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`${command} was not ready at ${url}${readyPath} after ${timeoutMs} ms:\n${output}`);
}
