/** Time constants shared by the window, label and cooldown arithmetic. */

/** One hour in milliseconds: capture, labels and reports are kept in UTC hour folders. */
export const HOUR_MS = 3_600_000;
