/**
 * The problem types SageMaker Model Monitor knows, spelled as its `--problem-type` values: one
 * definition for the engine, the runtime configs, the CLI and the stack.
 */
export type ProblemType = 'BinaryClassification' | 'MulticlassClassification' | 'Regression';

/** Every {@link ProblemType}, in a stable order (for messages and validation). */
export const PROBLEM_TYPES: readonly ProblemType[] = [
  'BinaryClassification',
  'MulticlassClassification',
  'Regression',
];

/** Whether `value` is one of the {@link PROBLEM_TYPES}, spelled exactly. */
export function isProblemType(value: unknown): value is ProblemType {
  return typeof value === 'string' && (PROBLEM_TYPES as readonly string[]).includes(value);
}
