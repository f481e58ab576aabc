import type { SecretFinding } from './types.js';

/**
 * Merges findings into sorted, non-overlapping spans. Overlapping findings become one span covering
 * all of them, named after the longest finding of the group; ties go to the finding listed first
 * (callers list known values, then their own rules, then secretlint). Findings that only touch stay
 * separate. Empty and inverted spans are dropped.
 */
export function mergeFindings(findings: readonly SecretFinding[]): SecretFinding[] {
  const order = findings
    .map((finding, index) => ({ finding, index }))
    .filter(({ finding }) => finding.end > finding.start)
    .sort((a, b) => a.finding.start - b.finding.start || a.index - b.index);
  const merged: SecretFinding[] = [];
  let group: { start: number; end: number; rule: string; length: number; index: number } | undefined;
  for (const { finding, index } of order) {
    const length = finding.end - finding.start;
    if (group && finding.start < group.end) {
      group.end = Math.max(group.end, finding.end);
      if (length > group.length || (length === group.length && index < group.index)) {
        group.rule = finding.rule;
        group.length = length;
        group.index = index;
      }
      continue;
    }
    if (group) merged.push({ rule: group.rule, start: group.start, end: group.end });
    group = { start: finding.start, end: finding.end, rule: finding.rule, length, index };
  }
  if (group) merged.push({ rule: group.rule, start: group.start, end: group.end });
  return merged;
}
