/**
 * Text from the user's data (feature and column names, categories, labels, warnings that quote
 * them) made safe to print on a terminal or in a CI log, and to put in an e-mail. A name is shown,
 * never obeyed: it cannot start a line of its own, move the cursor, recolour or clear the screen,
 * reorder what follows it, or run a GitHub Actions workflow command.
 */

/**
 * Characters that reorder the text around them: the bidi embeddings and overrides (U+202A to
 * U+202E) and isolates (U+2066 to U+2069), and the marks U+200E, U+200F and U+061C. A name made
 * of them can show `drift ok` where the text says `ko tfird`.
 */
const BIDI = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * What a terminal or a log reader acts on: C0 controls (newline, carriage return, tab, ESC of
 * ANSI sequences, bell, backspace), DEL, C1 controls (U+0080 to U+009F, of which U+009B is a
 * one-character CSI), the Unicode line and paragraph separators, and the bidi characters.
 */
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `\xNN` for a character up to U+00FF, `\uNNNN` above: what JavaScript would write. */
function escaped(c: string): string {
  const n = c.charCodeAt(0);
  return n <= 0xff ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

/**
 * Bidi embeddings, overrides, isolates and marks written as `\uNNNN`, so the text reads in the
 * order it is stored (e-mails: the SNS summary).
 */
export function escapeBidi(text: string): string {
  return text.replace(BIDI, escaped);
}

/**
 * A value from data as one piece of a terminal line: every control, line-breaking and bidi
 * character written as `\xNN` or `\uNNNN` (so a name stays on its line and does nothing), and a
 * value that starts with `::` (GitHub Actions reads `::command::` at the start of a line, after
 * blanks) gets its first `:` written `\x3a`. Backslashes stay as they are.
 */
export function terminalText(value: unknown): string {
  const text = String(value).replace(CONTROL, escaped);
  return /^\s*::/.test(text) ? text.replace(':', '\\x3a') : text;
}
