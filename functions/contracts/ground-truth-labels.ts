/**
 * Ground-truth labels as read from their files (functions/sources/ground-truth.ts) and joined to
 * a window's predictions (functions/engine/quality/prediction-join.ts): the labels by join key,
 * and what could not be used, by reason.
 */

/** Why a ground-truth line was not used. These names appear in the report's label counts. */
export type LabelRejectReason =
  | 'invalid_json'
  | 'not_an_object'
  | 'missing_ground_truth_data'
  | 'missing_event_id'
  | 'unknown_encoding'
  | 'invalid_base64'
  | 'unsupported_content_type'
  | 'invalid_json_payload'
  | 'empty_label'
  | 'multiple_labels'
  | 'unsupported_label_payload'
  | 'invalid_utf8'
  | 'line_too_long';

/** A reader-facing explanation of each {@link LabelRejectReason}. */
export const LABEL_REJECT_REASON_TEXT: Readonly<Record<LabelRejectReason, string>> = {
  invalid_json: 'the line is not valid JSON',
  not_an_object: 'the line is JSON but not an object',
  missing_ground_truth_data: 'the object has no groundTruthData with a string "data" field',
  missing_event_id: 'eventMetadata.eventId (the join key) is missing or not a string',
  unknown_encoding: 'groundTruthData.encoding is not CSV, JSON or BASE64',
  invalid_base64: 'BASE64 data does not decode to UTF-8 text',
  unsupported_content_type: 'BASE64 data has a content type that is neither CSV nor JSON',
  invalid_json_payload: 'JSON data does not parse',
  empty_label: 'the label is empty or null',
  multiple_labels: 'the data holds more than one record; a label is one value',
  unsupported_label_payload:
    'JSON data is neither a scalar, a one-element list, nor an object with one value or a "label" key',
  invalid_utf8: 'the line is not valid UTF-8',
  line_too_long: 'the line is longer than the line limit',
};

/** What a read of ground-truth files went through, besides the labels themselves. */
export interface LabelFilesRead {
  /** Non-blank lines read (used, duplicate or rejected). */
  lines: number;
  /** Lines not used, by reason. */
  rejectedByReason: Partial<Record<LabelRejectReason, number>>;
  /** Files read. */
  files: number;
  /** Files in the range that are not JSON Lines (`.jsonl`/`.json`), not read. */
  skipped: string[];
}

/** The labels read from a store's ground-truth files, kept in a map (for small reads and tests). */
export interface GroundTruthLabels extends LabelFilesRead {
  /** The label of each join key (`eventMetadata.eventId`); the last one read wins. */
  labels: Map<string, string | number>;
  /** Labels that replaced an earlier label for the same id. */
  duplicates: number;
}

/** Total of {@link GroundTruthLabels.rejectedByReason}. */
export function rejectedLabelCount(labels: Pick<GroundTruthLabels, 'rejectedByReason'>): number {
  let n = 0;
  for (const v of Object.values(labels.rejectedByReason)) n += v ?? 0;
  return n;
}
