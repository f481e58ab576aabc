import type { TextLimit } from './limits.js';

/**
 * The largest UTF-16 offset `end` such that `text.slice(0, end)` is within `budget`, on a code-point
 * boundary (a surrogate pair is never split).
 */
export function prefixWithin(text: string, budget: TextLimit): number {
  let chars = 0;
  let bytes = 0;
  let i = 0;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    let units = 1;
    let size: number;
    if (c < 0x80) size = 1;
    else if (c < 0x800) size = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length && (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      size = 4;
      units = 2;
    } else size = 3;
    if (chars + 1 > budget.chars || bytes + size > budget.bytes) break;
    chars++;
    bytes += size;
    i += units;
  }
  return i;
}

const WINDOW = 64;
let segmenter: Intl.Segmenter | undefined;

/**
 * Moves `offset` back to the nearest grapheme-cluster boundary, so a cut never separates a base
 * character from its combining marks, an emoji from its modifiers, or a surrogate pair. Looks at most
 * 64 code units back; a longer cluster is cut on a code-point boundary instead.
 */
export function graphemeFloor(text: string, offset: number): number {
  if (offset <= 0) return 0;
  if (offset >= text.length) return text.length;
  let cp = offset;
  if ((text.charCodeAt(cp) & 0xfc00) === 0xdc00 && (text.charCodeAt(cp - 1) & 0xfc00) === 0xd800) cp--;
  let start = Math.max(0, cp - WINDOW);
  if (start > 0 && (text.charCodeAt(start) & 0xfc00) === 0xdc00) start--;
  segmenter ??= new Intl.Segmenter('en', { granularity: 'grapheme' });
  let best = -1;
  for (const { index } of segmenter.segment(text.slice(start, Math.min(text.length, cp + WINDOW)))) {
    const at = start + index;
    if (at > cp) break;
    best = at;
  }
  // Only the window's own start was found: the cluster is longer than the window (or starts it).
  if (best <= start && start > 0) return cp;
  return best < 0 ? cp : best;
}
