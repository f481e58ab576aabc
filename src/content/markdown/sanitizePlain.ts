import { removeInvisible } from './invisible.js';

/** Control characters, line and paragraph separators: each run becomes one space. */
const BREAKING = /[\p{Cc}\u2028\u2029]+/gu;

/**
 * A one-line plain field (titles, status descriptions, annotation titles): invisible and bidi
 * characters removed, every run of control characters or line breaks turned into one space, ends trimmed.
 */
export function sanitizePlain(text: string): string {
  return removeInvisible(text.toWellFormed()).replace(BREAKING, ' ').trim();
}
