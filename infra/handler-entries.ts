import { fileURLToPath } from 'node:url';

/** The absolute path of a file of this repository, from its path relative to infra/. */
const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));

/**
 * The Lambda handlers the stack deploys, each by the path of its entry file only: esbuild bundles
 * them, and infra/ never imports their code (of functions/ it imports only contracts/).
 */
export const HANDLER_ENTRIES = {
  monitor: path('../functions/handlers/monitor.ts'),
  profileWorker: path('../functions/handlers/profile-worker.ts'),
  reduceWindow: path('../functions/handlers/reduce-window.ts'),
  slackNotifier: path('../functions/handlers/slack-notifier.ts'),
  retraining: path('../functions/handlers/retraining.ts'),
} as const;
