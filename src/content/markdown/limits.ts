/**
 * A size limit on text GitHub accepts: `chars` counts Unicode code points (as GitHub counts them), `bytes`
 * counts UTF-8 bytes. GitHub documents characters; some endpoints enforce bytes, so both are budgeted.
 */
export interface TextLimit {
  chars: number;
  bytes: number;
}

const limit = (n: number): TextLimit => ({ chars: n, bytes: n });

/**
 * GitHub's limits on text the action writes. Bytes are budgeted to the same number as characters, so a
 * text within a limit is within it however the endpoint counts.
 */
export const Limits = {
  /** Comment, review, PR and issue bodies. */
  body: limit(65_536),
  /** Check-run `output.summary` and `output.text` (each). */
  checkRunText: limit(65_535),
  /** Check-run annotation `title`. */
  annotationTitle: limit(255),
  /** Check-run annotation `message` and `raw_details`: documented as "64 KB", read here as 64,000. */
  annotationMessage: limit(64_000),
  /** Commit status `description`. */
  statusDescription: limit(140),
  /** Pull request (and issue) title. */
  title: limit(256),
} as const satisfies Record<string, TextLimit>;

/** Size of `text`: code points, and UTF-8 bytes (a lone surrogate counts as U+FFFD, 3 bytes). */
export function measure(text: string): TextLimit {
  let chars = 0;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    chars++;
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return { chars, bytes };
}

export function fits(text: string, within: TextLimit): boolean {
  // Fast path: every UTF-16 unit is at most 3 UTF-8 bytes and at most one code point.
  if (text.length * 3 <= within.bytes && text.length <= within.chars) return true;
  const m = measure(text);
  return m.chars <= within.chars && m.bytes <= within.bytes;
}
