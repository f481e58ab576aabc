import { describe, expect, it } from 'vitest';
import { regexRule } from './patternRule.js';
import { AUTOMATON_FROM_CHARS, createPatternScanner, patternRules } from './patternScanner.js';
import type { SecretFinding } from './types.js';

const scan = (rules: Parameters<typeof createPatternScanner>[0], text: string) => createPatternScanner(rules)(text, Infinity) as SecretFinding[];

describe('createPatternScanner', () => {
  it('tries each rule at its anchors, case-sensitively or not', () => {
    const exact = regexRule({ name: 'exact', anchors: ['AB'], pattern: /AB\d+/dy });
    const loose = regexRule({ name: 'loose', anchors: ['cd'], ignoreCase: true, pattern: /cd\d+/dyi });
    expect(scan([exact, loose], 'ab1 AB2 CD3 cd4')).toEqual([
      { rule: 'exact', start: 4, end: 7 },
      { rule: 'loose', start: 8, end: 11 },
      { rule: 'loose', start: 12, end: 15 },
    ]);
  });

  it('finds overlapping anchors and several anchors at one position', () => {
    const outer = regexRule({ name: 'outer', anchors: ['xoxe.'], pattern: /xoxe\.xox[a-z]-\d+/dy });
    const inner = regexRule({ name: 'inner', anchors: ['xoxp-'], pattern: /xoxp-\d+/dy });
    const same = regexRule({ name: 'same', anchors: ['xoxe'], pattern: /xoxe\.\w+/dy });
    expect(scan([outer, inner, same], 'xoxe.xoxp-123').map((f) => f.rule).sort()).toEqual(['inner', 'outer', 'same']);
  });

  it('finds the same in a long text (searched with the automaton) as in its short pieces (with the regular expression)', () => {
    const pieces = Array.from({ length: 40 }, (_, i) => `line ${i} xoxe.xoxp-${i}12345 AB${i} ab${i} CD${i} the AB and xox `.repeat(60));
    const rules = [
      regexRule({ name: 'outer', anchors: ['xoxe.'], pattern: /xoxe\.xox[a-z]-\d+/dy }),
      regexRule({ name: 'inner', anchors: ['xoxp-'], pattern: /xoxp-\d+/dy }),
      regexRule({ name: 'exact', anchors: ['AB'], pattern: /AB\d+/dy }),
      regexRule({ name: 'loose', anchors: ['cd'], ignoreCase: true, pattern: /cd\d+/dyi }),
    ];
    const long = pieces.join('\n');
    expect(long.length).toBeGreaterThan(AUTOMATON_FROM_CHARS);
    expect(pieces.every((p) => p.length < AUTOMATON_FROM_CHARS)).toBe(true);
    let offset = 0;
    const byPiece = pieces.flatMap((p) => {
      const found = scan(rules, p).map((f) => ({ ...f, start: f.start + offset, end: f.end + offset }));
      offset += p.length + 1;
      return found;
    });
    const whole = scan(rules, long);
    expect(whole.length).toBeGreaterThan(40 * 60 * 3);
    const order = (a: SecretFinding, b: SecretFinding) => a.start - b.start || a.rule.localeCompare(b.rule);
    expect([...whole].sort(order)).toEqual([...byPiece].sort(order));
  });

  it('reads text before the anchor through a lookbehind with a `pre` group', () => {
    const rule = regexRule({ name: 'suffix', anchors: ['-us'], pattern: /(?<=(?<pre>[0-9a-f]{4}))-us\d/dy });
    expect(scan([rule], 'key 12ab-us1')).toEqual([{ rule: 'suffix', start: 4, end: 12 }]);
  });

  it('takes the `secret` group as the finding, and lets accept rename or reject it', () => {
    const rule = regexRule({
      name: 'kv',
      anchors: ['k='],
      pattern: /k=(?<secret>\w+)/dy,
      accept: (secret) => (secret === 'no' ? false : secret === 'rename' ? 'other' : true),
    });
    expect(scan([rule], 'k=yes k=no k=rename')).toEqual([
      { rule: 'kv', start: 2, end: 5 },
      { rule: 'other', start: 13, end: 19 },
    ]);
  });

  it('refuses patterns without the sticky and indices flags, and one-character anchors', () => {
    expect(() => regexRule({ name: 'g', anchors: ['ab'], pattern: /ab/g })).toThrow(/y and d/);
    expect(() => createPatternScanner([regexRule({ name: 'a', anchors: ['a'], pattern: /a/dy })])).toThrow(/shorter than 2/);
  });

  it('stops at its deadline', () => {
    const text = 'key '.repeat(20_000);
    expect(() => createPatternScanner()(text, performance.now() - 1)).toThrow(/budget/);
  });

  it('our rules have unique, kebab-case names that fit `[REDACTED:<rule>]`', () => {
    for (const rule of patternRules) expect(rule.name).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
  });
});
