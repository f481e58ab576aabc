import { type AnchorFinder, automatonFinder, regexFinder } from './anchorFinder.js';
import { assignmentRules } from './assignmentRules.js';
import { credentialRules } from './credentialRules.js';
import { checkDeadline } from './deadline.js';
import type { PatternRule } from './patternRule.js';
import { privateKeyRules } from './privateKeyRules.js';
import { tokenRules } from './tokenRules.js';
import type { Scanner, SecretFinding } from './types.js';

/** Every rule of our own, most specific first (ties between equally long findings go to the earlier rule). */
export const patternRules: readonly PatternRule[] = [...privateKeyRules, ...tokenRules, ...credentialRules, ...assignmentRules];

/** Texts from this length on are searched with the automaton (see {@link anchorIndex}). */
export const AUTOMATON_FROM_CHARS = 64 * 1024;

interface Entry {
  anchor: string;
  rule: PatternRule;
}

/** Finds the anchors of `rules` (case-sensitive or not) in one pass, dispatching on their first two characters. */
function anchorIndex(rules: readonly PatternRule[], ignoreCase: boolean) {
  const byHead = new Map<string, Entry[]>();
  for (const rule of rules) {
    if (Boolean(rule.ignoreCase) !== ignoreCase) continue;
    for (const raw of rule.anchors) {
      if (raw.length < 2) throw new Error(`rule ${rule.name}: anchor "${raw}" is shorter than 2 characters`);
      const anchor = ignoreCase ? raw.toLowerCase() : raw;
      const head = anchor.slice(0, 2);
      byHead.set(head, [...(byHead.get(head) ?? []), { anchor, rule }]);
    }
  }
  const anchors = [...byHead.values()].flat().map((e) => e.anchor);
  // Each kind of anchor with the finder that measured faster for it (see anchorFinder.ts). The
  // automaton's table takes 5–10 ms to build, so it is built only when a long text comes: a small
  // run (a few kilobytes) never needs it.
  const regex = regexFinder(anchors, ignoreCase);
  let automaton: AnchorFinder | undefined;
  const finder: AnchorFinder = ignoreCase
    ? regex
    : { starts: (text) => (text.length < AUTOMATON_FROM_CHARS ? regex : (automaton ??= automatonFinder(anchors))).starts(text) };
  return { byHead, finder, ignoreCase };
}

type Index = ReturnType<typeof anchorIndex>;

function scanIndex(index: Index, text: string, deadline: number, findings: SecretFinding[], memo: Map<PatternRule, unknown>): void {
  const { finder, byHead, ignoreCase } = index;
  const starts = finder.starts(text);
  checkDeadline(deadline);
  for (let n = 0; n < starts.length; n++) {
    const at = starts[n]!;
    if ((n + 1) % 256 === 0) checkDeadline(deadline);
    const head = text.slice(at, at + 2);
    for (const { anchor, rule } of byHead.get(ignoreCase ? head.toLowerCase() : head) ?? []) {
      const here = text.slice(at, at + anchor.length);
      if ((ignoreCase ? here.toLowerCase() : here) !== anchor) continue;
      for (const finding of rule.findAt(text, at, memo)) findings.push(finding);
    }
  }
}

/** A scanner running `rules` (by default all of ours) at their anchors. */
export function createPatternScanner(rules: readonly PatternRule[] = patternRules): Scanner {
  const indexes = [anchorIndex(rules, false), anchorIndex(rules, true)];
  return (text, deadline) => {
    const findings: SecretFinding[] = [];
    const memo = new Map<PatternRule, unknown>();
    for (const index of indexes) scanIndex(index, text, deadline, findings, memo);
    return findings;
  };
}
