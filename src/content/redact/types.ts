/** One secret found in a text. Offsets are JavaScript string indices (UTF-16 code units); `end` is exclusive. */
export interface SecretFinding {
  rule: string;
  start: number;
  end: number;
}

/**
 * The result of redacting a text. `counts` maps rule names to how many findings were replaced (the
 * values are never recorded). When `failed` is true the text could not be scanned (the scanner threw
 * or ran over its time budget), `text` is the placeholder `[REDACTED:unscannable]`, never the input,
 * and `counts` is empty (the caller counts failures from `failed`).
 */
export interface Redaction {
  text: string;
  counts: Record<string, number>;
  failed: boolean;
}

export interface Redactor {
  /** Findings of every scanner, merged: sorted by `start`, non-overlapping, non-empty. */
  scan(text: string): Promise<SecretFinding[]>;
  /** Replaces each finding with `[REDACTED:<rule>]`; fails closed. */
  redact(text: string): Promise<Redaction>;
}

/**
 * One detector. It may return findings in any order, overlapping or not. `deadline` is a
 * `performance.now()` value: scanners that loop check it between steps (see `checkDeadline`).
 */
export type Scanner = (text: string, deadline: number) => SecretFinding[] | Promise<SecretFinding[]>;
