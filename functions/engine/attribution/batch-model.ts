/**
 * The model the attribution engine explains: anything that scores many rows at once. The engine
 * builds the rows (a record's values mixed with the background's) and never knows whether the
 * scores come from a SageMaker endpoint (`functions/sources/endpoint-model.ts`) or a function.
 */

/** One input value of a model row: numbers, categories as text, and `null` for a missing value. */
export type ModelValue = number | string | null;

/** A model row: one value per feature, in the features' column order. */
export type ModelRow = readonly ModelValue[];

/** What a model has been asked so far: requests made (HTTP calls, for an endpoint) and rows scored. */
export interface ModelUsage {
  requests: number;
  rows: number;
}

/**
 * A model scoring rows in batches: `predict` returns one number per row, in order. It may split a
 * batch into several requests of its own; `usage`, when given, says how many it made. A failure
 * is thrown as an `Error` whose message names what failed and never holds row values: the engine
 * passes the message on into its result.
 */
export interface BatchModel {
  predict(rows: readonly ModelRow[]): Promise<number[]>;
  usage?(): ModelUsage;
}

/** Probabilities this close to 0 or 1 are taken at this distance, so logit stays finite. */
export const LOGIT_EPSILON = 1e-12;

/**
 * Clarify's `use_logit`: log(p / (1 - p)) of a probability, with p within [0, 1] held at
 * {@link LOGIT_EPSILON} from the ends. NaN for a value that is not a probability.
 */
export function logit(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  const q = Math.min(Math.max(p, LOGIT_EPSILON), 1 - LOGIT_EPSILON);
  return Math.log(q / (1 - q));
}

/**
 * `model` with its output taken through {@link logit}. A score outside [0, 1] fails the batch
 * (the message says which row of the batch, not its value).
 */
export function withLogitOutput(model: BatchModel): BatchModel {
  const wrapped: BatchModel = {
    async predict(rows) {
      const scores = await model.predict(rows);
      return scores.map((p, i) => {
        const z = logit(p);
        if (Number.isNaN(z))
          throw new Error(
            `use_logit: the model's output for row ${i} of a batch is not a probability in [0, 1]; turn use_logit off for a model that returns log-odds or scores`,
          );
        return z;
      });
    },
  };
  const usage = model.usage;
  if (usage !== undefined) wrapped.usage = () => usage.call(model);
  return wrapped;
}
