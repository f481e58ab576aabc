import { Limits } from '../contract/limits.js';

/** `@@ -a[,b] +c[,d] @@` at the start of a line; a missing count means 1. */
const HUNK_HEADER = /^@@ -\d+(?:,\d+)? \+(\d+)(?:,(\d+))? @@/gm;

/**
 * New-side line ranges `[first, last]` of the hunks of one file's unified diff, as GitHub returns it
 * in the `patch` member of a pull request file. A hunk with no new-side lines (`+c,0`: a pure
 * deletion, or a deleted file) adds no range. Ranges past `Limits.line` are clamped, and at most
 * `max` ranges are returned (the caller treats more as unknown).
 */
export function newSideHunks(patch: string, max = 10_000): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (const match of patch.matchAll(HUNK_HEADER)) {
    const start = Number(match[1]);
    const count = match[2] === undefined ? 1 : Number(match[2]);
    if (!Number.isSafeInteger(start) || !Number.isSafeInteger(count) || count <= 0 || start < 1) continue;
    if (start > Limits.line) continue;
    out.push([start, Math.min(start + count - 1, Limits.line)]);
    if (out.length > max) break;
  }
  return out;
}
