/**
 * What the retraining Lambda does with each message of its endpoint's topic: decide whether it
 * asks for a retraining (a window summary with dataset drift, a model-quality violation, a
 * significant bias violation, multivariate or feature attribution drift, as `on` says, or the ALARM transition of a
 * named alarm), then claim the window, take the cooldown and start the
 * pipeline or training job, and publish a notice saying what was started or why nothing was.
 * Clients and the clock come in as parameters.
 *
 * Order matters: the window claim comes first (one decision per window, whatever delivers it and
 * however often), then the cooldown (one start per cooldown, whichever windows race for it), then
 * the start. A step that fails before the start is made (reading the cooldown, planning,
 * starting, or the notice of a skip) gives back what was taken, so the Lambda's retry can act.
 */
import type { S3Client } from '@aws-sdk/client-s3';
import type { SageMakerClient } from '@aws-sdk/client-sagemaker';
import type { SNSClient } from '@aws-sdk/client-sns';
import { windowReportLocation } from '../contracts/report-layout.ts';
import type { RetrainingRuntimeConfig } from '../contracts/retraining-config.ts';
import { HOUR_MS } from '../contracts/time.ts';
import { cooldownUntil, RetrainingState } from '../sinks/cooldown.ts';
import { hourLabel } from '../sinks/report-writer.ts';
import { type Notice, publishRetrainingNotice } from '../sinks/retraining-notice.ts';
import {
  describePlan,
  planRetraining,
  type RetrainingRequest,
  type RetrainingStarted,
  startPlanned,
} from '../sinks/retraining-start.ts';
import { alarmWindow, type TopicMessage, topicMessages } from '../sources/topic-message.ts';
import { parseS3Uri } from '../stores/object-store.ts';
import { logger } from './log.ts';

/** What the retraining trigger takes: its config, the clients and the clock. */
export interface RetrainingDeps {
  config: RetrainingRuntimeConfig;
  s3: S3Client;
  sagemaker: SageMakerClient;
  sns: SNSClient;
  now: () => Date;
  /** @default console.log */
  log?: (line: string) => void;
}

/** Why nothing was started for a message that asked for a retraining. */
export type SkipReason = 'window-handled' | 'cooldown' | 'concurrent';

/** What became of one message: ignored, started, skipped (and why), or a dry run's verdict. */
export type RetrainingOutcome =
  | { outcome: 'ignored'; why: string }
  | { outcome: 'started'; request: RetrainingRequest; started: RetrainingStarted }
  | { outcome: 'skipped'; request: RetrainingRequest; why: SkipReason; detail: string }
  | { outcome: 'dry-run'; request: RetrainingRequest; wouldStart: boolean; detail: string };

/** The retraining a message asks for, or why it asks for none. */
export function requestOf(
  message: TopicMessage,
  config: RetrainingRuntimeConfig,
): RetrainingRequest | { ignored: string } {
  const { on } = config;
  if (message.kind === 'window-summary') {
    const s = message.summary;
    if (s.endpoint !== config.endpoint)
      return { ignored: `summary of endpoint ${s.endpoint}, not ${config.endpoint}` };
    const causes: string[] = [];
    if (on.datasetDrift && s.datasetDrift) causes.push('dataset drift was detected');
    if (on.qualityViolation && s.qualityViolations > 0)
      causes.push(
        `${s.qualityViolations} model-quality constraint${s.qualityViolations === 1 ? ' was' : 's were'} broken`,
      );
    if (on.biasViolation && s.biasViolations > 0)
      causes.push(
        `${s.biasViolations} significant bias violation${s.biasViolations === 1 ? ' was' : 's were'} found`,
      );
    if (on.multivariateDrift && s.multivariateDrift) causes.push('multivariate drift was detected');
    if (on.attributionDrift && s.attributionDrift) causes.push('the feature attribution ranking drifted');
    if (causes.length === 0)
      return {
        ignored: `the summary of ${hourLabel(s.windowStart)} has no dataset drift, model-quality or bias violation, multivariate or feature attribution drift that retraining.on names`,
      };
    return {
      endpoint: config.endpoint,
      reason: `${causes.join(' and ')} in the window of ${hourLabel(s.windowStart)}`,
      window: { start: s.windowStart, end: s.windowEnd },
      reportLocation: s.reportLocation,
    };
  }
  if (message.kind === 'alarm') {
    const a = message.alarm;
    if (!on.alarms.includes(a.name)) return { ignored: `alarm ${a.name} is not in retraining.on.alarms` };
    if (a.newState !== 'ALARM') return { ignored: `alarm ${a.name} went to ${a.newState}, not ALARM` };
    const window = alarmWindow(a);
    return {
      endpoint: config.endpoint,
      reason: `alarm ${a.name} went to ALARM at ${a.stateChangeTime.toISOString()}`,
      window,
      reportLocation: windowReportLocation(config, window.start),
    };
  }
  return { ignored: `a ${message.kind} message asks for no retraining` };
}

