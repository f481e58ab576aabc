import type { SecretFinding } from './types.js';

/**
 * One detector of a secret format, tried only where one of its `anchors` occurs: the scanner finds
 * every anchor of every rule in one pass over the text, so a hundred rules cost about as much as one.
 */
export interface PatternRule {
  readonly name: string;
  /**
   * Literal strings of at least two characters; the rule is tried at each of their occurrences.
   * Compared case-insensitively when `ignoreCase` (then give them in lower case).
   */
  readonly anchors: readonly string[];
  readonly ignoreCase?: boolean;
  /**
   * The rule's findings for the anchor occurrence at `at` (usually none or one). `memo` lives for one
   * scan of `text`: rules that look beyond their anchor keep there what they already know, so that a
   * text full of anchors still costs linear time.
   */
  findAt(text: string, at: number, memo: Map<PatternRule, unknown>): SecretFinding[];
}

export interface RegexRuleOptions {
  /** Rule name, unless `accept` returns another. */
  name: string;
  anchors: readonly string[];
  ignoreCase?: boolean;
  /**
   * Tried at each anchor occurrence: must have the `y` (sticky) and `d` flags and run in linear
   * time. Text before the anchor is matched by a lookbehind; a named group `pre` inside it marks
   * where the finding starts. The finding is the named group `secret` when it took part in the
   * match, else from `pre` (or the match) to the end of the match.
   */
  pattern: RegExp;
  /**
   * Rejects a match (a placeholder, a low-entropy value…) with `false`; a string accepts it under
   * that rule name. Gets the finding's text.
   */
  accept?: (secret: string, match: RegExpExecArray, text: string) => boolean | string;
  /** Widens or narrows the finding (`[start, end)`), or drops it with `undefined`. */
  span?: (start: number, end: number, text: string, match: RegExpExecArray) => readonly [number, number] | undefined;
  /**
   * Skip anchors inside the `secret` group of this rule's last match, accepted or not: a keyword
   * inside a value (`password=password=…`) is no key, and scanning it again would cost quadratic time.
   */
  skipInsideSecret?: boolean;
}

/** A {@link PatternRule} from one sticky regular expression. */
export function regexRule(options: RegexRuleOptions): PatternRule {
  const { pattern } = options;
  if (!pattern.sticky || !pattern.hasIndices) throw new Error(`rule ${options.name}: pattern needs the y and d flags`);
  const rule: PatternRule = {
    name: options.name,
    anchors: options.anchors,
    ignoreCase: options.ignoreCase ?? false,
    findAt(text, at, memo) {
      const inside = options.skipInsideSecret ? (memo.get(rule) as readonly [number, number] | undefined) : undefined;
      if (inside && inside[0] <= at && at < inside[1]) return [];
      pattern.lastIndex = at;
      const match = pattern.exec(text);
      if (!match) return [];
      const groups = match.indices!.groups;
      if (options.skipInsideSecret && groups?.secret) memo.set(rule, groups.secret);
      const end = match.index + match[0].length;
      let [start, stop] = groups?.secret ?? [groups?.pre?.[0] ?? match.index, end];
      const verdict = options.accept ? options.accept(text.slice(start, stop), match, text) : true;
      if (verdict === false) return [];
      if (options.span) {
        const changed = options.span(start, stop, text, match);
        if (!changed) return [];
        [start, stop] = changed;
      }
      return stop > start ? [{ rule: typeof verdict === 'string' ? verdict : options.name, start, end: stop }] : [];
    },
  };
  return rule;
}
