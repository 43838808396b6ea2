/**
 * Errors of the ark-holdings tool, each with the process exit code the CLI uses (2 for bad
 * usage or configuration, 1 at run time). CSV errors name the line and column and say why.
 */

export class ArkError extends Error {
  constructor(
    message: string,
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
    this.name = 'ArkError';
  }
}

export class ArkConfigError extends ArkError {
  constructor(message: string) {
    super(message, 2);
    this.name = 'ArkConfigError';
  }
}

/** A holdings CSV that cannot be read; `line` is 1-based, `column` the header name when known. */
export class CsvParseError extends ArkError {
  constructor(
    readonly source: string,
    readonly line: number,
    readonly column: string | null,
    readonly reason: string,
  ) {
    super(`${source}: line ${line}${column ? `, column "${column}"` : ''}: ${reason}`);
    this.name = 'CsvParseError';
  }
}