/** Handles every message of an SNS event, one after another. */
export async function runRetraining(deps: RetrainingDeps, event: unknown): Promise<RetrainingOutcome[]> {
  const log = logger(deps.log);
  const outcomes: RetrainingOutcome[] = [];
  for (const message of topicMessages(event)) {
    const request = requestOf(message, deps.config);
    const outcome =
      'ignored' in request
        ? ({ outcome: 'ignored', why: request.ignored } as const)
        : await act(deps, request);
    log.info(`retraining ${outcome.outcome}`, {
      endpoint: deps.config.endpoint,
      ...(outcome.outcome === 'ignored'
        ? { why: outcome.why }
        : {
            reason: outcome.request.reason,
            window: { start: outcome.request.window.start, end: outcome.request.window.end },
            ...(outcome.outcome === 'started' ? { started: outcome.started } : { detail: outcome.detail }),
          }),
    });
    outcomes.push(outcome);
  }
  return outcomes;
}

async function act(deps: RetrainingDeps, request: RetrainingRequest): Promise<RetrainingOutcome> {
  const { config } = deps;
  const now = deps.now();
  const cooldownMs = config.cooldownHours * HOUR_MS;
  const { bucket, prefix } = parseS3Uri(config.stateUri);
  const state = new RetrainingState(deps.s3, bucket, prefix);
  const windowStart = request.window.start;

  if (config.dryRun) {
    // Reads the state real starts left, writes nothing: a dry run never holds back a real start.
    const plan = await planRetraining(deps.sagemaker, config.action, request);
    const claim = await state.windowClaim(windowStart);
    const last = await state.lastStart();
    const until = last ? cooldownUntil(last, cooldownMs) : undefined;
    const blocked = claim
      ? `the window was already handled at ${claim.claimedAt}`
      : until && now < until
        ? `the cooldown from the start at ${last!.startedAt} lasts until ${until.toISOString()}`
        : undefined;
    const detail = blocked
      ? `would not start ${describePlan(plan)}: ${blocked}`
      : `would start ${describePlan(plan)}`;
    const outcome: RetrainingOutcome = { outcome: 'dry-run', request, wouldStart: !blocked, detail };
    await notify(deps, outcome, now, JSON.stringify(plan.input, null, 2));
    return outcome;
  }

  const claim = await state.claimWindow(windowStart, {
    claimedAt: now.toISOString(),
    reason: request.reason,
  });
  if (!claim) {
    const earlier = await state.refusedClaim(windowStart);
    return skip(
      deps,
      request,
      now,
      'window-handled',
      `the window was already handled${earlier ? ` at ${earlier.claimedAt} (${earlier.reason})` : ''}`,
    );
  }

  // Until the start is made, a failure gives the claim back (and the cooldown, once taken), so
  // the retry decides the window again instead of finding it "already handled". After the start
  // the claim stays: the window was decided, and a retry must not start it twice.
  let started: RetrainingStarted;
  try {
    const cooldown = await state.takeCooldown(
      {
        startedAt: now.toISOString(),
        window: { start: windowStart.toISOString(), end: request.window.end.toISOString() },
        reason: request.reason,
      },
      now,
      cooldownMs,
    );
    if (!cooldown.taken) {
      const detail =
        cooldown.why === 'cooldown'
          ? `a retraining started at ${cooldown.last.startedAt} (${cooldown.last.reason}), and none starts within ${config.cooldownHours} hours of it, until ${cooldown.until.toISOString()}`
          : 'another run started a retraining at the same moment';
      return await skip(deps, request, now, cooldown.why, detail);
    }
    try {
      started = await startPlanned(
        deps.sagemaker,
        await planRetraining(deps.sagemaker, config.action, request),
      );
    } catch (e) {
      return await giveBack(e, [cooldown.release]);
    }
  } catch (e) {
    return await giveBack(e, [claim.release], `s3://${bucket}/${state.windowKey(windowStart)}`);
  }
  const outcome: RetrainingOutcome = { outcome: 'started', request, started };
  await notify(deps, outcome, now);
  return outcome;
}

