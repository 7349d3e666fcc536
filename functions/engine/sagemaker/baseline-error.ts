/** A baseline file that cannot be used; the message names the file and what to do. */
export class BaselineFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'BaselineFileError';
  }
}