/**
 * Gives back what a failed step had taken, then throws its error; when a give-back fails too,
 * the error says so (and which claim to delete, when `claimKey` is given) with the step's error
 * as its cause.
 */
async function giveBack(
  error: unknown,
  releases: (() => Promise<void>)[],
  claimKey?: string,
): Promise<never> {
  const message = (e: unknown) => (e instanceof Error ? e.message : String(e));
  const failed: string[] = [];
  for (const release of releases) {
    try {
      await release();
    } catch (e) {
      failed.push(message(e));
    }
  }
  if (failed.length === 0) throw error;
  throw new Error(
    `${message(error)}; giving back what it had taken failed too (${failed.join('; ')})${claimKey ? `: delete ${claimKey} for a retry to act on the window` : ''}`,
    { cause: error },
  );
}

async function skip(
  deps: RetrainingDeps,
  request: RetrainingRequest,
  now: Date,
  why: SkipReason,
  detail: string,
): Promise<RetrainingOutcome> {
  const outcome: RetrainingOutcome = { outcome: 'skipped', request, why, detail };
  await notify(deps, outcome, now);
  return outcome;
}

/** The notice of a start, skip or dry run (`now`: when it was decided), subject and text. */
export function noticeOf(
  config: RetrainingRuntimeConfig,
  outcome: Exclude<RetrainingOutcome, { outcome: 'ignored' }>,
  now: Date,
  requestJson?: string,
): Notice {
  const { request } = outcome;
  const e = config.endpoint;
  const context = [
    `Window: ${request.window.start.toISOString()} to ${request.window.end.toISOString()}`,
    `Report: ${request.reportLocation}`,
  ];
  if (outcome.outcome === 'started') {
    const s = outcome.started;
    const what = s.kind === 'pipeline-execution' ? 'Pipeline execution' : 'Training job';
    return {
      subject: `driftwatch: ${e} retraining started`,
      message: [
        `driftwatch started a retraining of endpoint ${e} because ${request.reason}.`,
        '',
        `${what}: ${s.name}${s.arn ? ` (${s.arn})` : ''}${s.existed ? ', started by an earlier attempt for this window' : ''}`,
        ...context,
        '',
        `No other retraining of ${e} starts before ${new Date(now.getTime() + config.cooldownHours * HOUR_MS).toISOString()} (cooldown of ${config.cooldownHours} hours).`,
        '',
      ].join('\n'),
    };
  }
  if (outcome.outcome === 'skipped')
    return {
      subject: `driftwatch: ${e} retraining skipped`,
      message: [
        `driftwatch did not start a retraining of endpoint ${e}: ${outcome.detail}.`,
        '',
        `Asked for because ${request.reason}.`,
        ...context,
        '',
      ].join('\n'),
    };
  return {
    subject: `driftwatch: ${e} retraining dry run`,
    message: [
      `Dry run: driftwatch ${outcome.detail}, because ${request.reason}.`,
      '',
      ...context,
      '',
      ...(requestJson ? ['The request it would send:', requestJson, ''] : []),
      'Set retraining.dryRun to false in the config to start retrainings.',
      '',
    ].join('\n'),
  };
}

async function notify(
  deps: RetrainingDeps,
  outcome: Exclude<RetrainingOutcome, { outcome: 'ignored' }>,
  now: Date,
  requestJson?: string,
): Promise<void> {
  await publishRetrainingNotice(
    deps.sns,
    deps.config.topicArn,
    deps.config.endpoint,
    noticeOf(deps.config, outcome, now, requestJson),
  );
}
